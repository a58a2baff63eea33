// Package mockserver is the bundled reference target for server mode: an
// MCP server acting as OAuth resource server, plus the metadata of its
// authorization server, correct for each MCP specification revision, with
// named faults that each break one requirement.
package mockserver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

const (
	readHeaderTimeout = 5 * time.Second
	// shutdownTimeout bounds Close; every handler returns once its request
	// context ends, so reaching it means a handler is broken.
	shutdownTimeout = 10 * time.Second
)

type config struct {
	revision               spec.Revision
	faults                 []fault.Name
	log                    io.Writer
	capture                bool       // keep whole requests for client mode (capture.go)
	injectCallback         bool       // an attacker's authorization response first (inject.go)
	injectErrorCallback    bool       // an attacker's error responses first (inject.go)
	replayCallback         bool       // the first authorization response again, in a later flow (inject.go)
	tokenType              string     // token_type of successful token responses; "": Bearer (token_faults.go)
	issNotAdvertised       bool       // metadata without authorization_response_iss_parameter_supported (WithoutISSAdvertised)
	registrationAuthMethod string     // the token endpoint auth method registration assigns (registration.go)
	interactionCookie      string     // the cookie the authorization endpoint requires; "": none (interaction.go)
	busyToken              *busyState // the token endpoint's busy answers (busy.go)
	// Filled by the options of the other areas' files.
	tls                          bool     // serve HTTPS with a generated certificate (tls.go)
	initialAccessToken           string   // registration needs this token when set (registration.go)
	clients                      []Client // pre-registered clients (registration.go)
	opaqueTokens                 bool     // opaque access tokens, which the resource server introspects (introspection.go)
	upstream                     string   // API the fetch_upstream tool calls (upstream.go)
	rootIssuer                   bool     // the issuer has no path (routes.go)
	metadataOnlyInChallenge      bool     // protected resource metadata only at a custom URL (routes.go)
	address                      string   // the MCP server's listen address (address.go)
	trustedIssuer                string   // another issuer whose tokens the MCP endpoint accepts (trusted.go)
	trustedJWKS                  string
	login                        *loginState     // sign-in and consent pages (login.go)
	noRegistration               bool            // no dynamic client registration (login.go)
	toolListScope                string          // tools/list needs this scope too (stepup.go)
	toolListInsufficient         bool            // tools/list is refused whatever the token holds (stepup.go)
	scopeOnlyForTools            bool            // no scope needed but the tools' own (stepup.go)
	challengeOmitsHeld           bool            // insufficient_scope challenges leave out the scopes held (stepup.go)
	expiringTokens               int             // short-lived access tokens first (expiry.go)
	rotateRefreshTokens          bool            // every client's refresh token rotates (expiry.go)
	noRefreshTokens              bool            // no refresh token for any grant (expiry.go)
	offlineAccess                bool            // the authorization server lists and grants offline_access (offline.go)
	refreshOnlyForOfflineAccess  bool            // refresh tokens only for grants of offline_access (offline.go)
	authorizationEndpoint        hostileEndpoint // what the metadata names as authorization endpoint (hostile_endpoint.go)
	authorizationAfterInitialize bool            // initialize passes without a token (lateauth.go)
	originResource               bool            // the protected resource is the MCP server's origin (resource.go)
	originMetadataDecoy          bool            // the MCP server's origin serves metadata of its own (decoy.go)
	redirectToSecondServer       bool            // authorized MCP requests go on to a second server (redirect.go)
	clientCredentialsOnly        string          // machine clients only, authenticating this way (clientcredentials.go)
	noCIMD                       bool            // client ID metadata documents neither advertised nor resolved (cimd.go)
	migration                    bool            // a second authorization server the MCP server moves to (migration.go)
	mixUp                        bool            // the authorization server sends users on to an honest one (mixup.go)
	resourceServer               *Server         // set: only an authorization server, for this one's MCP endpoint (migration.go)
	noSessionIDs                 bool            // the MCP endpoint assigns no session IDs (session.go)
}

// Option configures Run.
type Option func(*config)

// WithRevision selects the MCP specification revision to serve (default
// spec.Latest).
func WithRevision(r spec.Revision) Option {
	return func(c *config) { c.revision = r }
}

// WithFaults switches on named faults (see Faults); calls add up.
func WithFaults(names ...fault.Name) Option {
	return func(c *config) { c.faults = append(c.faults, names...) }
}

// WithRequestLog writes one line per request received (method, path,
// status, decision) to w. Queries, headers and bodies are never written.
func WithRequestLog(w io.Writer) Option {
	return func(c *config) { c.log = w }
}

// WithClient registers a client ahead of time, as an administrator would;
// calls add up.
func WithClient(c Client) Option {
	return func(cfg *config) { cfg.clients = append(cfg.clients, c) }
}

// WithInitialAccessToken protects dynamic client registration: a request
// must carry this token as a Bearer credential (RFC 7591 §3).
func WithInitialAccessToken(token string) Option {
	return func(c *config) { c.initialAccessToken = token }
}

// WithOpaqueTokens issues opaque access tokens, which the resource server
// checks by introspection (RFC 7662), instead of JWTs.
func WithOpaqueTokens() Option {
	return func(c *config) { c.opaqueTokens = true }
}

// WithRootIssuer makes the authorization server's issuer its bare origin,
// so its metadata lives at the root well-known URLs (2025-06-18 on).
func WithRootIssuer() Option {
	return func(c *config) { c.rootIssuer = true }
}

// WithMetadataOnlyInChallenge serves the protected resource metadata only
// at a custom URL that the 401 challenge names, none of the well-known ones
// (2025-06-18 on; from 2025-11-25 the challenge is enough).
func WithMetadataOnlyInChallenge() Option {
	return func(c *config) { c.metadataOnlyInChallenge = true }
}

// origin is how clients reach one listener: by its address, and by the name
// "localhost", which is the same socket but a different host.
type origin struct {
	local   string // http(s)://127.0.0.1:port
	offhost string // http(s)://localhost:port
}

func originOf(ln net.Listener, scheme string) origin {
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	return origin{
		local:   scheme + "://" + net.JoinHostPort("127.0.0.1", port),
		offhost: scheme + "://" + net.JoinHostPort("localhost", port),
	}
}

// Server is a running reference target.
type Server struct {
	revision spec.Revision
	cfg      config
	faults   faultSet
	key      *signingKey
	store    *store
	log      *requestLog
	tls      *tlsIdentity // nil without WithTLS
	trusted  *trustedKeys // nil without WithTrustedIssuer
	// expiringIssued counts the access tokens issued for grants, against
	// WithExpiringTokens.
	expiringIssued atomic.Int32
	// connections counts the TCP connections accepted, TLS handshakes that
	// failed included.
	connections atomic.Int64
	shellMarker string // WithShellCommandInAuthorizationEndpoint
	// next is the authorization server of WithAuthorizationServerMigration;
	// migrated, whether the MCP server has moved to it.
	next     *Server
	migrated atomic.Bool
	honest   *Server  // WithMixUp
	sessions sync.Map // the MCP session IDs assigned (session.go)
	// firstResponse is the first authorization response with a code, which
	// WithReplayedCallback delivers again.
	firstResponse atomic.Pointer[url.Values]

	rsOrigin, asOrigin origin // the same listener before 2025-06-18

	mcpURL        string
	resource      string // the protected resource's identifier: mcpURL, or its origin (WithOriginResource)
	otherResource string // a second resource the authorization server serves (otherresource.go)
	issuer        string
	prmURL        string // path-inserted protected resource metadata
	prmRootURL    string
	prmCustomURL  string // WithMetadataOnlyInChallenge
	asMetadataURL string // RFC 8414
	openIDURL     string // OpenID discovery, appended to the issuer
	jwksURL       string

	servers        []*http.Server
	serving        sync.WaitGroup
	serveErrs      chan error
	cancelRequests context.CancelFunc
	stopWatching   func() bool
	closeOnce      sync.Once
	closeErr       error
}

// Run starts the target on loopback: one listener for 2025-03-26 (the MCP
// server is its own authorization server), otherwise one for the resource
// server and one for the authorization server. It stops when ctx is done or
// Close is called.
func Run(ctx context.Context, opts ...Option) (*Server, error) {
	cfg := config{revision: spec.Latest}
	for _, opt := range opts {
		opt(&cfg)
	}
	if _, err := spec.ParseRevision(string(cfg.revision)); err != nil {
		return nil, fmt.Errorf("mockserver: %w", err)
	}
	faults, err := newFaultSet(cfg.revision, cfg.faults)
	if err != nil {
		return nil, err
	}
	if err := cfg.checkStepUp(); err != nil {
		return nil, err
	}
	key, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	s := &Server{revision: cfg.revision, cfg: cfg, faults: faults, key: key, store: newStore(),
		log: &requestLog{w: cfg.log, capture: cfg.capture}}
	if cfg.resourceServer != nil {
		s.log = cfg.resourceServer.log // one record of everything the client sent
	}
	for _, c := range cfg.clients {
		s.store.addClient(c.registered())
	}
	if cfg.authorizationEndpoint == shellCommandEndpoint {
		s.shellMarker = newShellMarker()
	}
	if cfg.trustedIssuer != "" {
		s.trusted = &trustedKeys{url: cfg.trustedJWKS, client: newBackchannelClient(nil)}
	}
	if cfg.tls {
		if s.tls, err = newTLSIdentity(time.Now()); err != nil {
			return nil, err
		}
	}

	count := 1
	if s.ownAuthorizationServerListener() {
		count = 2
	}
	addrs, err := cfg.listenAddresses(count)
	if err != nil {
		return nil, err
	}
	listeners, err := listen(ctx, addrs)
	if err != nil {
		return nil, err
	}
	s.rsOrigin = originOf(listeners[0], s.tls.scheme())
	s.asOrigin = originOf(listeners[count-1], s.listenerTLS(count-1).scheme())
	if err := s.resolveURLs(); err != nil {
		closeAll(listeners)
		return nil, fmt.Errorf("mockserver: discovery urls: %w", err)
	}
	if err := errors.Join(s.startNextAuthorizationServer(ctx), s.startHonestAuthorizationServer(ctx)); err != nil {
		s.closeSecondAuthorizationServers()
		closeAll(listeners)
		return nil, err
	}
	handlers, err := s.routes()
	if err != nil {
		closeAll(listeners)
		return nil, err
	}
	s.start(ctx, listeners, handlers)
	return s, nil
}

// ownAuthorizationServerListener: from 2025-06-18 the authorization server
// is a separate party, so it gets its own origin. An authorization server
// alone (migration.go) has one listener, its own.
func (s *Server) ownAuthorizationServerListener() bool {
	return s.revision.UsesProtectedResourceMetadata() && s.cfg.resourceServer == nil
}

func listen(ctx context.Context, addrs []string) ([]net.Listener, error) {
	var lc net.ListenConfig
	var out []net.Listener
	for _, addr := range addrs {
		ln, err := lc.Listen(ctx, "tcp", addr)
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("mockserver: listen: %w", err)
		}
		out = append(out, ln)
	}
	return out, nil
}

func closeAll(listeners []net.Listener) {
	for _, ln := range listeners {
		ln.Close()
	}
}

func (s *Server) start(ctx context.Context, listeners []net.Listener, handlers []http.Handler) {
	// Every request context derives from this one, so cancelling it ends
	// hanging and streaming handlers before Shutdown waits for them.
	requests, cancel := context.WithCancel(context.Background())
	s.cancelRequests = cancel
	s.serveErrs = make(chan error, len(listeners))
	for i, ln := range listeners {
		srv := &http.Server{
			ConnState: s.countConnection,
			// Clients breaking off TLS handshakes is what some scenarios
			// expect, not news for the console.
			ErrorLog:          log.New(cmp.Or[io.Writer](s.cfg.log, io.Discard), "mockserver: ", 0),
			Handler:           s.log.wrap(handlers[i]),
			ReadHeaderTimeout: readHeaderTimeout,
			BaseContext:       func(net.Listener) context.Context { return requests },
			TLSConfig:         s.listenerTLS(i).serverConfig(),
		}
		s.servers = append(s.servers, srv)
		s.serving.Add(1)
		go func() {
			defer s.serving.Done()
			if err := s.listenerTLS(i).serve(srv, ln); !errors.Is(err, http.ErrServerClosed) {
				s.serveErrs <- fmt.Errorf("mockserver: serve: %w", err)
			}
		}()
	}
	s.stopWatching = context.AfterFunc(ctx, func() { s.Close() })
}

// Close stops the listeners, ends every request in flight and waits for the
// handlers to return. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.stopWatching()
		s.cancelRequests()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		var errs []error
		for _, srv := range s.servers {
			if err := srv.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("mockserver: shutdown: %w", err))
				srv.Close()
			}
		}
		s.serving.Wait()
		close(s.serveErrs)
		for err := range s.serveErrs {
			errs = append(errs, err)
		}
		errs = append(errs, s.closeSecondAuthorizationServers())
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// MCPURL is the MCP endpoint, also the resource identifier tokens are for.
func (s *Server) MCPURL() string { return s.mcpURL }

// IssuerURL is the authorization server's issuer identifier.
func (s *Server) IssuerURL() string { return s.issuer }

// URLs names the URLs of this target for people: where each document lives
// in the served revision (faults may make some of them misbehave).
func (s *Server) URLs() map[string]string {
	urls := map[string]string{
		"mcp":                         s.mcpURL,
		"authorization server issuer": s.issuer,
		"jwks":                        s.jwksURL,
	}
	if second := s.SecondMCPURL(); second != "" {
		urls["second mcp"] = second
	}
	if s.revision.UsesProtectedResourceMetadata() {
		urls["other resource (--other-resource)"] = s.otherResource
		if s.cfg.metadataOnlyInChallenge {
			urls["protected resource metadata"] = s.prmCustomURL
		} else {
			urls["protected resource metadata"] = s.prmURL
			urls["protected resource metadata (root)"] = s.prmRootURL
		}
	}
	if s.publishesOAuthMetadata() {
		urls["authorization server metadata"] = s.asMetadataURL
	}
	if s.publishesOpenIDConfiguration() {
		urls["openid configuration"] = s.openIDURL
	}
	return urls
}

// closeSecondAuthorizationServers closes the migration's and the mix-up's
// second authorization servers, those started.
func (s *Server) closeSecondAuthorizationServers() error {
	var errs []error
	for _, second := range []*Server{s.next, s.honest} {
		if second != nil {
			errs = append(errs, second.Close())
		}
	}
	return errors.Join(errs...)
}
