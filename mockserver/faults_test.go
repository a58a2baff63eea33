package mockserver_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// prmURLs are the path-inserted and the root protected resource metadata URLs.
func prmURLs(s *mockserver.Server) []string {
	o := mustOrigin(s.MCPURL())
	return []string{o + prmSuffix + "/mcp", o + prmSuffix}
}

// asURLs are the RFC 8414 and the OpenID discovery URLs of the latest revision.
func asURLs(s *mockserver.Server) []string {
	return []string{mustOrigin(s.IssuerURL()) + rfc8414 + "/oauth", s.IssuerURL() + openIDSuffix}
}

func prmChallenge(s *mockserver.Server) string {
	return fmt.Sprintf(`resource_metadata="%s"`, prmURLs(s)[0])
}

func expectTimeout(timeout time.Duration, req *http.Request) {
	GinkgoHelper()
	resp, err := newClient(timeout).Do(req)
	if err == nil {
		resp.Body.Close()
	}
	var netErr net.Error
	Expect(errors.As(err, &netErr) && netErr.Timeout()).To(BeTrue(), "want a timeout, got %v", err)
}

func getRequest(url string) *http.Request {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	Expect(err).NotTo(HaveOccurred())
	return req
}

// expectEachDocument checks every URL serves want as application/json.
func expectEachDocument(urls []string, want func(url string) map[string]any) {
	GinkgoHelper()
	for _, url := range urls {
		expectDocument(url, want(url))
	}
}

func prmWith(s *mockserver.Server, edit func(map[string]any)) func(string) map[string]any {
	return func(string) map[string]any {
		doc := expectedPRM(s)
		edit(doc)
		return doc
	}
}

func asWith(s *mockserver.Server, edit func(map[string]any)) func(string) map[string]any {
	return func(url string) map[string]any {
		doc := expectedASMetadata(spec.Latest, s.IssuerURL(), strings.HasSuffix(url, openIDSuffix))
		edit(doc)
		return doc
	}
}

// faultChecks shows, for every fault at the latest revision, the behaviour
// it changes.
var faultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.RSNoAuth: func(s *mockserver.Server) {
		Expect(postMCP(s, "").status).To(Equal(http.StatusOK))
	},
	fault.RSMCPHang: func(s *mockserver.Server) {
		expectTimeout(300*time.Millisecond, mcpRequest(s, ""))
		Expect(postMCP(s, bearer(s)).status).To(Equal(http.StatusOK))
	},
	fault.RSNoWWWAuthenticate: func(s *mockserver.Server) {
		for _, authorization := range []string{"", "Bearer not-a-jwt"} {
			a := postMCP(s, authorization)
			Expect(a.status).To(Equal(http.StatusUnauthorized))
			Expect(a.header.Values("WWW-Authenticate")).To(BeEmpty())
		}
	},
	fault.RSChallengeNoResourceMetadata: func(s *mockserver.Server) {
		a := postMCP(s, "")
		Expect(a.status).To(Equal(http.StatusUnauthorized))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(`Bearer scope="mcp:tools"`))
	},
	fault.RSChallengeNoScope: func(s *mockserver.Server) {
		a := postMCP(s, "")
		Expect(a.status).To(Equal(http.StatusUnauthorized))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf("Bearer " + prmChallenge(s)))
	},
	fault.RSErrorWithoutCredentials: func(s *mockserver.Server) {
		a := postMCP(s, "")
		Expect(a.status).To(Equal(http.StatusUnauthorized))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(
			`Bearer error="invalid_token", ` + prmChallenge(s) + `, scope="mcp:tools"`))
	},
	fault.RSPRMMissing: func(s *mockserver.Server) {
		for _, url := range prmURLs(s) {
			Expect(get(url).status).To(Equal(http.StatusNotFound), url)
		}
		Expect(postMCP(s, "").header.Get("WWW-Authenticate")).To(ContainSubstring(prmChallenge(s)))
	},
	fault.RSPRMRootOnly: func(s *mockserver.Server) {
		urls := prmURLs(s)
		Expect(get(urls[0]).status).To(Equal(http.StatusNotFound))
		expectDocument(urls[1], expectedPRM(s))
		Expect(postMCP(s, "").header.Values("WWW-Authenticate")).To(ConsistOf(
			fmt.Sprintf(`Bearer resource_metadata="%s", scope="mcp:tools"`, urls[1])))
	},
	fault.RSPRMWrongContentType: func(s *mockserver.Server) {
		for _, url := range prmURLs(s) {
			a := get(url)
			Expect(a.status).To(Equal(http.StatusOK))
			Expect(a.header.Get("Content-Type")).To(Equal("text/html"))
			Expect(a.json()).To(Equal(expectedPRM(s)))
		}
	},
	fault.RSPRMMalformedJSON: func(s *mockserver.Server) {
		for _, url := range prmURLs(s) {
			a := get(url)
			Expect(a.status).To(Equal(http.StatusOK))
			Expect(a.header.Get("Content-Type")).To(Equal("application/json"))
			Expect(string(a.body)).To(Equal(`{"resource": "`))
		}
	},
	fault.RSPRMHugeBody: func(s *mockserver.Server) {
		resp, err := client.Get(prmURLs(s)[0])
		Expect(err).NotTo(HaveOccurred())
		defer resp.Body.Close()
		Expect(resp.Header.Get("Content-Type")).To(Equal("application/json"))
		head := make([]byte, 4)
		_, err = io.ReadFull(resp.Body, head)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(head)).To(Equal("[0,0"))
		n, err := io.Copy(io.Discard, resp.Body)
		Expect(err).NotTo(HaveOccurred())
		Expect(n + 4).To(BeNumerically(">=", 20<<20))
	},
	fault.RSPRMHang: func(s *mockserver.Server) {
		for _, url := range prmURLs(s) {
			expectTimeout(200*time.Millisecond, getRequest(url))
		}
	},
	fault.RSPRMRedirectLoop: func(s *mockserver.Server) {
		for _, url := range prmURLs(s) {
			a := get(url)
			Expect(a.status).To(Equal(http.StatusFound))
			Expect(a.header.Get("Location")).To(Equal(url))
		}
	},
	fault.RSPRMRedirectOffhost: func(s *mockserver.Server) {
		expectOffhostRedirect(prmURLs(s), func(string) map[string]any { return expectedPRM(s) })
	},
	fault.RSPRMResourceMismatch: func(s *mockserver.Server) {
		expectEachDocument(prmURLs(s), prmWith(s, func(doc map[string]any) {
			doc["resource"] = "https://mcp.example.com/mcp"
		}))
	},
	fault.RSPRMNoAuthorizationServers: func(s *mockserver.Server) {
		expectEachDocument(prmURLs(s), prmWith(s, func(doc map[string]any) { delete(doc, "authorization_servers") }))
	},
	fault.RSPRMNoScopes: func(s *mockserver.Server) {
		expectEachDocument(prmURLs(s), prmWith(s, func(doc map[string]any) { delete(doc, "scopes_supported") }))
	},
	fault.RSPRMAdvertisesQuery: func(s *mockserver.Server) {
		expectEachDocument(prmURLs(s), prmWith(s, func(doc map[string]any) {
			doc["bearer_methods_supported"] = []any{"header", "query"}
		}))
	},
	fault.RSPRMSchemaViolation: func(s *mockserver.Server) {
		expectEachDocument(prmURLs(s), prmWith(s, func(doc map[string]any) { doc["resource_name"] = float64(7) }))
	},
	fault.ASMetadataMissing: func(s *mockserver.Server) {
		for _, url := range asURLs(s) {
			Expect(get(url).status).To(Equal(http.StatusNotFound), url)
		}
		Expect(get(s.IssuerURL() + "/jwks").status).To(Equal(http.StatusOK))
		addOAuthClients(s)
		Expect(newAuthRequest(publicApp).callback(s)).NotTo(HaveKey("iss"), "no metadata advertises iss")
	},
	fault.ASMetadataMalformedJSON: func(s *mockserver.Server) {
		for _, url := range asURLs(s) {
			a := get(url)
			Expect(a.status).To(Equal(http.StatusOK))
			Expect(a.header.Get("Content-Type")).To(Equal("application/json"))
			Expect(string(a.body)).To(Equal(`{"issuer": "`))
		}
	},
	fault.ASMetadataRedirectOffhost: func(s *mockserver.Server) {
		expectOffhostRedirect(asURLs(s), asWith(s, func(map[string]any) {}))
	},
	fault.ASMetadataIssuerMismatch: func(s *mockserver.Server) {
		expectEachDocument(asURLs(s), asWith(s, func(doc map[string]any) { doc["issuer"] = s.IssuerURL() + "/" }))
	},
	fault.ASMetadataWrongContentType: func(s *mockserver.Server) {
		for _, url := range asURLs(s) {
			a := get(url)
			Expect(a.status).To(Equal(http.StatusOK))
			Expect(a.header.Get("Content-Type")).To(Equal("text/plain"))
			Expect(a.json()).To(Equal(asWith(s, func(map[string]any) {})(url)))
		}
	},
	fault.ASMetadataNoTokenEndpoint: func(s *mockserver.Server) {
		expectEachDocument(asURLs(s), asWith(s, func(doc map[string]any) { delete(doc, "token_endpoint") }))
	},
	fault.ASMetadataNoCodeResponseType: func(s *mockserver.Server) {
		expectEachDocument(asURLs(s), asWith(s, func(doc map[string]any) { doc["response_types_supported"] = []any{"token"} }))
	},
	fault.ASMetadataNoS256: func(s *mockserver.Server) {
		expectEachDocument(asURLs(s), asWith(s, func(doc map[string]any) {
			doc["code_challenge_methods_supported"] = []any{"plain"}
		}))
	},
	fault.ASMetadataNoAuthorizationCodeGrant: func(s *mockserver.Server) {
		expectEachDocument(asURLs(s), asWith(s, func(doc map[string]any) {
			doc["grant_types_supported"] = []any{"client_credentials"}
		}))
	},
	fault.ASMetadataSchemaViolation: func(s *mockserver.Server) {
		expectEachDocument(asURLs(s), asWith(s, func(doc map[string]any) {
			doc["token_endpoint_auth_methods_supported"] = "none"
		}))
	},
	fault.ASMetadataOIDCOnly: func(s *mockserver.Server) {
		urls := asURLs(s)
		Expect(get(urls[0]).status).To(Equal(http.StatusNotFound))
		expectDocument(urls[1], expectedASMetadata(spec.Latest, s.IssuerURL(), true))
	},
}

// expectOffhostRedirect checks each URL redirects to the same path on
// localhost, where the document is served.
func expectOffhostRedirect(urls []string, want func(string) map[string]any) {
	GinkgoHelper()
	for _, url := range urls {
		a := get(url)
		Expect(a.status).To(Equal(http.StatusFound))
		offhost := strings.Replace(url, "//127.0.0.1:", "//localhost:", 1)
		Expect(a.header.Get("Location")).To(Equal(offhost))

		// Following it reaches the same socket under the other name.
		req := getRequest(url)
		req.Host = strings.TrimPrefix(mustOrigin(offhost), "http://")
		followed := do(client, req)
		Expect(followed.status).To(Equal(http.StatusOK))
		Expect(followed.json()).To(Equal(want(url)))
	}
}

var _ = Describe("faults", func() {
	It("are listed sorted by unique name, each with a description", func() {
		faults := mockserver.Faults()
		Expect(faults).To(HaveLen(len(faultChecks)))
		seen := map[fault.Name]bool{}
		for i, f := range faults {
			name := string(f.Name)
			Expect(name).To(MatchRegexp(`^(rs|as)\.[a-z0-9.-]+$`))
			Expect(seen[f.Name]).To(BeFalse(), "duplicate %s", name)
			seen[f.Name] = true
			Expect(f.Description).NotTo(BeEmpty(), name)
			Expect(f.Description).NotTo(ContainSubstring("\n"), name)
			if i > 0 {
				Expect(f.Name > faults[i-1].Name).To(BeTrue(), "not sorted at %s", name)
			}
		}
		Expect(seen).To(HaveLen(len(faultChecks)), "every fault needs a check below, and only faults")
		for name := range faultChecks {
			Expect(seen).To(HaveKey(name))
		}
	})

	It("rejects an unknown fault", func(ctx SpecContext) {
		_, err := mockserver.Run(ctx, mockserver.WithFaults(fault.RSNoAuth, "x"))
		Expect(err).To(MatchError(`mockserver: unknown fault "x"`))
	})

	It("rejects an unknown revision", func(ctx SpecContext) {
		_, err := mockserver.Run(ctx, mockserver.WithRevision("2024-11-05"))
		Expect(err).To(MatchError(ContainSubstring("unknown revision")))
	})

	It("rejects a fault the revision has nothing to break for", func(ctx SpecContext) {
		_, err := mockserver.Run(ctx, mockserver.WithRevision(spec.Rev20250326), mockserver.WithFaults(fault.RSPRMMissing))
		Expect(err).To(MatchError(`mockserver: fault "rs.prm-missing" needs revision 2025-06-18 or later, not 2025-03-26`))
	})

	for _, f := range mockserver.Faults() {
		It(string(f.Name)+" changes what it says", func(SpecContext) {
			check, ok := faultChecks[f.Name]
			Expect(ok).To(BeTrue(), "no check for %s", f.Name)
			check(start(mockserver.WithFaults(f.Name)))
		}, NodeTimeout(specTimeout))
	}

	It("compose", func(SpecContext) {
		s := start(mockserver.WithFaults(fault.RSPRMNoScopes, fault.RSPRMAdvertisesQuery, fault.RSChallengeNoScope))
		expectEachDocument(prmURLs(s), prmWith(s, func(doc map[string]any) {
			delete(doc, "scopes_supported")
			doc["bearer_methods_supported"] = []any{"header", "query"}
		}))
		Expect(postMCP(s, "").header.Values("WWW-Authenticate")).To(ConsistOf("Bearer " + prmChallenge(s)))
	}, NodeTimeout(specTimeout))

	It("can strip the challenge to its scheme", func(SpecContext) {
		s := start(mockserver.WithFaults(fault.RSChallengeNoScope, fault.RSChallengeNoResourceMetadata))
		Expect(postMCP(s, "").header.Values("WWW-Authenticate")).To(ConsistOf("Bearer"))
	}, NodeTimeout(specTimeout))

	It("leave the insufficient_scope answer alone when they bend the 401", func(SpecContext) {
		s := start(mockserver.WithFaults(fault.RSNoWWWAuthenticate, fault.RSChallengeNoScope, fault.RSChallengeNoResourceMetadata))
		a := postMCP(s, bearer(s, "other"))
		Expect(a.status).To(Equal(http.StatusForbidden))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(
			`Bearer error="insufficient_scope", ` + prmChallenge(s) + `, scope="mcp:tools"`))
	}, NodeTimeout(specTimeout))

	Context("at 2025-03-26", func() {
		legacy := mockserver.WithRevision(spec.Rev20250326)

		It("as.metadata.oidc-only serves OpenID discovery at the origin instead", func(SpecContext) {
			s := start(legacy, mockserver.WithFaults(fault.ASMetadataOIDCOnly))
			Expect(get(s.IssuerURL() + rfc8414).status).To(Equal(http.StatusNotFound))
			expectDocument(s.IssuerURL()+openIDSuffix, expectedASMetadata(spec.Rev20250326, s.IssuerURL(), true))
		}, NodeTimeout(specTimeout))

		It("as.metadata.missing hides the root metadata", func(SpecContext) {
			s := start(legacy, mockserver.WithFaults(fault.ASMetadataMissing))
			Expect(get(s.IssuerURL() + rfc8414).status).To(Equal(http.StatusNotFound))
		}, NodeTimeout(specTimeout))

		It("as.metadata.issuer-mismatch adds a slash to the origin issuer", func(SpecContext) {
			s := start(legacy, mockserver.WithFaults(fault.ASMetadataIssuerMismatch))
			doc := get(s.IssuerURL() + rfc8414).json()
			Expect(doc["issuer"]).To(Equal(s.IssuerURL() + "/"))
			Expect(doc["token_endpoint"]).To(Equal(s.IssuerURL() + "/token"))
		}, NodeTimeout(specTimeout))

		It("rs.error-without-credentials adds the error to the realm challenge", func(SpecContext) {
			s := start(legacy, mockserver.WithFaults(fault.RSErrorWithoutCredentials))
			Expect(postMCP(s, "").header.Values("WWW-Authenticate")).To(ConsistOf(`Bearer realm="mcp", error="invalid_token"`))
		}, NodeTimeout(specTimeout))

		It("rs.no-auth serves without a token", func(SpecContext) {
			s := start(legacy, mockserver.WithFaults(fault.RSNoAuth))
			Expect(postMCP(s, "").status).To(Equal(http.StatusOK))
		}, NodeTimeout(specTimeout))
	})

	It("as.metadata.oidc-only serves OpenID discovery at 2025-06-18 too", func(SpecContext) {
		s := start(mockserver.WithRevision(spec.Rev20250618), mockserver.WithFaults(fault.ASMetadataOIDCOnly))
		Expect(get(asURLs(s)[0]).status).To(Equal(http.StatusNotFound))
		expectDocument(s.IssuerURL()+openIDSuffix, expectedASMetadata(spec.Rev20250618, s.IssuerURL(), true))
	}, NodeTimeout(specTimeout))
})
