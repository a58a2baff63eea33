package mockserver

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// What an attacker slips into a client's flow. Client-mode checks look for
// them in what the client sends next.
const (
	// InjectedCode is the code of the authorization response an attacker
	// delivers to the client's redirect URI (WithInjectedCallback).
	InjectedCode = "mcpconform-injected-code"
	// FrontChannelToken is the access token a faulty authorization server
	// puts in the authorization response (as.authorization.token-in-response).
	FrontChannelToken = "mcpconform-front-channel-token"
	// OpenRedirectBait is where the attacker's error responses
	// (WithInjectedErrorCallback) ask the client's redirect URI to send the
	// browser on, as next, return_to and redirect.
	OpenRedirectBait = "http://mcpconform-attacker.test/landing"
	// InjectedRedirectDecision starts the decision recorded when the
	// client's redirect URI answered an injected response with a redirect;
	// the Location follows.
	InjectedRedirectDecision = "the client's redirect URI redirected an injected response to"
	// InjectedDecision is how the decision on an authorization request
	// says an attacker's response reached the client's redirect URI.
	InjectedDecision = "injected an authorization response at the client's redirect URI"
)

// injectTimeout bounds the attacker's request to the client's callback;
// injectRetryDelay is how long it waits before knocking again at a
// redirect URI not listening yet.
const (
	injectTimeout    = 2 * time.Second
	injectRetryDelay = 20 * time.Millisecond
)

// WithInjectedCallback plays an attacker on the client's machine: before
// the authorization server answers an authorization request, an
// authorization response of the attacker's own (InjectedCode, a forged
// state, the real issuer) reaches the client's redirect URI, while the real one is pending.
// Only loopback redirect URIs are hit.
func WithInjectedCallback() Option {
	return func(c *config) { c.injectCallback = true }
}

// WithInjectedErrorCallback is WithInjectedCallback with error responses
// (access_denied) instead of a code: one with a forged state, then one
// without state, as a stray or hostile request would end a login that
// does not check state first.
func WithInjectedErrorCallback() Option {
	return func(c *config) { c.injectErrorCallback = true }
}

// WithReplayedCallback plays an attacker who saw the client's first
// authorization response (in a log, a browser's history): when the client
// authorizes again, that response, its code redeemed and its state spent,
// reaches the redirect URI before the real answer. Only loopback redirect
// URIs are hit.
func WithReplayedCallback() Option {
	return func(c *config) { c.replayCallback = true }
}

// injectCallback delivers the attacker's authorization responses to
// redirectURI before the answer with code, when WithInjectedCallback,
// WithInjectedErrorCallback or WithReplayedCallback asks for them.
func (s *Server) injectCallback(r *http.Request, redirectURI string, q url.Values, code string) {
	target, err := url.Parse(redirectURI)
	if err != nil || target.Scheme != "http" || !spec.IsLoopbackHost(target.Hostname()) {
		return
	}
	if s.cfg.replayCallback {
		first := url.Values{"code": {code}, "state": {q.Get("state")}, "iss": {s.responseIssuer()}}
		if !s.firstResponse.CompareAndSwap(nil, &first) {
			s.deliverInjected(r, *target, *s.firstResponse.Load())
		}
	}
	// The issuer is public: the attacker names it as the real response does.
	forged := "forged-" + q.Get("state")
	if s.cfg.injectCallback {
		s.deliverInjected(r, *target, url.Values{"code": {InjectedCode}, "state": {forged}, "iss": {s.issuer}})
	}
	if s.cfg.injectErrorCallback {
		denied := url.Values{"error": {oauthAccessDenied}, "error_description": {"the user denied the request"}, "iss": {s.issuer},
			"next": {OpenRedirectBait}, "return_to": {OpenRedirectBait}, "redirect": {OpenRedirectBait}}
		s.deliverInjected(r, *target, withValue(denied, "state", forged))
		s.deliverInjected(r, *target, denied)
	}
}

// deliverInjected sends one forged authorization response to target.
func (s *Server) deliverInjected(r *http.Request, target url.URL, params url.Values) {
	if target.RawQuery != "" {
		target.RawQuery += "&"
	}
	target.RawQuery += params.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), injectTimeout)
	defer cancel()
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) { written.Store(written.Load() || info.Err == nil) },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
	if err != nil {
		return
	}
	resp, err := injectClient.Do(req)
	// A client may start listening only as its user agent sets off: the
	// attacker keeps knocking until the redirect URI answers.
	for err != nil && errors.Is(err, syscall.ECONNREFUSED) && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-time.After(injectRetryDelay):
		}
		resp, err = injectClient.Do(req)
	}
	switch {
	case err != nil && written.Load():
		// The client took it and went away before answering (it ended
		// its flow there, say): delivered all the same.
		decide(r, "%s (no answer: %v)", InjectedDecision, err)
		return
	case err != nil:
		decide(r, "injected callback not delivered: %v", err)
		return
	}
	resp.Body.Close()
	decide(r, "%s (%d)", InjectedDecision, resp.StatusCode)
	if location := resp.Header.Get("Location"); location != "" {
		decide(r, "%s %s", InjectedRedirectDecision, location)
	}
}

// injectClient is the attacker's: it sees where the redirect URI sends a
// browser, and goes no further.
var injectClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// withValue is a copy of values with name set to value.
func withValue(values url.Values, name, value string) url.Values {
	out := url.Values{name: {value}}
	for k, v := range values {
		out[k] = v
	}
	return out
}
