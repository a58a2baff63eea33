package refclient_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// revisionEntries is one table entry per revision from min on.
func revisionEntries(min spec.Revision) []TableEntry {
	var entries []TableEntry
	for _, rev := range spec.From(min) {
		entries = append(entries, Entry(string(rev), rev))
	}
	return entries
}

var _ = Describe("the reference client", func() {
	DescribeTable("authorizes and lists the tools",
		func(rev spec.Revision) {
			s := serve(mockserver.WithRevision(rev))
			Expect(runClient(s)).To(Succeed())

			Expect(requests(s, http.MethodPost, "/register")).To(HaveLen(1))
			q := authorizationRequest(s)
			Expect(q.Get("response_type")).To(Equal("code"))
			Expect(q.Get("code_challenge_method")).To(Equal("S256"))
			Expect(q.Get("code_challenge")).To(HaveLen(43))
			Expect(q.Get("state")).To(HaveLen(43))
			Expect(q.Get("redirect_uri")).To(MatchRegexp(`^http://127\.0\.0\.1:\d+/callback$`))
			if rev == spec.Rev20250326 {
				Expect(q.Has("resource")).To(BeFalse(), "no resource in the 2025-03-26 layout")
			} else {
				Expect(q.Get("resource")).To(Equal(s.MCPURL()))
				Expect(q.Get("scope")).To(Equal("mcp:tools"), "the challenge's scope")
			}
			Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
			after := mcpAfterToken(s)
			Expect(after).NotTo(BeEmpty())
			for _, ev := range after {
				Expect(ev.Status).To(BeNumerically("<", 300), "%s %s", ev.Method, ev.Path)
				Expect(ev.Query).To(BeEmpty())
			}
		},
		revisionEntries(spec.Rev20250326))

	DescribeTable("uses a client pre-registered in the context",
		func(rev spec.Revision, secret string) {
			s := serve(mockserver.WithRevision(rev), mockserver.WithClient(mockserver.Client{
				ID: "pre-registered", Secret: secret, RedirectURIs: []string{"http://127.0.0.1/callback"},
			}))
			context := map[string]any{"client_id": "pre-registered"}
			if secret != "" {
				context["client_secret"] = secret
			}
			Expect(runWith(s, refclient.Config{Context: context})).To(Succeed())
			Expect(requests(s, http.MethodPost, "/register")).To(BeEmpty())
			Expect(authorizationRequest(s).Get("client_id")).To(Equal("pre-registered"))
			Expect(mcpAfterToken(s)).NotTo(BeEmpty())
		},
		Entry("public, 2025-03-26", spec.Rev20250326, ""),
		Entry("public, latest", spec.Latest, ""),
		Entry("confidential (client_secret_basic), latest", spec.Latest, "pre-registered-secret"),
	)

	DescribeTable("finds the authorization server wherever the revision allows",
		func(rev spec.Revision, opts ...mockserver.Option) {
			s := serve(append(opts, mockserver.WithRevision(rev))...)
			Expect(runClient(s)).To(Succeed())
			Expect(mcpAfterToken(s)).NotTo(BeEmpty())
		},
		Entry("a root issuer, 2025-06-18", spec.Rev20250618, mockserver.WithRootIssuer()),
		Entry("a root issuer, latest", spec.Latest, mockserver.WithRootIssuer()),
		Entry("metadata only at the challenge's URL, 2025-06-18", spec.Rev20250618, mockserver.WithMetadataOnlyInChallenge()),
		Entry("metadata only at the challenge's URL, latest", spec.Latest, mockserver.WithMetadataOnlyInChallenge()),
		Entry("no resource_metadata in the challenge (path URL)", spec.Latest, mockserver.WithFaults("rs.challenge-no-resource-metadata")),
		Entry("protected resource metadata only at the root", spec.Latest, mockserver.WithFaults("rs.prm-root-only")),
		Entry("OpenID discovery appended to a path issuer", spec.Rev20251125, mockserver.WithFaults("as.metadata.oidc-only")),
		Entry("OpenID discovery at a root issuer", spec.Latest, mockserver.WithRootIssuer(), mockserver.WithFaults("as.metadata.oidc-only")),
		Entry("the default endpoints when 2025-03-26 metadata is missing", spec.Rev20250326, mockserver.WithFaults("as.metadata.missing")),
		Entry("the scopes of the metadata without a scope in the challenge", spec.Latest, mockserver.WithFaults("rs.challenge-no-scope")),
	)

	It("asks for the metadata's scopes when the challenge names none", func() {
		s := serve(mockserver.WithFaults("rs.challenge-no-scope"))
		Expect(runClient(s)).To(Succeed())
		Expect(authorizationRequest(s).Get("scope")).To(Equal("mcp:tools mcp:write"))
	})

	It("goes on without authorization when the server asks for none", func() {
		s := serve(mockserver.WithFaults("rs.no-auth"))
		Expect(runClient(s)).To(Succeed())
		Expect(requests(s, http.MethodGet, "/authorize")).To(BeEmpty())
		Expect(len(mcpRequests(s))).To(BeNumerically(">=", 3), "the probe, initialize, tools/list")
		for _, ev := range mcpRequests(s) {
			Expect(ev.Status).To(BeNumerically("<", 300))
		}
	})

	DescribeTable("refuses protected resource metadata for another resource",
		func(rev spec.Revision) {
			s := serve(mockserver.WithRevision(rev), mockserver.WithFaults("rs.prm-resource-mismatch"))
			err := runClient(s)
			Expect(err).To(MatchError(refclient.ErrRefused))
			Expect(err.Error()).To(ContainSubstring(`names resource "https://mcp.example.com/mcp"`))
			expectNoAuthorizationRequest(s)
		},
		revisionEntries(spec.Rev20250618))

	DescribeTable("refuses authorization server metadata of another issuer",
		func(rev spec.Revision) {
			s := serve(mockserver.WithRevision(rev), mockserver.WithFaults("as.metadata.issuer-mismatch"))
			err := runClient(s)
			Expect(err).To(MatchError(refclient.ErrRefused))
			Expect(err.Error()).To(ContainSubstring("names issuer"))
			expectNoAuthorizationRequest(s)
		},
		revisionEntries(spec.Rev20250326))

	DescribeTable("refuses an authorization server without S256 PKCE",
		func(rev spec.Revision) {
			s := serve(mockserver.WithRevision(rev), mockserver.WithFaults("as.metadata.no-s256"))
			err := runClient(s)
			Expect(err).To(MatchError(refclient.ErrRefused))
			Expect(err.Error()).To(ContainSubstring("S256"))
			expectNoAuthorizationRequest(s)
		},
		revisionEntries(spec.Rev20251125))

	DescribeTable("does not redeem a code without its state",
		func(rev spec.Revision) {
			s := serve(mockserver.WithRevision(rev), mockserver.WithFaults("as.state.not-returned"))
			Expect(runClient(s)).To(MatchError(refclient.ErrRefused))
			expectNoTokenRequest(s)
		},
		revisionEntries(spec.Rev20250326))

	It("does not redeem a code with another state", func() {
		s := serve()
		tamper("state=forged-state")
		Expect(runClient(s)).To(MatchError(ContainSubstring("state is not the one sent")))
		expectNoTokenRequest(s)
	})

	DescribeTable("does not redeem a code without the iss the metadata promises",
		func(rev spec.Revision) {
			s := serve(mockserver.WithRevision(rev), mockserver.WithFaults("as.iss.omit"))
			err := runClient(s)
			Expect(err).To(MatchError(refclient.ErrRefused))
			Expect(err.Error()).To(ContainSubstring("no iss"))
			expectNoTokenRequest(s)
		},
		revisionEntries(spec.Rev20260728))

	It("does not redeem a code from another issuer", func() {
		s := serve()
		tamper("iss=https://attacker.example")
		err := runClient(s)
		Expect(err).To(MatchError(refclient.ErrRefused))
		Expect(err.Error()).To(ContainSubstring(`iss is "https://attacker.example"`))
		expectNoTokenRequest(s)
	})

	It("fails, without refusing, on an error response", func() {
		s := serve()
		tamper("error=access_denied")
		err := runClient(s)
		Expect(err).To(MatchError(ContainSubstring(`error "access_denied"`)))
		Expect(err).NotTo(MatchError(refclient.ErrRefused))
		expectNoTokenRequest(s)
	})

	It("logs every step and no secret", func() {
		const secret = "pre-registered-secret-value"
		s := serve(mockserver.WithClient(mockserver.Client{
			ID: "confidential", Secret: secret, RedirectURIs: []string{"http://127.0.0.1/callback"},
		}))
		var log bytes.Buffer
		Expect(runWith(s, refclient.Config{Log: &log, Context: map[string]any{"client_id": "confidential", "client_secret": secret}})).To(Succeed())
		lines := strings.Split(strings.TrimSpace(log.String()), "\n")
		Expect(len(lines)).To(BeNumerically(">=", 10))
		for _, line := range lines {
			Expect(line).To(HavePrefix("refclient: "))
		}
		Expect(log.String()).NotTo(ContainSubstring(secret))
		Expect(log.String()).NotTo(MatchRegexp(`code=|code_verifier|access_token|eyJ`))
	})

	DescribeTable("accepts at the root metadata URL a resource above the MCP endpoint on its origin",
		func(resource string, accepted bool) {
			Expect(refclient.ContainsResource(resource, "http://127.0.0.1:8080/api/mcp")).To(Equal(accepted))
		},
		Entry("the origin", "http://127.0.0.1:8080", true),
		Entry("the origin with a slash", "http://127.0.0.1:8080/", true),
		Entry("a path above", "http://127.0.0.1:8080/api", true),
		Entry("the MCP URL", "http://127.0.0.1:8080/api/mcp", true),
		Entry("a path prefix that is no segment", "http://127.0.0.1:8080/ap", false),
		Entry("a path below", "http://127.0.0.1:8080/api/mcp/x", false),
		Entry("another port", "http://127.0.0.1:8081", false),
		Entry("another scheme", "https://127.0.0.1:8080", false),
		Entry("another host", "http://localhost:8080", false),
		Entry("a query", "http://127.0.0.1:8080/?x=1", false),
	)

	It("rejects an unknown fault and a relative URL", func() {
		Expect(refclient.Run(GinkgoT().Context(), refclient.Config{MCPURL: "http://127.0.0.1:1/mcp", Faults: []fault.Name{"client.nope"}})).
			To(MatchError(ContainSubstring(`unknown fault "client.nope"`)))
		Expect(refclient.Run(GinkgoT().Context(), refclient.Config{MCPURL: "/mcp"})).To(MatchError(ContainSubstring("mcp url")))
	})

	It("lists every client fault once, sorted, described", func() {
		var names []fault.Name
		for _, f := range fault.ClientFaults {
			Expect(f.Name.Role()).To(Equal("client"))
			Expect(f.Description).NotTo(BeEmpty())
			Expect(fault.IsClientFault(f.Name)).To(BeTrue())
			names = append(names, f.Name)
		}
		Expect(names).To(HaveLen(22))
		Expect(slices.IsSorted(names)).To(BeTrue())
		Expect(slices.Compact(slices.Clone(names))).To(HaveLen(len(names)))
		Expect(fault.IsClientFault("rs.no-auth")).To(BeFalse())
	})
})
