package mockclient

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

// The command and manual strategies: someone else is the user agent (a
// script, a person's browser), so the suite listens on the loopback
// redirect URI for the redirect back to the client, as a native MCP client
// does (RFC 8252 §7.3).

// callbackListener takes the first request to the redirect URI's port.
type callbackListener struct {
	server *http.Server
	origin string // http://127.0.0.1:port
	got    chan landing
}

// landing is a request that reached the listener.
type landing struct {
	url  *url.URL
	when time.Time
}

// errNotLoopback: the redirect URI is not one the suite can listen on.
var errNotLoopback = errors.New("not http on a loopback address and port")

// listenForCallback listens where redirectURI points: an http URL on a
// loopback IP address.
func listenForCallback(redirectURI string) (*callbackListener, error) {
	u, err := url.Parse(redirectURI)
	if err != nil {
		return nil, fmt.Errorf("mockclient: redirect URI %q: %w", redirectURI, err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Scheme != "http" || ip == nil || !ip.IsLoopback() || u.Port() == "" {
		return nil, fmt.Errorf("mockclient: cannot listen on the redirect URI %s: %w", redirectURI, errNotLoopback)
	}
	ln, err := net.Listen("tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("mockclient: listen on the redirect URI: %w", err)
	}
	l := &callbackListener{origin: "http://" + u.Host, got: make(chan landing, 1)}
	l.server = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		landed, err := url.Parse(l.origin + r.URL.RequestURI())
		if err == nil {
			select {
			case l.got <- landing{url: landed, when: time.Now().UTC()}:
			default: // only the first redirect counts
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, "<!doctype html><title>mcpconform</title><p>mcpconform received the authorization response. You can close this window.</p>\n")
	})}
	go l.server.Serve(ln)
	return l, nil
}

// Close lets the answer to the redirect reach the browser, which the
// strategy may already have read, then stops listening.
func (l *callbackListener) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), callbackShutdownGrace)
	defer cancel()
	if err := l.server.Shutdown(ctx); err != nil {
		return l.server.Close()
	}
	return nil
}

// callbackShutdownGrace bounds how long Close waits for that answer.
const callbackShutdownGrace = 2 * time.Second

// landed turns a request that reached the listener into the result: the
// callback when it is at redirectURI.
func (c *Client) landed(l landing, redirectURI string) *AuthorizationResult {
	out := &AuthorizationResult{Response: &Response{Status: http.StatusOK, URL: l.url.String()}}
	if sameEndpoint(l.url, redirectURI) {
		c.redactor.Add(l.url.Query().Get("code"))
		out.Callback = l.url
	}
	out.Response.Exchanges = []evidence.Exchange{{Time: l.when, Method: http.MethodGet, URL: c.redactor.URL(l.url.String()), Status: http.StatusOK}}
	return out
}

// waitError says why waiting for the redirect ended: the run was
// interrupted, or the time ran out.
func (c *Client) waitError(ctx context.Context, what string, limit time.Duration) error {
	if c.run.Err() != nil {
		return c.interrupted()
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("mockclient: %w", ErrInterrupted)
	}
	return fmt.Errorf("mockclient: %s did not reach the client's redirect URI within %s", what, limit)
}

type manualStrategy struct {
	prompt  io.Writer
	timeout time.Duration
}

func (s manualStrategy) Authorize(ctx context.Context, c *Client, authorizationURL, redirectURI string) (*AuthorizationResult, error) {
	l, err := listenForCallback(redirectURI)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	defer context.AfterFunc(c.run, cancel)()
	fmt.Fprintf(s.prompt, "mcpconform: open this URL in a browser on this machine, sign in and approve within %s (the run waits for the redirect to %s): %s\n",
		s.timeout, redirectURI, authorizationURL)
	select {
	case l := <-l.got:
		return c.landed(l, redirectURI), nil
	case <-ctx.Done():
		return nil, c.waitError(ctx, "the person's browser", s.timeout)
	}
}

// maxCommandOutput bounds what the suite keeps of a command's output.
const maxCommandOutput = 64 << 10

type commandStrategy struct {
	command string
	timeout time.Duration
}

func (s commandStrategy) Authorize(ctx context.Context, c *Client, authorizationURL, redirectURI string) (*AuthorizationResult, error) {
	// A request naming a redirect URI elsewhere (an attacker's) can only be
	// followed by what the command prints.
	var landings <-chan landing
	l, err := listenForCallback(redirectURI)
	switch {
	case err == nil:
		defer l.Close()
		landings = l.got
	case !errors.Is(err, errNotLoopback):
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	defer context.AfterFunc(c.run, cancel)()
	cmd := exec.CommandContext(ctx, "sh", "-c", s.command, "mcpconform-authorize", authorizationURL)
	cmd.Env = append(os.Environ(), "MCPCONFORM_AUTHORIZATION_URL="+authorizationURL, "MCPCONFORM_REDIRECT_URI="+redirectURI)
	stdout, stderr := &cappedBuffer{limit: maxCommandOutput}, &cappedBuffer{limit: maxCommandOutput}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second // a child left holding the output does not hold the run
	runErr := cmd.Run()
	select {
	case l := <-landings:
		return c.landed(l, redirectURI), nil // the command's exit no longer matters
	default:
	}
	switch {
	case ctx.Err() != nil:
		return nil, c.waitError(ctx, "the authorization command", s.timeout)
	case runErr != nil:
		return nil, fmt.Errorf("mockclient: the authorization command failed (%v): %s", runErr, c.RedactText(lastLines(stderr.String(), 5)))
	}
	if printed := lastURL(stdout.String()); printed != nil {
		return c.landed(landing{url: printed, when: time.Now().UTC()}, redirectURI), nil
	}
	// The command ended where the authorization server stopped, which the
	// checks judge: no redirect to the client.
	return &AuthorizationResult{Response: &Response{}}, nil
}

// lastURL is the last line of output that is an absolute http(s) URL.
func lastURL(output string) *url.URL {
	var last *url.URL
	scanner := bufio.NewScanner(strings.NewReader(output))
	scanner.Buffer(nil, maxCommandOutput)
	for scanner.Scan() {
		u, err := url.Parse(strings.TrimSpace(scanner.Text()))
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			last = u
		}
	}
	return last
}

func lastLines(text string, n int) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// cappedBuffer keeps the first limit bytes written to it.
type cappedBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	limit int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.limit - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (b *cappedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
