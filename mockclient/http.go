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
	"strconv"
	"strings"
	"sync/atomic"
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
	// AllowPrivateEgress lets the client connect to link-local and cloud
	// metadata addresses, which it refuses by default (egress.go).
	AllowPrivateEgress bool
}

// Client makes bounded, recorded HTTP requests.
type Client struct {
	http     *http.Client
	timeout  time.Duration
	maxBody  int64
	redactor *evidence.Redactor
	run      context.Context
	strategy Strategy
	egress   *egressGuard
	named    namedOrigins
	// busyBudget is what is left of the run's waiting for busy answers, in
	// nanoseconds, of busyBudgetTotal.
	busyBudget      atomic.Int64
	busyBudgetTotal time.Duration
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

// ErrRunDeadline is the cause of a run context ended by the run's deadline
// (--run-timeout): requests then end with ErrInterrupted and this.
var ErrRunDeadline = errors.New("run deadline passed")

// interrupted is the error of a request or wait cut short by the end of
// the run, saying whether its deadline ended it.
func (c *Client) interrupted() error {
	if errors.Is(context.Cause(c.run), ErrRunDeadline) {
		return fmt.Errorf("mockclient: %w: %w", ErrInterrupted, ErrRunDeadline)
	}
	return fmt.Errorf("mockclient: %w", ErrInterrupted)
}

// New makes a Client.
func New(opts Options) *Client {
	c := &Client{timeout: opts.Timeout, maxBody: opts.MaxBody, redactor: opts.Redactor, run: opts.Run, strategy: opts.Authorize,
		egress: &egressGuard{allowPrivate: opts.AllowPrivateEgress}}
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
	c.setBusyBudget(busyBudget)
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.Proxy = nil // tests and audits talk to the target, never through a proxy
	base.MaxResponseHeaderBytes = maxResponseHeader
	base.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: c.egress.control}).DialContext
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

// A target that is busy (429, RFC 6585 §4; or 503 with Retry-After, RFC
// 9110 §15.6.4 and §10.2.3) says nothing about how it judges the request:
// the request is sent again after the wait the target asks for, within
// these bounds, and is otherwise not judged.
const (
	maxBusyRetries = 2
	maxBusyWait    = 2 * time.Second
	// defaultBusyWait is the wait after a 429 without Retry-After.
	defaultBusyWait = 500 * time.Millisecond
	// busyBudget bounds the waiting of a whole run: a target busy at every
	// request soon has its checks not run instead of a wait at each.
	busyBudget = 20 * time.Second
)

// Do sends one request and reads at most the body cap of its answer. A busy
// answer is retried; one still busy after the retries ends with a
// NotRunError, its exchanges kept as evidence.
func (c *Client) Do(ctx context.Context, method, url string, header http.Header, body string) (*Response, error) {
	var earlier []evidence.Exchange
	for retries := 0; ; retries++ {
		resp, err := c.send(ctx, method, url, header, body)
		resp.Exchanges = append(earlier, resp.Exchanges...)
		wait, busy := busyWait(resp)
		if err != nil || !busy {
			return resp, err
		}
		if reason := c.giveUpBusy(retries, wait); reason != "" {
			answer := fmt.Sprintf("%s %s answered %d %s", method, c.redactor.URL(url), resp.Status, http.StatusText(resp.Status))
			return resp, &NotRunError{Reason: answer + reason}
		}
		earlier = resp.Exchanges
		if err := c.sleep(ctx, wait); err != nil {
			return resp, err
		}
	}
}

func (c *Client) setBusyBudget(total time.Duration) {
	c.busyBudgetTotal = total
	c.busyBudget.Store(int64(total))
}

// busyWait reports whether resp says the target is busy, and how long it
// asks the client to wait.
func busyWait(resp *Response) (time.Duration, bool) {
	retryAfter := resp.Header.Get("Retry-After")
	switch {
	case resp.Status == http.StatusTooManyRequests && retryAfter == "":
		return defaultBusyWait, true
	case resp.Status != http.StatusTooManyRequests && (resp.Status != http.StatusServiceUnavailable || retryAfter == ""):
		return 0, false
	}
	if seconds, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil {
		return max(time.Duration(seconds)*time.Second, 0), true
	}
	if when, err := http.ParseTime(retryAfter); err == nil {
		return max(time.Until(when), 0), true
	}
	return defaultBusyWait, true // unparseable: wait as if none were given
}

// giveUpBusy says why a busy answer is not waited for, after retries
// retries and asking to wait wait; "" to wait, taking it from the run's
// budget.
func (c *Client) giveUpBusy(retries int, wait time.Duration) string {
	switch {
	case wait > maxBusyWait:
		return fmt.Sprintf(" asking to wait %s (Retry-After), longer than the %s the suite waits", wait.Round(time.Second), maxBusyWait)
	case retries == maxBusyRetries:
		return fmt.Sprintf(", still busy after %d retries", retries)
	case c.busyBudget.Add(-int64(wait)) < 0:
		return fmt.Sprintf(", and the run has spent the %s it waits for busy targets", time.Duration(c.busyBudgetTotal))
	}
	return ""
}

// sleep waits d unless the request's context or the run ends first.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-c.run.Done():
		return c.interrupted()
	case <-ctx.Done():
		return fmt.Errorf("mockclient: waiting to retry: %w", ctx.Err())
	}
}

// send sends one request and reads at most the body cap of its answer.
func (c *Client) send(ctx context.Context, method, url string, header http.Header, body string) (*Response, error) {
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
		return c.interrupted()
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("mockclient: no answer within %s", c.timeout)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("mockclient: %w: %v", ErrInterrupted, err)
	}
	if errors.Is(err, ErrEgressRefused) {
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			err = opErr.Err // the reason, without the dial's own wording
		}
		return &NotRunError{Reason: err.Error(), Err: ErrEgressRefused}
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
