// Package canary is an upstream API the MCP server under test is pointed
// at: it answers every request and remembers what each carried, so that a
// check can tell whether the client's token was passed through.
package canary

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mcpconform/mcpconform/internal/spec"
)

const (
	maxRequests = 100
	maxBody     = 64 << 10
)

// Request is what one request to the canary carried.
type Request struct {
	Method, Path string
	Header       http.Header
	Query, Body  string
}

// Canary is an upstream API serving on loopback.
type Canary struct {
	URL string
	srv *http.Server

	mu   sync.Mutex
	seen []Request
}

// Serve starts a canary at rawURL (plain http on a loopback host; port 0
// picks a free port and URL says which) until ctx ends or Close.
func Serve(ctx context.Context, rawURL string) (*Canary, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" || u.Port() == "" || !spec.IsLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("canary: %q is not a plain http URL on a loopback host with a port", rawURL)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("canary: %w", err)
	}
	u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	c := &Canary{URL: u.String()}
	c.srv = &http.Server{Handler: http.HandlerFunc(c.record), ReadHeaderTimeout: 5 * time.Second}
	go c.srv.Serve(ln)
	context.AfterFunc(ctx, func() { c.Close() })
	return c, nil
}

func (c *Canary) record(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	c.mu.Lock()
	if len(c.seen) < maxRequests {
		c.seen = append(c.seen, Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(),
			Query: r.URL.RawQuery, Body: string(body)})
	}
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ok":true}`)
}

// Requests are the requests received so far.
func (c *Canary) Requests() []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Request(nil), c.seen...)
}

// Carried says whether a request carried secret anywhere: a header, the
// query or the body.
func (r Request) Carried(secret string) bool {
	if secret == "" {
		return false
	}
	for _, values := range r.Header {
		for _, v := range values {
			if strings.Contains(v, secret) {
				return true
			}
		}
	}
	return strings.Contains(r.Query, secret) || strings.Contains(r.Body, secret)
}

// Close stops the canary.
func (c *Canary) Close() error { return c.srv.Close() }
