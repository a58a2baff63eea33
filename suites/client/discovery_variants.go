package client

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeDiscoveryVariants(s *Session) {
	Describe("Discovery variants", func() {
		It("falls back to the well-known metadata URLs when the challenge names none", check.ID("CL-DISC-002"), func() {
			s.expectCompletedIn("auth/challenge-without-metadata", []string{docPRM, docPRMRoot},
				"without resource_metadata in the 401 challenge the client must try the well-known protected resource metadata URLs")
		})

		It("finds OpenID Connect discovery metadata", check.ID("CL-DISC-003"), func() {
			s.expectCompletedIn("auth/oidc-only", []string{docOpenID},
				"clients must support OpenID Connect discovery as well as RFC 8414 authorization server metadata")
		})

		It("builds the metadata URL by inserting the well-known path before the issuer's path", check.ID("CL-DISC-004"), func() {
			o := check.Need(s.completedFlow())
			lookups := metadataLookups(o)
			if len(lookups) == 0 {
				Skip(check.NotRunPrefix + "in auth/dcr the client fetched no well-known document from the authorization server")
			}
			appended, _ := spec.AppendWellKnown(o.Issuer, spec.SuffixAuthorizationServer) // the counterparts' own issuer
			for _, r := range lookups {
				if sameEndpoint(r.URL, appended) {
					Fail(fmt.Sprintf("the client looked for the authorization server metadata at %s, the RFC 8414 suffix appended "+
						"to the issuer %s: it belongs between the host and the issuer's path (RFC 8414 §3.1)", r.URL.Path, o.Issuer))
				}
			}
			candidates, _ := s.revision.AuthorizationServerMetadataURLs(o.Issuer) // the counterparts' own issuer
			first := lookups[0]
			if !slices.ContainsFunc(candidates, func(c spec.MetadataCandidate) bool { return sameEndpoint(first.URL, c.URL) }) {
				var urls []string
				for _, c := range candidates {
					urls = append(urls, c.URL)
				}
				Fail(fmt.Sprintf("the client first looked for the authorization server metadata at %s, none of the URLs %s "+
					"defines for the issuer %s: %s", first.URL, s.revision, o.Issuer, strings.Join(urls, ", ")))
			}
		})

		It("falls back to the root protected resource metadata when the path-inserted one is missing", check.ID("CL-DISC-008"), func() {
			// The root document names the origin, as RFC 9728 §3.3 has a
			// document there name the identifier its URL was built from;
			// what the client asks for with it is CL-RES-002's to judge.
			check.Need(s.completedFlow())
			o := check.Need(s.Observe("auth/origin-resource"))
			if !fetchedAny(o, []string{docPRMRoot}) {
				Fail(fmt.Sprintf("without resource_metadata in the 401 challenge the client must try the root well-known protected "+
					"resource metadata URL when the path-inserted one answers 404: in auth/origin-resource it never fetched %s (%s)",
					o.URLs[docPRMRoot], o.Ending()))
			}
		})

		It("discovers an authorization server whose issuer has no path", check.ID("CL-DISC-005"), func() {
			s.expectCompletedIn("auth/root-issuer", []string{docASMetadata, docOpenID},
				"the metadata of an issuer without a path is at the root well-known URLs, with no trailing slash")
		})

		It("does not fall back to the MCP server's origin when its authorization server publishes no metadata", check.ID("CL-DISC-006"), func() {
			s.expectNothingAtOrigin("auth/authorization-server-metadata-missing",
				"the 2025-03-26 default endpoints at the MCP server's origin are not a fallback once the protected resource "+
					"names its authorization server")
		})

		It("uses the authorization server the protected resource names, not metadata at the MCP server's origin", check.ID("CL-DISC-007"), func() {
			s.expectNothingAtOrigin("auth/origin-metadata-decoy",
				"the MCP server's origin serves authorization server metadata of its own, but from 2025-06-18 the protected "+
					"resource metadata's authorization_servers say which authorization server to use; the origin's is not one")
		})

		It("uses the default endpoints when a 2025-03-26 server publishes no metadata", check.ID("CL-LEG-001"), func() {
			s.expectCompletedIn("auth/2025-03-26-oauth-endpoint-fallback", nil,
				"without metadata, a 2025-03-26 client must use /authorize, /token and /register at the MCP server's origin")
		})
	})
}

// expectNothingAtOrigin judges scenario name, whose MCP server's origin is
// not an authorization server the client may use: once it read the
// protected resource metadata, it sends nothing to the 2025-03-26 endpoints
// there.
func (s *Session) expectNothingAtOrigin(name, requirement string) {
	check.Need(s.completedFlow())
	o := check.Need(s.Observe(name))
	if !fetchedAny(o, []string{docPRM, docPRMRoot}) {
		Skip(fmt.Sprintf("%sin %s the client never fetched the protected resource metadata (%s)", check.NotRunPrefix, name, o.Ending()))
	}
	origin, _ := spec.Origin(o.MCPURL)
	for _, path := range []string{"/authorize", "/token", "/register"} {
		if n := len(o.To(origin + path)); n > 0 {
			Fail(fmt.Sprintf("in %s the client sent %d request(s) to %s%s: %s", name, n, origin, path, requirement))
		}
	}
}

// expectCompletedIn judges a layout other than the reference one: in
// scenario name a client that completes the normal flow must fetch one of
// documents, when any are named, and complete the flow there too.
func (s *Session) expectCompletedIn(name string, documents []string, requirement string) {
	check.Need(s.completedFlow())
	o := check.Need(s.Observe(name))
	if len(documents) > 0 && !fetchedAny(o, documents) {
		var urls []string
		for _, doc := range documents {
			if url, ok := o.URLs[doc]; ok {
				urls = append(urls, url)
			}
		}
		Fail(fmt.Sprintf("%s: in %s the client never fetched %s (%s)", requirement, name, strings.Join(urls, " or "), o.Ending()), 1)
	}
	if !o.servedWithToken() {
		Fail(fmt.Sprintf("%s: in %s no MCP request with an access token was served (%s)", requirement, name, o.Ending()), 1)
	}
}

// metadataLookups are the client's requests for RFC 8414 or OpenID Connect
// discovery documents at the authorization server's origin, in order:
// where it looked for the metadata, whatever URL it built.
func metadataLookups(o *Observation) []mockserver.CapturedRequest {
	origin, _ := spec.Origin(o.Issuer) // the counterparts' own issuer
	var out []mockserver.CapturedRequest
	for _, r := range o.Requests {
		if r.URL.Scheme+"://"+r.URL.Host != origin {
			continue
		}
		if strings.Contains(r.URL.Path, "/.well-known/"+spec.SuffixAuthorizationServer) ||
			strings.Contains(r.URL.Path, "/.well-known/"+spec.SuffixOpenIDConfiguration) {
			out = append(out, r)
		}
	}
	return out
}
