package refclient_test

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// Each client fault changes one behaviour: each spec shows it against what
// the reference does in the same place (refclient_test.go).
var _ = Describe("the reference client's faults", func() {
	It(string(fault.ClientStopAfterToken)+" never calls the MCP server with the token", func() {
		s := serve()
		Expect(runClient(s, fault.ClientStopAfterToken)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
		Expect(mcpAfterToken(s)).To(BeEmpty())
	})

	It(string(fault.ClientISSNormalize)+" takes an iss with a trailing slash for the issuer", func() {
		s := serve(mockserver.WithFaults(fault.ASISSTrailingSlash))
		Expect(runClient(s)).To(MatchError(refclient.ErrRefused))
		s = serve(mockserver.WithFaults(fault.ASISSPercentEncoded))
		Expect(runClient(s, fault.ClientISSNormalize)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
	})

	It(string(fault.ClientRejectUnadvertisedISS)+" refuses a matching iss the metadata does not advertise", func() {
		Expect(runClient(serve(mockserver.WithoutISSAdvertised()))).To(Succeed())
		s := serve(mockserver.WithoutISSAdvertised())
		Expect(runClient(s, fault.ClientRejectUnadvertisedISS)).To(MatchError(refclient.ErrRefused))
		Expect(requests(s, http.MethodPost, "/token")).To(BeEmpty())
	})

	It(string(fault.ClientRequireISS)+" refuses a response without iss the metadata never promised", func() {
		quiet := []mockserver.Option{mockserver.WithoutISSAdvertised(), mockserver.WithFaults(fault.ASISSOmit)}
		Expect(runClient(serve(quiet...))).To(Succeed())
		s := serve(quiet...)
		Expect(runClient(s, fault.ClientRequireISS)).To(MatchError(refclient.ErrRefused))
		Expect(requests(s, http.MethodPost, "/token")).To(BeEmpty())
	})

	It(string(fault.ClientAcceptFrontChannelToken)+" uses a token of the authorization response instead of the code", func() {
		s := serve(mockserver.WithFaults(fault.ASTokenInResponse))
		Expect(runClient(s)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))

		s = serve(mockserver.WithFaults(fault.ASTokenInResponse))
		Expect(runClient(s, fault.ClientAcceptFrontChannelToken)).NotTo(Succeed(), "the MCP server refuses the front-channel token")
		Expect(requests(s, http.MethodPost, "/token")).To(BeEmpty())
	})

	It(string(fault.ClientIgnoreResourceMetadata)+" never fetches the challenge's metadata URL", func() {
		s := serve(mockserver.WithMetadataOnlyInChallenge())
		Expect(runClient(s, fault.ClientIgnoreResourceMetadata)).NotTo(Succeed())
		Expect(requests(s, http.MethodGet, "/mcp-resource-metadata")).To(BeEmpty())
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-protected-resource/mcp")).To(HaveLen(1))
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-protected-resource")).To(HaveLen(1))
	})

	It(string(fault.ClientSkipResourceCheck)+" authorizes with metadata for another resource", func() {
		s := serve(mockserver.WithFaults("rs.prm-resource-mismatch"))
		Expect(runClient(s, fault.ClientSkipResourceCheck)).NotTo(Succeed(), "the authorization server serves no such resource")
		Expect(authorizationRequest(s).Get("resource")).NotTo(Equal(s.MCPURL()), "the resource the metadata names")
	})

	It(string(fault.ClientSkipIssuerCheck)+" authorizes with metadata of another issuer", func() {
		s := serve(mockserver.WithFaults("as.metadata.issuer-mismatch"))
		Expect(runClient(s, fault.ClientSkipIssuerCheck)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
	})

	It(string(fault.ClientSkipPKCECheck)+" authorizes where S256 is not listed, still with S256", func() {
		s := serve(mockserver.WithRevision(spec.Rev20251125), mockserver.WithFaults("as.metadata.no-s256"))
		Expect(runClient(s, fault.ClientSkipPKCECheck)).To(Succeed())
		Expect(authorizationRequest(s).Get("code_challenge_method")).To(Equal("S256"))
	})

	It(string(fault.ClientPKCEPlain)+" sends the verifier as a plain challenge", func() {
		s := serve(mockserver.WithFaults("as.pkce.accept-plain"))
		Expect(runClient(s, fault.ClientPKCEPlain)).To(Succeed())
		q := authorizationRequest(s)
		Expect(q.Get("code_challenge_method")).To(Equal("plain"))
		Expect(q.Get("code_challenge")).To(HaveLen(43))
	})

	It(string(fault.ClientPKCEFixedVerifier)+" sends the same challenge every run", func() {
		challenges := func(faults ...fault.Name) []string {
			var out []string
			for range 2 {
				s := serve()
				Expect(runClient(s, faults...)).To(Succeed())
				out = append(out, authorizationRequest(s).Get("code_challenge"))
			}
			return out
		}
		reference := challenges()
		Expect(reference[0]).NotTo(Equal(reference[1]))
		fixed := challenges(fault.ClientPKCEFixedVerifier)
		Expect(fixed[0]).To(Equal(fixed[1]))
		Expect(len(fixed[0])).To(BeNumerically(">=", 43))
	})

	It(string(fault.ClientNoState)+" sends no state and needs none back", func() {
		s := serve()
		Expect(runClient(s, fault.ClientNoState)).To(Succeed())
		Expect(authorizationRequest(s).Has("state")).To(BeFalse())
	})

	DescribeTable(string(fault.ClientSkipStateCheck)+" redeems the code whatever the state",
		func(change string) {
			s := serve()
			tamper(change)
			Expect(runClient(s, fault.ClientSkipStateCheck)).To(Succeed())
			Expect(authorizationRequest(s).Get("state")).To(HaveLen(43))
			Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
		},
		Entry("another state", "state=forged-state"),
		Entry("no state", "state"),
	)

	It(string(fault.ClientAcceptMissingState)+" redeems the code without state, but not with another", func() {
		s := serve(mockserver.WithFaults("as.state.not-returned"))
		Expect(runClient(s, fault.ClientAcceptMissingState)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))

		s = serve()
		tamper("state=forged-state")
		Expect(runClient(s, fault.ClientAcceptMissingState)).To(MatchError(refclient.ErrRefused))
	})

	DescribeTable(string(fault.ClientSkipISSCheck)+" redeems the code whatever the iss",
		func(change string) {
			s := serve()
			tamper(change)
			Expect(runClient(s, fault.ClientSkipISSCheck)).To(Succeed())
			Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
		},
		Entry("another iss", "iss=https://attacker.example"),
		Entry("no iss", "iss"),
	)

	It(string(fault.ClientAcceptMissingISS)+" redeems the code without iss, but not with another", func() {
		s := serve(mockserver.WithRevision(spec.Rev20260728), mockserver.WithFaults("as.iss.omit"))
		Expect(runClient(s, fault.ClientAcceptMissingISS)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))

		s = serve()
		tamper("iss=https://attacker.example")
		Expect(runClient(s, fault.ClientAcceptMissingISS)).To(MatchError(refclient.ErrRefused))
	})

	It(string(fault.ClientNoResource)+" sends no resource indicator", func() {
		s := serve()
		Expect(runClient(s, fault.ClientNoResource)).To(Succeed())
		Expect(authorizationRequest(s).Has("resource")).To(BeFalse())
	})

	It(string(fault.ClientNoRootMetadataFallback)+" never looks for the metadata at the root well-known URL", func() {
		rootOnly := mockserver.WithFaults("rs.challenge-no-resource-metadata", "rs.prm-root-only")
		s := serve(rootOnly)
		Expect(runClient(s)).To(Succeed())
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-protected-resource")).To(HaveLen(1))

		s = serve(rootOnly)
		Expect(runClient(s, fault.ClientNoRootMetadataFallback)).NotTo(Succeed())
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-protected-resource/mcp")).To(HaveLen(1))
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-protected-resource")).To(BeEmpty())
	})

	It(string(fault.ClientNoWellKnownFallback)+" looks for no well-known metadata when the challenge names none", func() {
		s := serve(mockserver.WithFaults("rs.challenge-no-resource-metadata"))
		err := runClient(s, fault.ClientNoWellKnownFallback)
		Expect(err).To(HaveOccurred())
		Expect(err).NotTo(MatchError(refclient.ErrRefused))
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-protected-resource/mcp")).To(BeEmpty())
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-protected-resource")).To(BeEmpty())
		expectNoAuthorizationRequest(s)

		Expect(runClient(serve(), fault.ClientNoWellKnownFallback)).To(Succeed(), "the challenge's resource_metadata still serves")
	})

	It(string(fault.ClientNoOIDCDiscovery)+" never looks for OpenID Connect discovery metadata", func() {
		s := serve(mockserver.WithFaults("as.metadata.oidc-only"))
		Expect(runClient(s, fault.ClientNoOIDCDiscovery)).NotTo(Succeed())
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-authorization-server/oauth")).To(HaveLen(1))
		Expect(requests(s, http.MethodGet, "/openid-configuration")).To(BeEmpty())
		Expect(requests(s, http.MethodGet, "/openid-configuration/oauth")).To(BeEmpty())
	})

	It(string(fault.ClientAppendWellKnown)+" looks after the issuer's path first, then before it", func() {
		s := serve()
		Expect(runClient(s, fault.ClientAppendWellKnown)).To(Succeed())
		appended := requests(s, http.MethodGet, "/oauth/.well-known/oauth-authorization-server")
		inserted := requests(s, http.MethodGet, "/.well-known/oauth-authorization-server/oauth")
		Expect(appended).To(HaveLen(1))
		Expect(inserted).To(HaveLen(1))
		Expect(appended[0].Status).To(Equal(http.StatusNotFound))
		Expect(appended[0].Time).To(BeTemporally("<=", inserted[0].Time))
	})

	It(string(fault.ClientRootIssuerTrailingSlash)+" misses the metadata of an issuer without a path", func() {
		s := serve(mockserver.WithRootIssuer())
		Expect(runClient(s, fault.ClientRootIssuerTrailingSlash)).NotTo(Succeed())
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-authorization-server/")).To(HaveLen(1))
		Expect(requests(s, http.MethodGet, "/.well-known/openid-configuration/")).To(HaveLen(1))
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-authorization-server")).To(BeEmpty())

		Expect(runClient(serve(), fault.ClientRootIssuerTrailingSlash)).To(Succeed(), "an issuer with a path")
	})

	It(string(fault.ClientNoDefaultEndpoints)+" gives up when 2025-03-26 metadata is missing", func() {
		s := serve(mockserver.WithRevision(spec.Rev20250326), mockserver.WithFaults("as.metadata.missing"))
		err := runClient(s, fault.ClientNoDefaultEndpoints)
		Expect(err).To(MatchError(ContainSubstring("default endpoints not tried")))
		Expect(err).NotTo(MatchError(refclient.ErrRefused))
		Expect(requests(s, http.MethodGet, "/.well-known/oauth-authorization-server")).To(HaveLen(1))
		Expect(requests(s, http.MethodPost, "/register")).To(BeEmpty())
		expectNoAuthorizationRequest(s)
	})

	It(string(fault.ClientFallbackToMCPOrigin)+" takes the MCP server's origin for the authorization server when its metadata is missing", func() {
		s := serve(mockserver.WithFaults(fault.ASMetadataMissing))
		Expect(runClient(s)).NotTo(Succeed())
		Expect(requests(s, http.MethodGet, "/authorize")).To(BeEmpty())

		s = serve(mockserver.WithFaults(fault.ASMetadataMissing))
		Expect(runClient(s, fault.ClientFallbackToMCPOrigin)).NotTo(Succeed(), "the MCP server's origin has no OAuth endpoints")
		Expect(requests(s, http.MethodPost, "/register")).NotTo(BeEmpty())
	})

	It(string(fault.ClientOriginMetadataFirst)+" uses the metadata at the MCP server's origin, not the authorization server the resource names", func() {
		atOrigin := func(s *mockserver.Server, path string) int {
			n := 0
			for _, r := range s.Requests() {
				if r.URL.String() == strings.TrimSuffix(s.MCPURL(), "/mcp")+path {
					n++
				}
			}
			return n
		}
		s := serve(mockserver.WithRequestCapture(), mockserver.WithOriginMetadataDecoy())
		Expect(runClient(s)).To(Succeed())
		Expect(atOrigin(s, "/register")).To(BeZero())

		s = serve(mockserver.WithRequestCapture(), mockserver.WithOriginMetadataDecoy())
		Expect(runClient(s, fault.ClientOriginMetadataFirst)).NotTo(Succeed(), "the decoy's endpoints answer 404")
		Expect(atOrigin(s, "/register")).To(Equal(1))
	})

	It(string(fault.ClientScopeFromASMetadata)+" asks for the authorization server's scopes when the resource names none", func() {
		unnamed := mockserver.WithFaults(fault.RSChallengeNoScope, fault.RSPRMNoScopes)
		s := serve(unnamed)
		Expect(runClient(s)).To(Succeed())
		Expect(authorizationRequest(s).Has("scope")).To(BeFalse())

		s = serve(unnamed)
		Expect(runClient(s, fault.ClientScopeFromASMetadata)).To(Succeed())
		Expect(authorizationRequest(s).Get("scope")).NotTo(BeEmpty())
	})

	It(string(fault.ClientScopeAllSupported)+" asks for every supported scope, not the challenge's", func() {
		s := serve()
		Expect(runClient(s, fault.ClientScopeAllSupported)).To(Succeed())
		Expect(authorizationRequest(s).Get("scope")).To(Equal("mcp:tools mcp:write"))
	})

	It(string(fault.ClientNoScope)+" asks for no scope and gets the server's default", func() {
		s := serve()
		Expect(runClient(s, fault.ClientNoScope)).To(Succeed())
		Expect(authorizationRequest(s).Has("scope")).To(BeFalse())
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It(string(fault.ClientTokenInQuery)+" puts the token in the query of every MCP request", func() {
		s := serve()
		Expect(runClient(s, fault.ClientTokenInQuery)).To(Succeed())
		after := mcpAfterToken(s)
		Expect(after).NotTo(BeEmpty())
		for _, ev := range after {
			Expect(query(ev).Get("access_token")).NotTo(BeEmpty(), "redacted, but there")
		}
	})

	It(string(fault.ClientTokenFirstRequestOnly)+" authorizes only the first MCP request", func() {
		s := serve()
		err := runClient(s, fault.ClientTokenFirstRequestOnly)
		Expect(err).To(MatchError(ContainSubstring("refclient: mcp")))
		Expect(err).NotTo(MatchError(refclient.ErrRefused))
		var statuses []int
		for _, ev := range mcpAfterToken(s) {
			statuses = append(statuses, ev.Status)
		}
		Expect(statuses[0]).To(Equal(http.StatusOK))
		Expect(statuses[1:]).To(ContainElement(http.StatusUnauthorized))
	})
})

var _ = Describe("the reference client when authorization is asked for after initialize", func() {
	It("authorizes at the first 401, whichever request meets it", func() {
		s := serve(mockserver.WithAuthorizationAfterInitialize())
		Expect(runClient(s)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It(string(fault.ClientAuthorizeAtFirstRequestOnly)+" ends the session at a 401 after initialize", func() {
		s := serve(mockserver.WithAuthorizationAfterInitialize())
		Expect(runClient(s, fault.ClientAuthorizeAtFirstRequestOnly)).To(MatchError(ContainSubstring("Unauthorized")))
		expectNoAuthorizationRequest(s)
	})
})

var _ = Describe("the reference client's resource indicator", func() {
	originResource := []mockserver.Option{mockserver.WithRevision(spec.Rev20251125), mockserver.WithOriginResource(),
		mockserver.WithFaults(fault.RSChallengeNoResourceMetadata)}

	It("asks for the resource the protected resource metadata names", func() {
		s := serve(originResource...)
		Expect(runClient(s)).To(Succeed())
		origin, err := spec.Origin(s.MCPURL())
		Expect(err).NotTo(HaveOccurred())
		Expect(authorizationRequest(s).Get("resource")).To(Equal(origin))
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It(string(fault.ClientResourceFromURL)+" asks for the MCP server's URL, which the authorization server does not serve", func() {
		s := serve(originResource...)
		Expect(runClient(s, fault.ClientResourceFromURL)).NotTo(Succeed())
		Expect(authorizationRequest(s).Get("resource")).To(Equal(s.MCPURL()))
		expectNoTokenRequest(s)
	})
})

var _ = Describe("the reference client's token when the MCP server redirects", func() {
	// toSecond counts the requests the second MCP server got, and those
	// carrying a token.
	toSecond := func(s *mockserver.Server) (all, withToken int) {
		for _, r := range s.Requests() {
			if r.URL.String() == s.SecondMCPURL() {
				all++
				if r.Header.Get("Authorization") != "" {
					withToken++
				}
			}
		}
		return all, withToken
	}

	It("follows the redirect without its token", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithRedirectToSecondServer())
		Expect(runClient(s)).To(Succeed())
		all, withToken := toSecond(s)
		Expect(all).To(BeNumerically(">", 0))
		Expect(withToken).To(BeZero())
	})

	It(string(fault.ClientTokenToAnyOrigin)+" takes its token along to the second server", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithRedirectToSecondServer())
		Expect(runClient(s, fault.ClientTokenToAnyOrigin)).To(Succeed())
		_, withToken := toSecond(s)
		Expect(withToken).To(BeNumerically(">", 0))
	})
})
