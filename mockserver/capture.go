package mockserver

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/fault"
)

// Bounds of what a capture keeps: a client under test may be hostile too.
const (
	maxCapturedRequests = 1000
	maxCapturedBody     = 64 << 10
)

// CapturedRequest is one request as a client sent it, secrets included:
// client-mode checks judge what the client put in it. It stays in memory;
// reports show it only through Exchange, redacted.
type CapturedRequest struct {
	Time     time.Time
	Method   string
	URL      *url.URL // absolute, as the client addressed it
	Header   http.Header
	Body     string // at most maxCapturedBody bytes
	Status   int    // 0: never answered
	Decision string // what the server decided, as in Event
	// Challenges are the WWW-Authenticate values of the answer.
	Challenges []string
}

// WithRequestCapture keeps every request received (up to a bound) with its
// headers and body, for Requests: what client mode judges a client by.
func WithRequestCapture() Option {
	return func(c *config) { c.capture = true }
}

// Requests returns the captured requests so far, in order; nil without
// WithRequestCapture.
func (s *Server) Requests() []CapturedRequest {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return append([]CapturedRequest(nil), s.log.captured...)
}

// Form is the request's application/x-www-form-urlencoded body; empty for
// any other body.
func (r CapturedRequest) Form() url.Values {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/x-www-form-urlencoded" {
		return url.Values{}
	}
	form, _ := url.ParseQuery(r.Body)
	return form
}

// Exchange is the request as evidence, with redactor's secrets removed.
func (r CapturedRequest) Exchange(redactor *evidence.Redactor) evidence.Exchange {
	return evidence.Exchange{
		Time:            r.Time,
		Method:          r.Method,
		URL:             redactor.URL(r.URL.String()),
		RequestHeaders:  redactor.Header(r.Header),
		RequestBody:     redactor.Body(r.Header.Get("Content-Type"), r.Body),
		Status:          r.Status,
		ResponseHeaders: redactor.Header(challengeHeader(r.Challenges)),
	}
}

// challengeHeader is the answer's WWW-Authenticate, the one response header
// a capture keeps; nil without one.
func challengeHeader(challenges []string) http.Header {
	if len(challenges) == 0 {
		return nil
	}
	return http.Header{"Www-Authenticate": slices.Clone(challenges)}
}

// capture reads the start of r's body for the record and leaves the whole
// body readable for the handler.
func capture(r *http.Request) CapturedRequest {
	target := *r.URL
	target.Host = r.Host
	target.Scheme = "http"
	if r.TLS != nil {
		target.Scheme = "https"
	}
	c := CapturedRequest{Time: time.Now().UTC(), Method: r.Method, URL: &target, Header: r.Header.Clone()}
	if r.Body != nil {
		head, _ := io.ReadAll(io.LimitReader(r.Body, maxCapturedBody))
		c.Body = string(head)
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	}
	return c
}

// Endpoints are the authorization server's OAuth endpoints.
type Endpoints struct {
	Authorization, Token, Registration string
}

// OAuthEndpoints names the endpoints a client is judged at.
func (s *Server) OAuthEndpoints() Endpoints {
	return Endpoints{Authorization: s.servedAuthorizationEndpoint(), Token: s.tokenEndpoint(), Registration: s.registrationEndpoint()}
}

// Scopes are what the MCP server tells a client to ask for, each empty
// where the revision or a fault leaves it out.
type Scopes struct {
	// Challenged is the scope the 401 challenge to a request without a
	// token names.
	Challenged []string
	// Supported is the protected resource metadata's scopes_supported.
	Supported []string
}

// AdvertisedScopes names the scopes a client is judged to ask for.
func (s *Server) AdvertisedScopes() Scopes {
	var out Scopes
	if s.unauthorizedNamesScope() && !s.faults[fault.RSNoWWWAuthenticate] {
		out.Challenged = []string{requiredScope}
	}
	if s.revision.UsesProtectedResourceMetadata() && !s.faults[fault.RSPRMMissing] {
		out.Supported, _ = s.protectedResourceMetadata(nil)["scopes_supported"].([]string)
	}
	return out
}
