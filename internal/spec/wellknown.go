package spec

import (
	"fmt"
	"net/url"
	"strings"
)

// Well-known suffixes (RFC 9728 §3, RFC 8414 §3, OpenID Connect Discovery §4).
const (
	SuffixProtectedResource   = "oauth-protected-resource"
	SuffixAuthorizationServer = "oauth-authorization-server"
	SuffixOpenIDConfiguration = "openid-configuration"
)

// InsertWellKnown puts /.well-known/<suffix> between the authority and the
// path of id, dropping a terminating slash of the path first (RFC 8414 §3.1,
// RFC 9728 §3.1). The query is kept; a fragment is an error.
func InsertWellKnown(id, suffix string) (string, error) {
	u, err := parseIdentifier(id)
	if err != nil {
		return "", err
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	out := *u
	out.RawPath = ""
	out.Path = ""
	return withPath(&out, "/.well-known/"+suffix+path), nil
}

// AppendWellKnown adds /.well-known/<suffix> after the path of id (OpenID
// Connect Discovery §4.1).
func AppendWellKnown(id, suffix string) (string, error) {
	u, err := parseIdentifier(id)
	if err != nil {
		return "", err
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	out := *u
	return withPath(&out, path+"/.well-known/"+suffix), nil
}

// RootWellKnown is /.well-known/<suffix> at the origin of id.
func RootWellKnown(id, suffix string) (string, error) {
	base, err := Origin(id)
	if err != nil {
		return "", err
	}
	return base + "/.well-known/" + suffix, nil
}

// Origin is scheme://host[:port] of id: the 2025-03-26 authorization base URL.
func Origin(id string) (string, error) {
	u, err := parseIdentifier(id)
	if err != nil {
		return "", err
	}
	return u.Scheme + "://" + u.Host, nil
}

// HasPath reports whether id has a path other than "/".
func HasPath(id string) bool {
	u, err := url.Parse(id)
	return err == nil && strings.Trim(u.Path, "/") != ""
}

// MetadataCandidate is one URL where a revision looks for authorization
// server metadata, in the order a client tries them.
type MetadataCandidate struct {
	URL    string
	OpenID bool // an OpenID Connect discovery document rather than RFC 8414
}

// AuthorizationServerMetadataURLs lists, in order, where a client of revision
// r looks for the metadata of issuer (2025-06-18: RFC 8414 only; from
// 2025-11-25: RFC 8414, then OpenID discovery inserted, then appended for an
// issuer with a path).
func (r Revision) AuthorizationServerMetadataURLs(issuer string) ([]MetadataCandidate, error) {
	oauth, err := InsertWellKnown(issuer, SuffixAuthorizationServer)
	if err != nil {
		return nil, err
	}
	out := []MetadataCandidate{{URL: oauth}}
	if !r.AllowsOpenIDDiscovery() {
		return out, nil
	}
	oidcInserted, err := InsertWellKnown(issuer, SuffixOpenIDConfiguration)
	if err != nil {
		return nil, err
	}
	out = append(out, MetadataCandidate{URL: oidcInserted, OpenID: true})
	if HasPath(issuer) {
		appended, err := AppendWellKnown(issuer, SuffixOpenIDConfiguration)
		if err != nil {
			return nil, err
		}
		out = append(out, MetadataCandidate{URL: appended, OpenID: true})
	}
	return out, nil
}

// LegacyMetadataURL is where a 2025-03-26 client looks for metadata: the
// root of the MCP server's origin, never path insertion.
func LegacyMetadataURL(mcpURL string) (string, error) {
	return RootWellKnown(mcpURL, SuffixAuthorizationServer)
}

func parseIdentifier(id string) (*url.URL, error) {
	u, err := url.Parse(id)
	if err != nil {
		return nil, fmt.Errorf("spec: parse %q: %w", id, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("spec: %q is not an absolute URL", id)
	}
	if u.Fragment != "" {
		return nil, fmt.Errorf("spec: %q has a fragment", id)
	}
	return u, nil
}

func withPath(u *url.URL, escapedPath string) string {
	s := u.Scheme + "://" + u.Host + escapedPath
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	return s
}
