package refclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
)

// findResourceMetadata is step b (RFC 9728): the challenge's
// resource_metadata URL and nothing else when it names one, else the
// path-inserted then the root well-known URL. It returns nil when no
// document was found: the MCP server then follows the 2025-03-26 layout.
func (f *flow) findResourceMetadata(ctx context.Context, challenge map[string]string) (*mockclient.Document, error) {
	if named := challenge["resource_metadata"]; named != "" {
		if !f.has(fault.ClientIgnoreResourceMetadata) {
			doc, err := f.http.GetDocument(ctx, named)
			if err != nil {
				return nil, fmt.Errorf("refclient: protected resource metadata the challenge names: %w", err)
			}
			return doc, f.checkResource(doc, true)
		}
		f.logf("ignoring the challenge's resource_metadata (fault %s)", fault.ClientIgnoreResourceMetadata)
	}
	if challenge["resource_metadata"] == "" && f.has(fault.ClientNoWellKnownFallback) {
		f.logf("the challenge names no resource_metadata: taking the MCP server for a 2025-03-26 one (fault %s)", fault.ClientNoWellKnownFallback)
		return nil, nil
	}
	inserted, err := spec.InsertWellKnown(f.cfg.MCPURL, spec.SuffixProtectedResource)
	if err != nil {
		return nil, fmt.Errorf("refclient: protected resource metadata: %w", err)
	}
	candidates := []string{inserted}
	if root := f.rootMetadataURL(); root != inserted && !f.has(fault.ClientNoRootMetadataFallback) {
		candidates = append(candidates, root)
	}
	for i, candidate := range candidates {
		doc, err := f.http.GetDocument(ctx, candidate)
		if err != nil {
			f.logf("no protected resource metadata at %s: %v", candidate, err)
			continue
		}
		return doc, f.checkResource(doc, i == 0)
	}
	return nil, nil
}

// rootMetadataURL is the protected resource metadata URL at the MCP
// server's origin.
func (f *flow) rootMetadataURL() string {
	root, _ := spec.RootWellKnown(f.cfg.MCPURL, spec.SuffixProtectedResource) // Run checked the URL
	return root
}

// checkResource requires the metadata to be about the MCP URL (RFC 9728
// §3.3): exactly, except that a document at the root URL may name the
// origin or a path above the MCP endpoint, which the root serves.
func (f *flow) checkResource(doc *mockclient.Document, exact bool) error {
	resource, _ := doc.String("resource")
	f.logf("protected resource metadata at %s: resource %q", doc.URL, resource)
	if resource == f.cfg.MCPURL || !exact && containsResource(resource, f.cfg.MCPURL) {
		return nil
	}
	return f.refuseUnless(fault.ClientSkipResourceCheck,
		fmt.Sprintf("protected resource metadata at %s names resource %q, not %s", doc.URL, resource, f.cfg.MCPURL))
}

// containsResource reports whether resource is the origin of mcpURL or a
// path on that origin above it, compared segment by segment.
func containsResource(resource, mcpURL string) bool {
	r, err := url.Parse(resource)
	if err != nil {
		return false
	}
	m, err := url.Parse(mcpURL)
	if err != nil || r.Scheme != m.Scheme || r.Host != m.Host || r.RawQuery != "" || r.Fragment != "" {
		return false
	}
	prefix := strings.TrimSuffix(r.EscapedPath(), "/")
	path := m.EscapedPath()
	return prefix == "" || path == prefix || strings.HasPrefix(path, prefix+"/")
}

// authorizationServer is what the client knows of the authorization server
// after discovery.
type authorizationServer struct {
	issuer                string
	authorizationEndpoint string
	tokenEndpoint         string
	registrationEndpoint  string // "" when it offers none
	issParameterSupported bool   // RFC 9207: the authorization response carries iss
	scopesSupported       string // its metadata's scopes_supported, space-separated
	grantTypes            []string
	// metadataDocuments: it takes a client ID metadata document URL as
	// client_id (client_id_metadata_document_supported).
	metadataDocuments bool
}

// findAuthorizationServer is step c: the metadata of the first authorization
// server the protected resource metadata lists, at the RFC 8414 then the
// OpenID Connect discovery URLs; without protected resource metadata, the
// 2025-03-26 layout.
func (f *flow) findAuthorizationServer(ctx context.Context, prm *mockclient.Document) (*authorizationServer, error) {
	if prm == nil {
		return f.legacyAuthorizationServer(ctx)
	}
	if f.has(fault.ClientOriginMetadataFirst) {
		if as, err := f.originAuthorizationServer(ctx); err == nil {
			return as, nil
		}
	}
	servers, _ := prm.Strings("authorization_servers")
	if len(servers) == 0 {
		return nil, fmt.Errorf("refclient: protected resource metadata at %s lists no authorization_servers", prm.URL)
	}
	issuer := servers[0]
	candidates, err := f.metadataCandidates(issuer)
	if err != nil {
		return nil, fmt.Errorf("refclient: authorization server %q: %w", issuer, err)
	}
	var tried []string
	for _, candidate := range candidates {
		doc, err := f.http.GetDocument(ctx, candidate.URL)
		if err != nil {
			tried = append(tried, err.Error())
			continue
		}
		return f.fromMetadata(doc, issuer)
	}
	if f.has(fault.ClientFallbackToMCPOrigin) {
		f.logf("no metadata for issuer %s: falling back to the MCP server's origin (fault %s)", issuer, fault.ClientFallbackToMCPOrigin)
		return f.legacyAuthorizationServer(ctx)
	}
	return nil, fmt.Errorf("refclient: no authorization server metadata for issuer %s: %s", issuer, strings.Join(tried, "; "))
}

// metadataCandidates are the URLs where the metadata of issuer may be, in
// the order to try them: the newest revision's, which include every older
// revision's.
func (f *flow) metadataCandidates(issuer string) ([]spec.MetadataCandidate, error) {
	candidates, err := spec.Latest.AuthorizationServerMetadataURLs(issuer)
	if err != nil {
		return nil, err
	}
	if f.has(fault.ClientNoOIDCDiscovery) {
		f.logf("not looking for OpenID Connect discovery metadata (fault %s)", fault.ClientNoOIDCDiscovery)
		candidates = slices.DeleteFunc(candidates, func(c spec.MetadataCandidate) bool { return c.OpenID })
	}
	if f.has(fault.ClientRootIssuerTrailingSlash) && !spec.HasPath(issuer) {
		// The bug: an issuer without a path taken to have the path "/".
		f.logf("inserting the issuer's path as \"/\" (fault %s)", fault.ClientRootIssuerTrailingSlash)
		for i := range candidates {
			candidates[i].URL += "/"
		}
	}
	if f.has(fault.ClientAppendWellKnown) {
		appended, err := spec.AppendWellKnown(issuer, spec.SuffixAuthorizationServer)
		if err != nil {
			return nil, err
		}
		f.logf("looking at %s first (fault %s)", appended, fault.ClientAppendWellKnown)
		candidates = append([]spec.MetadataCandidate{{URL: appended}}, candidates...)
	}
	return candidates, nil
}

// legacyAuthorizationServer is the 2025-03-26 layout: the MCP server's
// origin is the authorization server, its RFC 8414 metadata at the root,
// and when that answers 404, the default endpoints.
func (f *flow) legacyAuthorizationServer(ctx context.Context) (*authorizationServer, error) {
	f.logf("no protected resource metadata: the MCP server's origin is the authorization server (2025-03-26)")
	origin, metadataURL, doc, err := f.originMetadata(ctx)
	switch {
	case doc == nil:
		return nil, err
	case err == nil:
		return f.fromMetadata(doc, origin)
	case doc.Response != nil && doc.Response.Status == http.StatusNotFound && f.has(fault.ClientNoDefaultEndpoints):
		return nil, fmt.Errorf("refclient: no authorization server metadata at %s, and the default endpoints not tried (fault %s)",
			metadataURL, fault.ClientNoDefaultEndpoints)
	case doc.Response != nil && doc.Response.Status == http.StatusNotFound:
		f.logf("no authorization server metadata at %s: the default endpoints of %s", metadataURL, origin)
		return &authorizationServer{
			issuer:                origin,
			authorizationEndpoint: origin + "/authorize",
			tokenEndpoint:         origin + "/token",
			registrationEndpoint:  origin + "/register",
		}, nil
	}
	return nil, fmt.Errorf("refclient: authorization server metadata: %w", err)
}

// originAuthorizationServer is the authorization server whose metadata
// the MCP server's origin serves at the 2025-03-26 URL (client.origin-metadata-first).
func (f *flow) originAuthorizationServer(ctx context.Context) (*authorizationServer, error) {
	origin, _, doc, err := f.originMetadata(ctx)
	if err != nil {
		return nil, err
	}
	f.logf("using the metadata at the MCP server's origin (fault %s)", fault.ClientOriginMetadataFirst)
	return f.fromMetadata(doc, origin)
}

// originMetadata asks the MCP server's origin for RFC 8414 metadata at the
// 2025-03-26 URL: the origin, that URL and the answer (nil when the URLs
// could not be built).
func (f *flow) originMetadata(ctx context.Context) (origin, metadataURL string, doc *mockclient.Document, err error) {
	if origin, err = spec.Origin(f.cfg.MCPURL); err != nil {
		return "", "", nil, fmt.Errorf("refclient: authorization base url: %w", err)
	}
	if metadataURL, err = spec.LegacyMetadataURL(f.cfg.MCPURL); err != nil {
		return "", "", nil, fmt.Errorf("refclient: authorization server metadata: %w", err)
	}
	doc, err = f.http.GetDocument(ctx, metadataURL)
	return origin, metadataURL, doc, err
}

// fromMetadata checks the metadata found for issuer: it must be that
// issuer's (RFC 8414 §3.3) and support S256 PKCE, the one method the
// client uses.
func (f *flow) fromMetadata(doc *mockclient.Document, issuer string) (*authorizationServer, error) {
	got, _ := doc.String("issuer")
	f.logf("authorization server metadata at %s: issuer %q", doc.URL, got)
	if got != issuer {
		if err := f.refuseUnless(fault.ClientSkipIssuerCheck,
			fmt.Sprintf("authorization server metadata at %s names issuer %q, not %q", doc.URL, got, issuer)); err != nil {
			return nil, err
		}
	}
	if methods, _ := doc.Strings("code_challenge_methods_supported"); !slices.Contains(methods, "S256") {
		if err := f.refuseUnless(fault.ClientSkipPKCECheck,
			fmt.Sprintf("authorization server metadata at %s does not list S256 in code_challenge_methods_supported", doc.URL)); err != nil {
			return nil, err
		}
	}
	as := &authorizationServer{issuer: issuer}
	as.authorizationEndpoint, _ = doc.String("authorization_endpoint")
	as.tokenEndpoint, _ = doc.String("token_endpoint")
	as.registrationEndpoint, _ = doc.String("registration_endpoint")
	scopes, _ := doc.Strings("scopes_supported")
	as.scopesSupported = strings.Join(scopes, " ")
	json.Unmarshal(doc.Members["authorization_response_iss_parameter_supported"], &as.issParameterSupported)
	if as.grantTypes, _ = doc.Strings("grant_types_supported"); len(as.grantTypes) == 0 {
		as.grantTypes = []string{"authorization_code", "implicit"} // RFC 8414 §2's default
	}
	json.Unmarshal(doc.Members["client_id_metadata_document_supported"], &as.metadataDocuments)
	switch {
	case as.authorizationEndpoint == "":
		return nil, fmt.Errorf("refclient: authorization server metadata at %s has no authorization_endpoint", doc.URL)
	case as.tokenEndpoint == "":
		return nil, fmt.Errorf("refclient: authorization server metadata at %s has no token_endpoint", doc.URL)
	}
	for _, endpoint := range []string{as.authorizationEndpoint, as.tokenEndpoint, as.registrationEndpoint} {
		if endpoint != "" && !secureEndpoint(endpoint) && !(f.has(fault.ClientPlainHTTPEndpoints) && strings.HasPrefix(endpoint, "http://")) {
			if err := f.refuseUnless(fault.ClientAnyEndpointScheme, fmt.Sprintf(
				"authorization server metadata at %s names endpoint %q, neither https nor http on loopback", doc.URL, endpoint)); err != nil {
				return nil, err
			}
		}
	}
	return as, nil
}

// secureEndpoint reports whether endpoint is one to open or send to: MCP
// serves every authorization server endpoint over https; http only on
// loopback, where the reference servers run.
func secureEndpoint(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "https" || u.Scheme == "http" && spec.IsLoopbackHost(u.Hostname())
}
