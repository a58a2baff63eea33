package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
)

// The suite as the host of client ID metadata documents (MCP 2025-11-25
// on): a loopback HTTP server, started on first use and closed with the
// run, serving what the checks publish and recording every fetch, since
// what the authorization server fetched is the evidence.

// documentPath is where the host's documents live.
const documentPath = "/mcpconform/cimd/"

// documentHostTimeout bounds how long an authorization server may take to
// send its request for a document.
const documentHostTimeout = 5 * time.Second

// cimdState is the session's document host and the client it serves.
type cimdState struct {
	mu     sync.Mutex
	host   *documentHost
	client mockclient.Memo[*documentClient]
}

// documentHost serves client ID metadata documents on 127.0.0.1.
type documentHost struct {
	server *http.Server
	base   string // http://127.0.0.1:port

	mu      sync.Mutex
	answers map[string]hostedAnswer // by path
	fetches []evidence.Exchange
}

// hostedAnswer is what the host answers at one path.
type hostedAnswer struct {
	status int
	header http.Header
	body   []byte
}

// DocumentHost starts the session's document host on first use.
func (s *Session) DocumentHost() (*documentHost, error) {
	s.cimd.mu.Lock()
	defer s.cimd.mu.Unlock()
	if s.cimd.host == nil {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("server: client ID metadata document host: %w", err)
		}
		h := &documentHost{base: "http://" + ln.Addr().String(), answers: map[string]hostedAnswer{}}
		h.server = &http.Server{Handler: http.HandlerFunc(h.serve), ReadHeaderTimeout: documentHostTimeout}
		go h.server.Serve(ln)
		s.cimd.host = h
	}
	return s.cimd.host, nil
}

// Close ends what the run's checks started: the document host, if one was
// started. The run calls it once the checks are done.
func (s *Session) Close() error {
	s.cimd.mu.Lock()
	defer s.cimd.mu.Unlock()
	if s.cimd.host == nil {
		return nil
	}
	err := s.cimd.host.server.Close()
	s.cimd.host = nil
	return err
}

func (h *documentHost) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h.mu.Lock()
	answer, ok := h.answers[r.URL.Path]
	h.mu.Unlock()
	if !ok {
		answer = hostedAnswer{status: http.StatusNotFound, header: http.Header{"Content-Type": {"text/plain"}}}
	}
	for name, values := range answer.header {
		w.Header()[name] = values
	}
	w.WriteHeader(answer.status)
	w.Write(answer.body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fetches = append(h.fetches, evidence.Exchange{
		Time: start, Method: r.Method, URL: h.base + r.URL.RequestURI(),
		RequestHeaders: (&evidence.Redactor{}).Header(r.Header),
		Status:         answer.status, ResponseHeaders: answer.header, ResponseBody: string(answer.body),
		DurationMS: time.Since(start).Milliseconds(),
	})
}

// NewURL is a document URL no one has fetched yet.
func (h *documentHost) NewURL() string {
	return h.base + documentPath + mockclient.NewVerifier() + ".json"
}

// ServeDocument publishes doc at docURL as JSON.
func (h *documentHost) ServeDocument(docURL string, doc map[string]any) error {
	body, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("server: encode client ID metadata document: %w", err)
	}
	h.answer(docURL, hostedAnswer{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}, body: body})
	return nil
}

// ServeRedirect answers docURL with a redirect to target.
func (h *documentHost) ServeRedirect(docURL, target string) {
	h.answer(docURL, hostedAnswer{status: http.StatusFound, header: http.Header{"Location": {target}}})
}

func (h *documentHost) answer(docURL string, a hostedAnswer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.answers[strings.TrimPrefix(docURL, h.base)] = a
}

// Fetches are the recorded requests for the given document URLs.
func (h *documentHost) Fetches(docURLs ...string) fetchLog {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out fetchLog
	for _, ex := range h.fetches {
		for _, docURL := range docURLs {
			if ex.URL == docURL {
				out = append(out, ex)
			}
		}
	}
	return out
}

// fetchLog is what the authorization server fetched from the host.
type fetchLog []evidence.Exchange

// Evidence is the fetches.
func (l fetchLog) Evidence() []evidence.Exchange { return l }

// documentClient is a public client identified by a client ID metadata
// document the suite serves, shown to complete the authorization code flow:
// the step every attack on the documents builds on.
type documentClient struct {
	*registeredClient
	Fetched       fetchLog
	Authorization *authorization
	Tokens        *mockclient.OAuthAnswer
}

// Evidence is the document's fetches and the flow; nil-safe.
func (c *documentClient) Evidence() []evidence.Exchange {
	if c == nil {
		return nil
	}
	return slices.Concat(c.Fetched.Evidence(), c.Authorization.Evidence(), c.Tokens.Evidence())
}

// DocumentClient publishes a document for a new client and runs the
// standard flow with it, once per run.
func (s *Session) DocumentClient(ctx context.Context) (*documentClient, error) {
	return s.cimd.client.Do(func() (*documentClient, error) {
		host, err := s.DocumentHost()
		if err != nil {
			return nil, err
		}
		docURL := host.NewURL()
		if err := host.ServeDocument(docURL, s.clientDocument(ctx, docURL)); err != nil {
			return nil, err
		}
		c := &documentClient{registeredClient: &registeredClient{ID: docURL, AuthMethod: "none"}}
		c.Authorization, err = s.Authorize(ctx, c.registeredClient)
		c.Fetched = host.Fetches(docURL)
		if err != nil {
			return c, err
		}
		if c.Tokens, err = s.Redeem(ctx, c.registeredClient, c.Authorization); err != nil {
			return c, err
		}
		if !accessTokenIssued(c.Tokens) {
			return c, fmt.Errorf("server: a client identified by a client ID metadata document did not complete the flow: the token endpoint answered %s",
				tokenOutcome(c.Tokens))
		}
		return c, nil
	})
}

// clientDocument is the client ID metadata document of a public MCP client
// whose client_id is clientID, as MCP's example has it.
func (s *Session) clientDocument(ctx context.Context, clientID string) map[string]any {
	doc := map[string]any{
		"client_id": clientID, "client_name": "mcpconform client ID metadata document client",
		"redirect_uris": []string{redirectURI}, "grant_types": []string{"authorization_code"},
		"response_types": []string{"code"}, "token_endpoint_auth_method": "none",
	}
	if e, err := s.Endpoints(ctx); err == nil && e.Scope != "" {
		doc["scope"] = e.Scope
	}
	return doc
}

// onLoopback reports whether endpoint is served on this machine's loopback,
// where an authorization server can reach the document host.
func onLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	return spec.IsLoopbackHost(u.Hostname())
}
