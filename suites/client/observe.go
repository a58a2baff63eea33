package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
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
	// RefreshTokens are the refresh tokens the authorization server issued,
	// in order.
	RefreshTokens []string
	// ClientIDs are the client IDs the authorization server's dynamic
	// registration issued, in order.
	ClientIDs []string
	Requests  []mockserver.CapturedRequest
	Outcome   Outcome
	// Err: the counterparts could not be started; nothing was observed.
	Err      error
	redactor *evidence.Redactor
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

// Observe runs each scenario once, Parallel at a time, each with its own
// counterparts on their own ports.
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
		slots <- struct{}{} // taken in order, so the slow ones start first
		wg.Go(func() {
			defer func() { <-slots }()
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
	opts := append([]mockserver.Option{mockserver.WithRevision(cfg.Revision), mockserver.WithRequestCapture()}, sc.Options...)
	srv, err := mockserver.Run(ctx, opts...)
	if err != nil {
		o.Err = fmt.Errorf("client: %s: start the counterparts: %w", sc.Name, err)
		return o
	}
	o.MCPURL, o.Issuer, o.Endpoints, o.URLs = srv.MCPURL(), srv.IssuerURL(), srv.OAuthEndpoints(), srv.URLs()
	o.Scopes = srv.AdvertisedScopes()
	if cfg.Serve != nil {
		o.Outcome = cfg.Serve.serve(ctx, sc, o.MCPURL)
	} else {
		o.Outcome = cfg.Launcher.Launch(ctx, sc.Name, o.MCPURL, sc.Context)
	}
	srv.Close() // requests still in flight finish and are captured
	o.Requests, o.RefreshTokens, o.ClientIDs = srv.Requests(), srv.IssuedRefreshTokens(), srv.RegisteredClientIDs()
	learnSecrets(cfg.Redactor, o.Requests)
	if cfg.Redactor != nil {
		// Issued, so secret wherever the client puts them.
		cfg.Redactor.Add(o.RefreshTokens...)
	}
	return o
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
func (s *Serving) serve(ctx context.Context, sc Scenario, mcpURL string) Outcome {
	line := fmt.Sprintf("serving %-40s %s", sc.Name, mcpURL)
	if len(sc.Context) > 0 {
		context, _ := json.Marshal(sc.Context)
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
		ending += "; its last output: " + o.redactor.Text(last)
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
