// Package mockclient is the reference MCP OAuth client that server mode drives
// against a real MCP server and its authorization server. Every request is
// bounded in time and size and recorded, redacted, as evidence.
package mockclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

// Defaults for hostile targets: nothing a target sends can hold a run longer
// than the timeout or make it read more than the header and body caps.
const (
	DefaultTimeout = 10 * time.Second
	DefaultMaxBody = 1 << 20
	maxRedirects   = 5
	// maxResponseHeader is far above what real servers send (cookies and
	// security headers take a few KB) and keeps a target sending megabytes
	// of headers per answer from filling memory.
	maxResponseHeader = 64 << 10
	recordedBody      = 16 << 10
	recordedHeader    = 8 << 10
)

// Options configure a Client.
type Options struct {
	Timeout  time.Duration // per request; DefaultTimeout when zero
	MaxBody  int64         // response body cap; DefaultMaxBody when zero
	Redactor *evidence.Redactor
	// Run, when set, is the whole run's context: once it ends (the user
	// interrupted), every request ends with ErrInterrupted.
	Run context.Context
	// RootCAs are the CAs trusted for https targets; the system pool when nil.
	RootCAs *x509.CertPool
	// InsecureSkipVerify accepts any certificate: only for targets the
	// caller has chosen not to authenticate.
	InsecureSkipVerify bool
	// Authorize is how authorization requests get through (Auto when nil).
	Authorize Strategy
}

// Client makes bounded, recorded HTTP requests.
type Client struct {
	http     *http.Client
	timeout  time.Duration
	maxBody  int64
	redactor *evidence.Redactor
	run      context.Context
	strategy Strategy
}

// CloseIdleConnections closes the connections kept for reuse: a server
// shutting down gracefully then need not wait for the client to leave.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// Response is what a request produced. It is returned with the error too, so
// a failed exchange still shows as evidence.
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	URL       string // after redirects
	Exchanges []evidence.Exchange
}

// ContentType is the media type of the response, without parameters.
func (r *Response) ContentType() string {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// ErrUnreachable marks a request that never reached the target: no
// connection, or a TLS certificate the client does not trust.
var ErrUnreachable = errors.New("target unreachable")

// ErrInterrupted marks a request cut short because the run was interrupted.
var ErrInterrupted = errors.New("interrupted")

// New makes a Client.
func New(opts Options) *Client {
	c := &Client{timeout: opts.Timeout, maxBody: opts.MaxBody, redactor: opts.Redactor, run: opts.Run, strategy: opts.Authorize}
	if c.strategy == nil {
		c.strategy = Auto
	}
	if c.run == nil {
		c.run = context.Background()
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBody
	}
	if c.redactor == nil {
		c.redactor = &evidence.Redactor{}
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.Proxy = nil // tests and audits talk to the target, never through a proxy
	base.MaxResponseHeaderBytes = maxResponseHeader
	base.TLSClientConfig = &tls.Config{
		MinVersion:         tls.VersionTLS12,
		RootCAs:            opts.RootCAs,
		InsecureSkipVerify: opts.InsecureSkipVerify,
	}
	c.http = &http.Client{
		Transport:     &recordingTransport{next: base, redactor: c.redactor},
		CheckRedirect: checkRedirect,
	}
	return c
}

// Redact registers secrets the client learned or made (codes, verifiers)
// so no evidence or message shows them.
func (c *Client) Redact(secrets ...string) { c.redactor.Add(secrets...) }

// RedactText removes every known secret from text, such as a failure
// message that quotes what the target sent.
func (c *Client) RedactText(text string) string { return c.redactor.Text(text) }

// Get fetches url.
func (c *Client) Get(ctx context.Context, url string, header http.Header) (*Response, error) {
	return c.Do(ctx, http.MethodGet, url, header, "")
}

// Do sends one request and reads at most the body cap of its answer.
func (c *Client) Do(ctx context.Context, method, url string, header http.Header, body string) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	defer context.AfterFunc(c.run, cancel)()
	hops := &hopLog{}
	ctx = context.WithValue(ctx, hopKey{}, hops)
	out := &Response{}
	var reqBody io.Reader
	if body != "" {
		reqBody = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, reqBody)
	if err != nil {
		return out, fmt.Errorf("mockclient: build request: %w", err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.http.Do(req)
	if err != nil {
		err = c.describe(err, ctx)
		hops.fail(err)
		out.Exchanges = hops.exchanges
		return out, err
	}
	defer resp.Body.Close()
	out.Status, out.Header, out.URL = resp.StatusCode, resp.Header, resp.Request.URL.String()
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if readErr == nil && int64(len(data)) > c.maxBody {
		readErr = fmt.Errorf("mockclient: response body of %s exceeds %d bytes", url, c.maxBody)
	} else if readErr != nil {
		readErr = fmt.Errorf("mockclient: read body of %s: %w", url, c.describe(readErr, ctx))
	}
	out.Body = data
	hops.finish(c.redactor, resp, data, readErr)
	out.Exchanges = hops.exchanges
	if readErr != nil {
		return out, readErr
	}
	return out, nil
}

// describe turns transport errors into one clear reason.
func (c *Client) describe(err error, ctx context.Context) error {
	var redirectErr *redirectError
	switch {
	case errors.As(err, &redirectErr):
		return redirectErr
	case c.run.Err() != nil:
		return fmt.Errorf("mockclient: %w", ErrInterrupted)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("mockclient: no answer within %s", c.timeout)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("mockclient: %w: %v", ErrInterrupted, err)
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return fmt.Errorf("%w: %v%s", ErrUnreachable, certErr, certificateHint(certErr))
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return fmt.Errorf("%w: %v", ErrUnreachable, opErr)
	}
	return fmt.Errorf("mockclient: %w", err)
}

// certificateHint says how to trust a certificate from an unknown CA, the
// usual case of a test target with its own CA.
func certificateHint(err *tls.CertificateVerificationError) string {
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err.Err, &unknownCA) {
		return " (trust the CA that issued it with --ca-file)"
	}
	return ""
}

type redirectError struct{ reason string }

func (e *redirectError) Error() string { return "mockclient: " + e.reason }

type noRedirectKey struct{}

// withoutRedirects makes requests with ctx stop at the first redirect, for
// flows that judge each hop themselves.
func withoutRedirects(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRedirectKey{}, true)
}

// checkRedirect follows a few same-host redirects only: a metadata or MCP
// URL that moves to another host or downgrades to http is a finding, not a
// detour to take.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if req.Context().Value(noRedirectKey{}) != nil {
		return http.ErrUseLastResponse
	}
	if len(via) >= maxRedirects {
		return &redirectError{fmt.Sprintf("stopped after %d redirects (loop?) at %s", maxRedirects, req.URL)}
	}
	prev := via[len(via)-1].URL
	if req.URL.Host != prev.Host {
		return &redirectError{fmt.Sprintf("redirect from %s to another host %s refused", prev, req.URL)}
	}
	if prev.Scheme == "https" && req.URL.Scheme != "https" {
		return &redirectError{fmt.Sprintf("redirect from %s downgrades to %s", prev, req.URL)}
	}
	return nil
}

// Evidence is what the request exchanged; nil-safe.
func (r *Response) Evidence() []evidence.Exchange {
	if r == nil {
		return nil
	}
	return r.Exchanges
}
