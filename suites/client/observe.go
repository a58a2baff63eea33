package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// Observation is what one scenario saw the client do.
type Observation struct {
	Scenario  Scenario
	MCPURL    string
	Issuer    string
	Endpoints mockserver.Endpoints
	// URLs are the counterparts' documents, named as mockserver.URLs names
	// them.
	URLs map[string]string
	// Scopes are what the MCP server told the client to ask for.
	Scopes mockserver.Scopes
	// Context is what MCP_CONFORMANCE_CONTEXT told the client besides the
	// scenario's name.
	Context map[string]any
	// RefreshTokens are the refresh tokens the authorization server issued,
	// in order.
	RefreshTokens []string
	// Next is the authorization server the MCP server moves to in a
	// migration scenario; nil elsewhere.
	Next *SecondAuthorizationServer
	// Honest is the authorization server the mix-up scenario's attacker
	// sends the user agent on to; nil elsewhere.
	Honest *SecondAuthorizationServer
	// ClientIDs are the client IDs the authorization server's dynamic
	// registration issued, in order.
	ClientIDs []string
	Requests  []mockserver.CapturedRequest
	// Browsed are the URLs the client asked its $BROWSER to open, in
	// order; nil when it was not launched (Serving).
	Browsed []string
	// CallbackPages are the pages `mcpconform browse` ended on at the
	// client's redirect URI, in order.
	CallbackPages []mockclient.Page
	// ShellRan: the shell command the scenario's authorization endpoint
	// smuggled ran (mockserver.WithShellCommandInAuthorizationEndpoint).
	ShellRan bool
	// Connections is how many connections the counterparts accepted.
	Connections int64
	Outcome     Outcome
	// Err: the counterparts could not be started; nothing was observed.
	Err      error
	redactor *evidence.Redactor
}

// SecondAuthorizationServer is what a scenario's second authorization
// server (of a migration or a mix-up) was, and did.
type SecondAuthorizationServer struct {
	Issuer    string
	Endpoints mockserver.Endpoints
	// RefreshTokens are the refresh tokens it issued, in order.
	RefreshTokens []string
	// Moved (migration): the MCP server moved to it, having served a request with a
	// token of the first.
	Moved bool
}

// Config is how scenarios are run.
type Config struct {
	Launcher Launcher
	Revision spec.Revision
	// Parallel is how many scenarios run at once (at least one).
	Parallel int
	// Redactor learns every secret the scenarios exchanged.
	Redactor *evidence.Redactor
	// Serve, when set, serves every scenario at once for a client that
	// cannot be launched per scenario, instead of running Launcher.
	Serve *Serving
}

// Serving is client mode for a client mcpconform cannot launch (a desktop
// application): each scenario's MCP server URL is announced, and a person
// points the client at each, until Done.
type Serving struct {
	Announce io.Writer
	// Done is closed when the person says the client is through (or a time
	// limit says so).
	Done <-chan struct{}
}

// Observe runs each scenario once, Parallel at a time besides those that
// wait on time, each with its own counterparts on their own ports.
func Observe(ctx context.Context, cfg Config, run []Scenario) map[string]*Observation {
	out := make(map[string]*Observation, len(run))
	var mu sync.Mutex
	parallel := cfg.Parallel
	if cfg.Serve != nil {
		parallel = len(run) // a person moves between them
	}
	slots := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	run = slices.Clone(run)
	slices.SortStableFunc(run, func(a, b Scenario) int { return compareBool(b.WaitsOnTime, a.WaitsOnTime) })
	for _, sc := range run {
		// A scenario that waits on time mostly sleeps: it starts first and
		// holds no slot, so the others run meanwhile.
		if !sc.WaitsOnTime {
			slots <- struct{}{}
		}
		wg.Go(func() {
			if !sc.WaitsOnTime {
				defer func() { <-slots }()
			}
			o := observe(ctx, cfg, sc)
			mu.Lock()
			out[sc.Name] = o
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

func observe(ctx context.Context, cfg Config, sc Scenario) *Observation {
	o := &Observation{Scenario: sc, redactor: cfg.Redactor}
	if ctx.Err() != nil {
		o.Err = fmt.Errorf("client: %s: not started: the run was interrupted", sc.Name)
		return o
	}
	// No session IDs: the client checks judge authorization, not sessions.
	opts := append([]mockserver.Option{mockserver.WithRevision(cfg.Revision), mockserver.WithRequestCapture(),
		mockserver.WithoutSessionIDs()}, sc.Options...)
	o.Context = maps.Clone(sc.Context)
	if sc.Prepare != nil {
		prepared, context, err := sc.Prepare()
		if err != nil {
			o.Err = fmt.Errorf("client: %s: prepare: %w", sc.Name, err)
			return o
		}
		opts = append(opts, prepared...)
		o.Context = mergedContext(o.Context, context)
	}
	learnContextSecrets(cfg.Redactor, o.Context)
	srv, err := mockserver.Run(ctx, opts...)
	if err != nil {
		o.Err = fmt.Errorf("client: %s: start the counterparts: %w", sc.Name, err)
		return o
	}
	o.MCPURL, o.Issuer, o.Endpoints, o.URLs = srv.MCPURL(), srv.IssuerURL(), srv.OAuthEndpoints(), srv.URLs()
	o.Scopes = srv.AdvertisedScopes()
	next := srv.NextAuthorizationServer()
	if next != nil {
		o.Next = &SecondAuthorizationServer{Issuer: next.IssuerURL(), Endpoints: next.OAuthEndpoints()}
	}
	if honest := srv.HonestAuthorizationServer(); honest != nil {
		o.Honest = &SecondAuthorizationServer{Issuer: honest.IssuerURL(), Endpoints: honest.OAuthEndpoints()}
	}
	if cfg.Serve != nil {
		o.Outcome = cfg.Serve.serve(ctx, sc.Name, o.MCPURL, o.Context)
	} else {
		o.Outcome, o.Browsed, o.CallbackPages = launchBrowsing(ctx, cfg.Launcher, sc, o.MCPURL, o.Context)
	}
	srv.Close() // requests still in flight finish and are captured
	o.Requests, o.RefreshTokens, o.ClientIDs = srv.Requests(), srv.IssuedRefreshTokens(), srv.RegisteredClientIDs()
	o.Connections = srv.Connections()
	if marker := srv.ShellMarker(); marker != "" {
		o.ShellRan = os.Remove(marker) == nil
	}
	if next != nil {
		o.Next.RefreshTokens, o.Next.Moved = next.IssuedRefreshTokens(), srv.Migrated()
	}
	learnSecrets(cfg.Redactor, o.Requests)
	if cfg.Redactor != nil {
		// Issued, so secret wherever the client puts them.
		for _, issued := range o.issuedRefreshTokens() {
			cfg.Redactor.Add(issued.token)
		}
	}
	return o
}

// launchBrowsing launches the client for sc with clientContext and reads
// what it asked `mcpconform browse` to open, and the callback pages it
// ended on.
func launchBrowsing(ctx context.Context, l Launcher, sc Scenario, mcpURL string, clientContext map[string]any) (Outcome, []string, []mockclient.Page) {
	dir, err := os.MkdirTemp("", "mcpconform-browse-")
	if err != nil {
		return Outcome{ExitCode: -1, Err: fmt.Sprintf("client: %s: browse log: %v", sc.Name, err)}, nil, nil
	}
	defer os.RemoveAll(dir)
	log := filepath.Join(dir, "browsed")
	outcome := l.Launch(ctx, sc.Name, mcpURL, clientContext, EnvBrowseLog+"="+log)
	browsed, pages := readBrowseLog(log)
	return outcome, browsed, pages
}

// maxBrowsed bounds the URLs, and the pages, kept from a browse log.
const maxBrowsed = 100

// readBrowseLog reads the URLs and the callback pages a browse log holds;
// a line that is neither (the client wrote there itself) is kept as a URL,
// as it is.
func readBrowseLog(path string) (browsed []string, pages []mockclient.Page) {
	data, err := os.ReadFile(path)
	if err != nil {
		return []string{}, nil
	}
	browsed = []string{}
	for line := range strings.Lines(string(data)) {
		var url string
		var page BrowsedCallbackPage
		switch {
		case json.Unmarshal([]byte(line), &url) == nil:
		case json.Unmarshal([]byte(line), &page) == nil && page.Page != nil:
			if len(pages) < maxBrowsed {
				pages = append(pages, *page.Page)
			}
			continue
		default:
			url = strings.TrimSpace(line)
		}
		if len(browsed) < maxBrowsed {
			browsed = append(browsed, url)
		}
	}
	return browsed, pages
}

// issuedRefreshToken is a refresh token and the token endpoint of the
// authorization server that issued it.
type issuedRefreshToken struct {
	token, tokenEndpoint string
}

// issuedRefreshTokens are the refresh tokens the scenario's authorization
// servers issued.
func (o *Observation) issuedRefreshTokens() []issuedRefreshToken {
	var out []issuedRefreshToken
	for _, token := range o.RefreshTokens {
		out = append(out, issuedRefreshToken{token, o.Endpoints.Token})
	}
	if o.Next != nil {
		for _, token := range o.Next.RefreshTokens {
			out = append(out, issuedRefreshToken{token, o.Next.Endpoints.Token})
		}
	}
	return out
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// serve announces the scenario's URL (and the context a launched client
// would get) and waits until the person is done or the run ends.
func (s *Serving) serve(ctx context.Context, scenario, mcpURL string, clientContext map[string]any) Outcome {
	line := fmt.Sprintf("serving %-40s %s", scenario, mcpURL)
	if len(clientContext) > 0 {
		context, _ := json.Marshal(clientContext)
		line += "  (client: " + string(context) + ")"
	}
	fmt.Fprintln(s.Announce, line)
	started := time.Now()
	select {
	case <-s.Done:
	case <-ctx.Done():
	}
	return Outcome{ExitCode: -1, Served: true, Duration: time.Since(started)}
}

// mergedContext is base with extra's entries added.
func mergedContext(base, extra map[string]any) map[string]any {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]any{}
	}
	maps.Copy(out, extra)
	return out
}

// contextSecrets are the context entries whose values are secrets.
var contextSecrets = []string{"client_secret", "private_key_pem", contextInitialAccessToken}

// learnContextSecrets tells redactor the secrets the context gives the
// client; a PEM key line by line too, as a client may quote it reflowed.
func learnContextSecrets(redactor *evidence.Redactor, clientContext map[string]any) {
	if redactor == nil {
		return
	}
	for _, name := range contextSecrets {
		value, _ := clientContext[name].(string)
		redactor.Add(value)
		for line := range strings.Lines(value) {
			if line = strings.TrimSpace(line); !strings.HasPrefix(line, "-----") {
				redactor.Add(line)
			}
		}
	}
}

// secretParams are the request parameters whose values are secrets.
var secretParams = []string{"code", "code_verifier", "access_token", "refresh_token", "client_secret", "client_assertion"}

// learnSecrets tells redactor every secret the client sent, so its output
// and the evidence name none of them, whatever form they are quoted in.
func learnSecrets(redactor *evidence.Redactor, requests []mockserver.CapturedRequest) {
	if redactor == nil {
		return
	}
	for _, r := range requests {
		for _, values := range []url.Values{r.URL.Query(), r.Form()} {
			for _, p := range secretParams {
				redactor.Add(values[p]...)
			}
		}
		for _, a := range r.Header.Values("Authorization") {
			if _, credentials, ok := strings.Cut(a, " "); ok {
				redactor.Add(strings.TrimSpace(credentials))
			}
		}
	}
}

// To returns the requests sent to endpoint (its query ignored).
func (o *Observation) To(endpoint string) []mockserver.CapturedRequest {
	var out []mockserver.CapturedRequest
	for _, r := range o.Requests {
		if sameEndpoint(r.URL, endpoint) {
			out = append(out, r)
		}
	}
	return out
}

func sameEndpoint(u *url.URL, endpoint string) bool {
	e, err := url.Parse(endpoint)
	return err == nil && u.Scheme == e.Scheme && u.Host == e.Host && u.Path == e.Path
}

// AuthorizationRequests are the requests that reached the authorization
// endpoint (through the client's user agent).
func (o *Observation) AuthorizationRequests() []mockserver.CapturedRequest {
	return o.To(o.Endpoints.Authorization)
}

// TokenRequests are the requests that reached the token endpoint.
func (o *Observation) TokenRequests() []mockserver.CapturedRequest { return o.To(o.Endpoints.Token) }

// RegistrationRequests are the requests that reached the registration
// endpoint.
func (o *Observation) RegistrationRequests() []mockserver.CapturedRequest {
	return o.To(o.Endpoints.Registration)
}

// MCPRequests are the requests that reached the MCP endpoint.
func (o *Observation) MCPRequests() []mockserver.CapturedRequest { return o.To(o.MCPURL) }

// AuthenticatedMCPRequests are the MCP requests carrying an Authorization
// header.
func (o *Observation) AuthenticatedMCPRequests() []mockserver.CapturedRequest {
	var out []mockserver.CapturedRequest
	for _, r := range o.MCPRequests() {
		if r.Header.Get("Authorization") != "" {
			out = append(out, r)
		}
	}
	return out
}

// servedWithToken reports whether an MCP request carrying an access token
// was served: the client got through the flow.
func (o *Observation) servedWithToken() bool {
	for _, r := range o.AuthenticatedMCPRequests() {
		if r.Status == http.StatusOK {
			return true
		}
	}
	return false
}

// Evidence is every request the scenario's counterparts received, redacted,
// then how the client ended.
func (o *Observation) Evidence() []evidence.Exchange {
	if o == nil {
		return nil
	}
	redactor := o.redactor
	if redactor == nil {
		redactor = &evidence.Redactor{}
	}
	var out []evidence.Exchange
	for _, r := range o.Requests {
		out = append(out, r.Exchange(redactor))
	}
	return out
}

// redacted is text with every secret the run learnt hidden.
func (o *Observation) redacted(text string) string {
	if o.redactor == nil {
		return text
	}
	return o.redactor.Text(text)
}

// Ending says in one line how the client ended, and its last words, for
// messages.
func (o *Observation) Ending() string {
	ending := fmt.Sprintf("the client exited with status %d", o.Outcome.ExitCode)
	switch {
	case o.Outcome.Err != "":
		return o.Outcome.Err
	case o.Outcome.Served:
		return fmt.Sprintf("served at %s for %s", o.MCPURL, o.Outcome.Duration.Round(time.Second))
	case o.Outcome.TimedOut:
		ending = fmt.Sprintf("the client was killed at the time limit after %s", o.Outcome.Duration.Round(time.Millisecond))
	}
	if last := lastLine(o.Outcome.Output); last != "" && o.redactor != nil {
		ending += "; its last output: " + o.redacted(last)
	}
	return ending
}

// lastLine is the last non-blank line of output, cut to a readable length.
func lastLine(output string) string {
	lines := strings.Split(strings.TrimSpace(output), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if len(last) > 200 {
		last = last[:200] + "..."
	}
	return last
}
