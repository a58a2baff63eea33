package mockserver_test

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("a protected resource named by its origin", func() {
	It("publishes the origin as resource at the root well-known URL only, and names it in the challenge", func() {
		s := start(mockserver.WithRevision(spec.Rev20251125), mockserver.WithOriginResource())
		origin, err := spec.Origin(s.MCPURL())
		Expect(err).NotTo(HaveOccurred())
		Expect(get(s.URLs()["protected resource metadata (root)"]).json()).To(HaveKeyWithValue("resource", origin))
		Expect(get(s.URLs()["protected resource metadata"]).status).To(Equal(http.StatusNotFound))
		Expect(postMCP(s, "").header.Get("WWW-Authenticate")).To(ContainSubstring(`resource_metadata="` + s.URLs()["protected resource metadata (root)"] + `"`))
	})

	It("accepts a token issued for the origin", func() {
		s := start(mockserver.WithRevision(spec.Rev20251125), mockserver.WithOriginResource())
		Expect(postMCP(s, bearer(s)).status).To(Equal(http.StatusOK), "the suite's own tokens are for the resource")
	})
})
