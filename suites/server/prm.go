package server

import (
	"context"
	"errors"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/fixtures"
	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/schema"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/suites/check"
)

func describeProtectedResourceMetadata(s *Session) {
	Describe("Protected resource metadata", func() {
		It("publishes protected resource metadata where clients look for it", check.ID("RS-PRM-001"), func(ctx SpecContext) {
			check.Require(s.discovery.ProtectedResourceMetadata(ctx))
		})

		It("serves protected resource metadata as application/json", check.ID("RS-PRM-002"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			Expect(doc.Response.ContentType()).To(Equal("application/json"),
				"protected resource metadata must be served as application/json")
		})

		It("publishes metadata at the path-inserted well-known URL", check.ID("RS-PRM-003"), func(ctx SpecContext) {
			if root, ok := s.rootMetadataNamedByChallenge(ctx); ok {
				check.Attach(root)
				return
			}
			check.Require(s.discovery.PathInsertedMetadata(ctx))
		})

		It("names the MCP endpoint URL as its resource", check.ID("RS-PRM-004"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			resource, ok := doc.String("resource")
			Expect(ok).To(BeTrue(), "the resource member must be a string")
			Expect(resource).To(Equal(s.discovery.MCPURL),
				"resource must be exactly the MCP endpoint URL the metadata was found for")
		})

		It("lists at least one authorization server", check.ID("RS-PRM-005"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			servers, _ := doc.Strings("authorization_servers")
			Expect(servers).NotTo(BeEmpty(), "authorization_servers must list at least one issuer")
		})

		It("matches the protected resource metadata schema", check.ID("RS-PRM-006"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			if err := schema.Validate(fixtures.SchemaProtectedResourceMetadata, doc.Raw); err != nil {
				Fail("protected resource metadata members must have the types RFC 9728 §2 gives them; " + err.Error())
			}
		})

		It("advertises the scopes it accepts", check.ID("RS-PRM-007"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			scopes, _ := doc.Strings("scopes_supported")
			Expect(scopes).NotTo(BeEmpty(), "scopes_supported should list the scopes clients may request")
		})

		It("does not offer bearer tokens in the query string", check.ID("RS-PRM-008"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			methods, _ := doc.Strings("bearer_methods_supported")
			Expect(methods).NotTo(ContainElement("query"),
				"MCP forbids access tokens in the query string, so bearer_methods_supported must not offer it")
		})

		It("ignores the forwarded host and scheme a client sends", check.ID("RS-PRM-009"), func(ctx SpecContext) {
			doc := check.Need(s.discovery.ProtectedResourceMetadata(ctx))
			resource, _ := doc.String("resource")
			var named string
			if ch, err := s.discovery.BearerChallenge(ctx); err == nil {
				named = ch.Params["resource_metadata"]
			}
			spoofed := check.Need(s.forwardedProbe(ctx, doc.URL))
			const requirement = "a server must not let the forwarding headers of whoever sends them choose the URLs it names " +
				"(RFC 9700 §4.13: only a proxy that sanitizes them may set them; RFC 9728 §3.3)"
			if got := spoofed.resourceMetadata(); got != "" {
				Expect(got).To(Equal(named), "with %s the 401 challenge named resource_metadata %q, without them %q; %s",
					forwardedHeadersSent, got, named, requirement)
			}
			if got, ok := spoofed.Metadata.String("resource"); ok {
				Expect(got).To(Equal(resource), "with %s the protected resource metadata named resource %q, without them %q; %s",
					forwardedHeadersSent, got, resource, requirement)
			}
		})
	})
}

// rootMetadataNamedByChallenge is the protected resource metadata when the
// 401 challenge names the root well-known URL and it serves there. From
// 2025-11-25 (SEP-985) the challenge alone may tell clients where the
// metadata is, and they fall back to the root URL: no path-inserted copy is
// then due.
func (s *Session) rootMetadataNamedByChallenge(ctx context.Context) (*mockclient.Document, bool) {
	if !s.discovery.Revision.FallsBackToRootMetadata() {
		return nil, false
	}
	root, err := spec.RootWellKnown(s.discovery.MCPURL, spec.SuffixProtectedResource)
	if err != nil {
		return nil, false
	}
	if ch, err := s.discovery.BearerChallenge(ctx); err != nil || ch.Params["resource_metadata"] != root {
		return nil, false
	}
	doc, err := s.discovery.ProtectedResourceMetadata(ctx)
	return doc, err == nil
}

// forwardedHost and forwardedProto are what a client claims a proxy
// forwarded: an attacker's host, over plain http.
const (
	forwardedHost  = "attacker.mcpconform.invalid"
	forwardedProto = "http"
)

// forwardedHeadersSent names the forwarding headers of forwardedProbe.
var forwardedHeadersSent = "X-Forwarded-Host: " + forwardedHost + ", X-Forwarded-Proto: " + forwardedProto +
	" and Forwarded: host=" + forwardedHost + ";proto=" + forwardedProto

// forwarding adds to header what a client claims a proxy forwarded.
func forwarding(header http.Header) http.Header {
	header.Set("X-Forwarded-Host", forwardedHost)
	header.Set("X-Forwarded-Proto", forwardedProto)
	header.Set("Forwarded", "host="+forwardedHost+";proto="+forwardedProto)
	return header
}

// forwardedAnswers are the unauthenticated MCP request and the protected
// resource metadata request, each sent with forwarding headers.
type forwardedAnswers struct {
	Challenge *mockclient.Response
	Metadata  *mockclient.Document
}

// Evidence is both answers; nil-safe.
func (f *forwardedAnswers) Evidence() []evidence.Exchange {
	if f == nil {
		return nil
	}
	var out []evidence.Exchange
	if f.Challenge != nil {
		out = append(out, f.Challenge.Evidence()...)
	}
	if f.Metadata != nil {
		out = append(out, f.Metadata.Evidence()...)
	}
	return out
}

// resourceMetadata is the resource_metadata of the challenge's Bearer
// challenge; "" without one.
func (f *forwardedAnswers) resourceMetadata() string {
	if f.Challenge == nil || f.Challenge.Status != http.StatusUnauthorized {
		return ""
	}
	ch, err := mockclient.ParseBearerChallenge(f.Challenge.Header.Values("WWW-Authenticate"))
	if err != nil {
		return ""
	}
	return ch.Params["resource_metadata"]
}

// forwardedProbe sends the unauthenticated MCP request and the metadata
// request for metadataURL with forwarding headers. A server may refuse
// either; only when neither answered is there nothing to judge.
func (s *Session) forwardedProbe(ctx context.Context, metadataURL string) (*forwardedAnswers, error) {
	f := &forwardedAnswers{}
	var challengeErr, metadataErr error
	f.Challenge, challengeErr = s.client.Do(ctx, http.MethodPost, s.discovery.MCPURL, forwarding(mcpHeader("")),
		mockclient.InitializeRequest(s.discovery.Revision))
	resp, metadataErr := s.client.Get(ctx, metadataURL, forwarding(http.Header{"Accept": {"application/json"}}))
	f.Metadata = &mockclient.Document{URL: metadataURL, Response: resp}
	if metadataErr == nil && resp.Status == http.StatusOK {
		f.Metadata.Members, _ = mockclient.ParseDocument(resp.Body)
	}
	if challengeErr != nil && metadataErr != nil {
		return f, errors.Join(challengeErr, metadataErr)
	}
	return f, nil
}
