package mockserver

import (
	"net/http"
	"strings"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// resolveURLs derives every URL from the listeners' origins with the
// revision's discovery rules.
func (s *Server) resolveURLs() error {
	var err error
	s.mcpURL = s.rsOrigin.local + "/mcp"
	s.resource = s.mcpURL
	if s.cfg.originResource {
		s.resource = s.rsOrigin.local
	}
	s.otherResource = s.rsOrigin.local + otherResourcePath
	if rs := s.cfg.resourceServer; rs != nil {
		s.mcpURL, s.resource = rs.mcpURL, rs.resource // the resource its tokens are for
		s.otherResource = rs.otherResource
	}
	if s.revision.UsesProtectedResourceMetadata() {
		s.issuer = s.asOrigin.local + "/oauth" // a path issuer, so insertion matters
		if s.cfg.rootIssuer {
			s.issuer = s.asOrigin.local
		}
		s.prmCustomURL = s.rsOrigin.local + "/mcp-resource-metadata"
		if s.prmURL, err = spec.InsertWellKnown(s.mcpURL, spec.SuffixProtectedResource); err != nil {
			return err
		}
		if s.prmRootURL, err = spec.RootWellKnown(s.mcpURL, spec.SuffixProtectedResource); err != nil {
			return err
		}
		if s.asMetadataURL, err = spec.InsertWellKnown(s.issuer, spec.SuffixAuthorizationServer); err != nil {
			return err
		}
	} else {
		// 2025-03-26: the authorization base URL is the MCP server's origin.
		if s.issuer, err = spec.Origin(s.mcpURL); err != nil {
			return err
		}
		if s.asMetadataURL, err = spec.LegacyMetadataURL(s.mcpURL); err != nil {
			return err
		}
	}
	if s.openIDURL, err = spec.AppendWellKnown(s.issuer, spec.SuffixOpenIDConfiguration); err != nil {
		return err
	}
	s.jwksURL = s.issuer + "/jwks"
	return nil
}

func (s *Server) publishesOAuthMetadata() bool { return !s.faults[fault.ASMetadataOIDCOnly] }

func (s *Server) publishesOpenIDConfiguration() bool {
	return s.revision.AllowsOpenIDDiscovery() || s.faults[fault.ASMetadataOIDCOnly]
}

// routes returns one handler per listener: the resource server's, then the
// authorization server's when it has its own listener. Paths not routed
// answer 404.
func (s *Server) routes() ([]http.Handler, error) {
	rs := http.NewServeMux()
	as := rs
	handlers := []http.Handler{rs}
	if s.ownAuthorizationServerListener() {
		as = http.NewServeMux()
		handlers = append(handlers, as)
	}

	if s.cfg.resourceServer == nil {
		if err := s.mountResourceServer(rs); err != nil {
			return nil, err
		}
	}
	if err := s.mountAuthorizationServerRoutes(as); err != nil {
		return nil, err
	}
	return handlers, nil
}

// mountResourceServer routes the MCP endpoint and its protected resource
// metadata.
func (s *Server) mountResourceServer(rs *http.ServeMux) error {
	rs.Handle(pathOf(s.rsOrigin, s.mcpURL), s.requireBearer(s.assignSessionIDs(s.newMCPHandler())))
	if err := s.mountOriginMetadataDecoy(rs); err != nil {
		return err
	}
	s.mountSecondServer(rs)
	if !s.revision.UsesProtectedResourceMetadata() || s.faults[fault.RSPRMMissing] {
		return nil
	}
	serve, err := s.serveProtectedResourceMetadata()
	if err != nil {
		return err
	}
	switch {
	case s.cfg.metadataOnlyInChallenge:
		rs.Handle("GET "+pathOf(s.rsOrigin, s.prmCustomURL), serve)
	case s.prmAtRootOnly():
		rs.Handle("GET "+pathOf(s.rsOrigin, s.prmRootURL), serve)
	default:
		rs.Handle("GET "+pathOf(s.rsOrigin, s.prmRootURL), serve)
		rs.Handle("GET "+pathOf(s.rsOrigin, s.prmURL), serve)
	}
	return nil
}

// mountAuthorizationServerRoutes routes the authorization server's
// metadata, keys and endpoints.
func (s *Server) mountAuthorizationServerRoutes(as *http.ServeMux) error {
	if !s.faults[fault.ASMetadataMissing] {
		if s.publishesOAuthMetadata() {
			d, err := s.authorizationServerDelivery(false)
			if err != nil {
				return err
			}
			as.Handle("GET "+pathOf(s.asOrigin, s.asMetadataURL), serveDocument(d, s.asOrigin.local, s.asOrigin.offhost))
		}
		if s.publishesOpenIDConfiguration() {
			d, err := s.authorizationServerDelivery(true)
			if err != nil {
				return err
			}
			as.Handle("GET "+pathOf(s.asOrigin, s.openIDURL), serveDocument(d, s.asOrigin.local, s.asOrigin.offhost))
		}
	}
	as.HandleFunc("GET "+pathOf(s.asOrigin, s.jwksURL), s.serveJWKS)
	s.mountAuthorizationServer(as)
	return nil
}

// pathOf is the path of one of the server's own URLs on its listener.
func pathOf(o origin, url string) string { return strings.TrimPrefix(url, o.local) }

// Endpoint URLs of the authorization server, below the issuer.
func (s *Server) authorizationEndpoint() string { return s.issuer + "/authorize" }
func (s *Server) tokenEndpoint() string         { return s.issuer + "/token" }
func (s *Server) registrationEndpoint() string  { return s.issuer + "/register" }
func (s *Server) introspectionEndpoint() string { return s.issuer + "/introspect" }

// mountAuthorizationServer routes the OAuth endpoints; each area's file
// mounts its own.
func (s *Server) mountAuthorizationServer(as *http.ServeMux) {
	s.mountRegistration(as)
	s.mountAuthorization(as)
	s.mountToken(as)
	s.mountIntrospection(as)
}
