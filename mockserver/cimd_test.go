package mockserver_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

const documentPath = "/clients/conformance.json"

// documentServer runs handler on 127.0.0.1 for the current spec and counts
// the requests it gets.
func documentServer(handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		handler(w, r)
	}))
	DeferCleanup(srv.Close)
	return srv, &hits
}

// servesDocument answers a valid client ID metadata document for the URL
// it was fetched from, changed by edit.
func servesDocument(edit func(doc map[string]any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		doc := map[string]any{
			"client_id":     "http://" + r.Host + r.URL.Path,
			"client_name":   "conformance",
			"redirect_uris": []string{loopbackRedirect},
		}
		edit(doc)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(doc)
	}
}

func unchanged(map[string]any) {}

// resolve resolves a client_id within the spec's time budget.
func resolve(s *mockserver.Server, clientID string) error {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(context.Background(), specTimeout)
	defer cancel()
	_, err := mockserver.ResolveClient(ctx, s, clientID)
	return err
}

var _ = Describe("client ID metadata documents", func() {
	var s *mockserver.Server
	BeforeEach(func() { s = start() })

	It("resolve to a public client, fetched once and then kept", func(ctx SpecContext) {
		srv, hits := documentServer(servesDocument(unchanged))
		url := srv.URL + documentPath
		c, err := mockserver.ResolveClient(ctx, s, url)
		Expect(err).NotTo(HaveOccurred())
		Expect(c.ID).To(Equal(url))
		Expect(c.MetadataURL).To(Equal(url))
		Expect(c.Public()).To(BeTrue())
		Expect(c.Name).To(Equal("conformance"))
		Expect(c.RedirectURIs).To(Equal([]string{loopbackRedirect}))
		Expect(c.GrantTypes).To(Equal([]string{"authorization_code"}))

		again, err := mockserver.ResolveClient(ctx, s, url)
		Expect(err).NotTo(HaveOccurred())
		Expect(again).To(BeIdenticalTo(c))
		Expect(hits.Load()).To(BeEquivalentTo(1))
	}, NodeTimeout(specTimeout))

	It("resolve to a private_key_jwt client with its keys", func(ctx SpecContext) {
		srv, _ := documentServer(servesDocument(func(doc map[string]any) {
			doc["token_endpoint_auth_method"] = "private_key_jwt"
			doc["jwks"] = publicJWKS()
		}))
		c, err := mockserver.ResolveClient(ctx, s, srv.URL+documentPath)
		Expect(err).NotTo(HaveOccurred())
		Expect(c.AuthMethod).To(Equal("private_key_jwt"))
		Expect(c.JWKS.Keys).To(HaveLen(1))
	}, NodeTimeout(specTimeout))

	DescribeTable("are refused, and the refusal is not cached, when the document",
		func(edit func(doc map[string]any), reason string) {
			srv, hits := documentServer(servesDocument(edit))
			for range 2 {
				Expect(resolve(s, srv.URL+documentPath)).To(MatchError(ContainSubstring(reason)))
			}
			Expect(hits.Load()).To(BeEquivalentTo(2))
		},
		Entry("names another client_id", func(doc map[string]any) { doc["client_id"] = "https://attacker.example/client.json" }, "differs from its URL"),
		Entry("names its URL with a trailing slash", func(doc map[string]any) { doc["client_id"] = doc["client_id"].(string) + "/" }, "differs from its URL"),
		Entry("lacks client_id", func(doc map[string]any) { delete(doc, "client_id") }, "differs from its URL"),
		Entry("lacks client_name", func(doc map[string]any) { delete(doc, "client_name") }, "lacks client_name"),
		Entry("lacks redirect_uris", func(doc map[string]any) { delete(doc, "redirect_uris") }, "redirect_uris is required"),
		Entry("has a javascript: redirect URI", func(doc map[string]any) { doc["redirect_uris"] = []string{"javascript:alert(1)"} }, "not allowed"),
		Entry("carries a client secret", func(doc map[string]any) { doc["client_secret"] = "s" }, "client secret"),
		Entry("carries a secret expiry", func(doc map[string]any) { doc["client_secret_expires_at"] = 0 }, "client secret"),
		Entry("declares client_secret_basic", func(doc map[string]any) { doc["token_endpoint_auth_method"] = "client_secret_basic" }, "only none and private_key_jwt"),
		Entry("declares client_secret_post", func(doc map[string]any) { doc["token_endpoint_auth_method"] = "client_secret_post" }, "only none and private_key_jwt"),
		Entry("declares private_key_jwt without keys", func(doc map[string]any) { doc["token_endpoint_auth_method"] = "private_key_jwt" }, "jwks"),
		Entry("declares client_credentials", func(doc map[string]any) { doc["grant_types"] = []string{"client_credentials"} }, "client_credentials"),
	)

	DescribeTable("are refused when the answer is",
		func(handler http.HandlerFunc, reason string) {
			srv, _ := documentServer(handler)
			Expect(resolve(s, srv.URL+documentPath)).To(MatchError(ContainSubstring(reason)))
		},
		Entry("404", http.NotFound, "answered 404"),
		Entry("HTML", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`{}`))
		}, "not application/json"),
		Entry("malformed JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"client_id": "`))
		}, "JSON object"),
		Entry("a JSON array", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`[]`))
		}, "JSON object"),
		Entry("over 64 KiB", servesDocument(func(doc map[string]any) { doc["client_name"] = strings.Repeat("x", 64<<10) }), "exceeds"),
	)

	It("are refused when the document redirects, without following", func(ctx SpecContext) {
		srv, hits := documentServer(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == documentPath {
				http.Redirect(w, r, "/elsewhere.json", http.StatusFound)
				return
			}
			servesDocument(unchanged)(w, r)
		})
		Expect(resolve(s, srv.URL+documentPath)).To(MatchError(ContainSubstring("answered 302")))
		Expect(hits.Load()).To(BeEquivalentTo(1))
	}, NodeTimeout(specTimeout))

	It("give up when the request ends", func(ctx SpecContext) {
		srv, _ := documentServer(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		_, err := mockserver.ResolveClient(short, s, srv.URL+documentPath)
		Expect(err).To(MatchError(ContainSubstring("context deadline exceeded")))
	}, NodeTimeout(specTimeout))

	DescribeTable("are never fetched from a URL that",
		func(clientID func(base string) string) {
			srv, hits := documentServer(servesDocument(unchanged))
			Expect(resolve(s, clientID(srv.URL))).To(HaveOccurred())
			Expect(hits.Load()).To(BeZero())
		},
		Entry("uses http on a public host", func(string) string { return "http://client.example/client.json" }),
		Entry("has no path", func(base string) string { return base }),
		Entry("has only the root path", func(base string) string { return base + "/" }),
		Entry("has dot segments", func(base string) string { return base + "/clients/../client.json" }),
		Entry("has encoded dot segments", func(base string) string { return base + "/clients/%2e%2e/client.json" }),
		Entry("has a fragment", func(base string) string { return base + documentPath + "#x" }),
		Entry("carries credentials", func(base string) string {
			return strings.Replace(base, "http://", "http://user:pass@", 1) + documentPath
		}),
	)

	It("are not used before 2025-11-25", func(SpecContext) {
		legacy := start(mockserver.WithRevision(spec.Rev20250618))
		srv, hits := documentServer(servesDocument(unchanged))
		Expect(resolve(legacy, srv.URL+documentPath)).To(MatchError(ContainSubstring("unknown client")))
		Expect(hits.Load()).To(BeZero())
	}, NodeTimeout(specTimeout))

	It("leave pre-registered and unknown clients alone", func(ctx SpecContext) {
		registered := start(mockserver.WithClient(mockserver.Client{ID: "https://admin.example/client", RedirectURIs: []string{loopbackRedirect}}))
		c, err := mockserver.ResolveClient(ctx, registered, "https://admin.example/client")
		Expect(err).NotTo(HaveOccurred())
		Expect(c.MetadataURL).To(BeEmpty())
		Expect(resolve(registered, "not-registered")).To(MatchError(`mockserver: unknown client "not-registered"`))
	}, NodeTimeout(specTimeout))
})

// cimdFaultChecks show what each cimd fault lets through that the
// reference refuses.
var cimdFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASCIMDSkipClientIDCheck: func(s *mockserver.Server) {
		srv, _ := documentServer(servesDocument(func(doc map[string]any) { doc["client_id"] = "https://attacker.example/client.json" }))
		url := srv.URL + documentPath
		Expect(resolve(start(), url)).To(MatchError(ContainSubstring("differs from its URL")))
		Expect(resolve(s, url)).To(Succeed())
	},
	fault.ASCIMDFollowRedirects: func(s *mockserver.Server) {
		// The document moved to another host, the localhost name of the same server.
		srv, _ := documentServer(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.Host, "127.0.0.1:") {
				http.Redirect(w, r, "http://localhost:"+strings.TrimPrefix(r.Host, "127.0.0.1:")+r.URL.Path, http.StatusFound)
				return
			}
			servesDocument(func(doc map[string]any) {
				doc["client_id"] = strings.Replace(doc["client_id"].(string), "localhost", "127.0.0.1", 1)
			})(w, r)
		})
		url := srv.URL + documentPath
		Expect(resolve(start(), url)).To(MatchError(ContainSubstring("answered 302")))
		Expect(resolve(s, url)).To(Succeed())
	},
}

func init() { maps.Copy(faultChecks, cimdFaultChecks) }
