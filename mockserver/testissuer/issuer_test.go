package testissuer_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-jose/go-jose/v4"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockserver/testissuer"
)

func TestTestIssuer(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "testissuer")
}

func getJSON(url string, v any) int {
	GinkgoHelper()
	resp, err := http.Get(url)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		Expect(json.NewDecoder(resp.Body).Decode(v)).To(Succeed())
	}
	return resp.StatusCode
}

func serve(url string, key *testissuer.Key) (*testissuer.Issuer, error) {
	GinkgoHelper()
	issuer, err := testissuer.New(url, key)
	Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	DeferCleanup(cancel)
	return issuer, issuer.Attach(ctx)
}

var _ = Describe("the test issuer", func() {
	It("keeps its key in a file it creates readable by its owner only", func() {
		path := filepath.Join(GinkgoT().TempDir(), "issuer.pem")
		created, err := testissuer.LoadKey(path)
		Expect(err).NotTo(HaveOccurred())
		info, err := os.Stat(path)
		Expect(err).NotTo(HaveOccurred())
		Expect(info.Mode().Perm()).To(Equal(os.FileMode(0o600)))
		loaded, err := testissuer.LoadKey(path)
		Expect(err).NotTo(HaveOccurred())
		Expect(loaded.ID).To(Equal(created.ID))
	})

	It("refuses a key file that holds no P-256 private key", func() {
		path := filepath.Join(GinkgoT().TempDir(), "issuer.pem")
		Expect(os.WriteFile(path, []byte("not a key"), 0o600)).To(Succeed())
		_, err := testissuer.LoadKey(path)
		Expect(err).To(MatchError(ContainSubstring("holds no PKCS #8 private key")))
	})

	DescribeTable("takes only a plain http loopback URL with a port",
		func(url, problem string) {
			_, err := testissuer.ParseURL(url)
			Expect(err).To(MatchError(ContainSubstring(problem)))
		},
		Entry("https", "https://127.0.0.1:9400", "plain http on loopback"),
		Entry("another host", "http://example.com:9400", "not on a loopback host"),
		Entry("no port", "http://127.0.0.1", "names no port"),
		Entry("a query", "http://127.0.0.1:9400/?x=1", "query"),
	)

	It("publishes its metadata and key, serving on a free port for port 0", func() {
		key, err := testissuer.NewKey()
		Expect(err).NotTo(HaveOccurred())
		issuer, err := serve("http://127.0.0.1:0/tenant", key)
		Expect(err).NotTo(HaveOccurred())
		Expect(issuer.URL).NotTo(ContainSubstring(":0/"))
		var metadata map[string]any
		Expect(getJSON(issuer.MetadataURL(), &metadata)).To(Equal(http.StatusOK))
		Expect(metadata).To(HaveKeyWithValue("issuer", issuer.URL))
		Expect(metadata).To(HaveKeyWithValue("jwks_uri", issuer.JWKSURL()))
		var set jose.JSONWebKeySet
		Expect(getJSON(issuer.JWKSURL(), &set)).To(Equal(http.StatusOK))
		Expect(set.Key(key.ID)).To(HaveLen(1))
	})

	It("uses an issuer already served at its address with the same key, and no other", func() {
		key, err := testissuer.NewKey()
		Expect(err).NotTo(HaveOccurred())
		first, err := serve("http://127.0.0.1:0", key)
		Expect(err).NotTo(HaveOccurred())
		second, err := serve(first.URL, key)
		Expect(err).NotTo(HaveOccurred())
		Expect(second.Close()).To(Succeed())
		var set jose.JSONWebKeySet
		Expect(getJSON(first.JWKSURL(), &set)).To(Equal(http.StatusOK), "the first keeps serving")

		other, err := testissuer.NewKey()
		Expect(err).NotTo(HaveOccurred())
		_, err = serve(first.URL, other)
		Expect(err).To(MatchError(ContainSubstring("does not publish key " + other.ID)))

		taken, err := testissuer.New(first.URL, key)
		Expect(err).NotTo(HaveOccurred())
		Expect(taken.Serve(context.Background())).To(MatchError(ContainSubstring("address already in use")),
			"Serve alone never shares an address")
	})

	It("mints ES256 at+jwt tokens under the published kid", func() {
		key, err := testissuer.NewKey()
		Expect(err).NotTo(HaveOccurred())
		issuer, err := testissuer.New("http://127.0.0.1:9400", key)
		Expect(err).NotTo(HaveOccurred())
		token, err := issuer.Mint(issuer.Valid("http://127.0.0.1:1/mcp", "mcp:tools"))
		Expect(err).NotTo(HaveOccurred())
		parsed, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
		Expect(err).NotTo(HaveOccurred())
		Expect(parsed.Signatures[0].Header.KeyID).To(Equal(key.ID))
		Expect(parsed.Signatures[0].Header.ExtraHeaders[jose.HeaderType]).To(Equal("at+jwt"))
		payload, err := parsed.Verify(key.JWKS().Keys[0].Key)
		Expect(err).NotTo(HaveOccurred())
		var claims map[string]any
		Expect(json.Unmarshal(payload, &claims)).To(Succeed())
		Expect(claims).To(HaveKeyWithValue("iss", "http://127.0.0.1:9400"))
		Expect(claims).To(HaveKeyWithValue("aud", "http://127.0.0.1:1/mcp"))
		Expect(claims).To(HaveKeyWithValue("scope", "mcp:tools"))
		Expect(claims).To(HaveKey("jti"))
		Expect(claims).NotTo(HaveKey("nbf"))

		unpublished, err := issuer.MintWithUnpublishedKey(issuer.Valid("x", ""))
		Expect(err).NotTo(HaveOccurred())
		other, err := jose.ParseSigned(unpublished, []jose.SignatureAlgorithm{jose.ES256})
		Expect(err).NotTo(HaveOccurred())
		Expect(other.Signatures[0].Header.KeyID).NotTo(Equal(key.ID))
	})
})
