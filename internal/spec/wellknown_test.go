package spec_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
)

var _ = Describe("well-known URLs", func() {
	DescribeTable("inserting a suffix",
		func(id, want string) {
			Expect(spec.InsertWellKnown(id, spec.SuffixProtectedResource)).To(Equal(want))
		},
		Entry("path", "https://h/mcp", "https://h/.well-known/oauth-protected-resource/mcp"),
		Entry("port kept", "https://h:8443/v1/mcp", "https://h:8443/.well-known/oauth-protected-resource/v1/mcp"),
		Entry("root", "https://h", "https://h/.well-known/oauth-protected-resource"),
		Entry("terminating slash dropped", "https://h/t1/", "https://h/.well-known/oauth-protected-resource/t1"),
		Entry("query kept", "https://h/?t=a", "https://h/.well-known/oauth-protected-resource?t=a"),
	)

	It("rejects an identifier with a fragment", func() {
		_, err := spec.InsertWellKnown("https://h/x#f", spec.SuffixProtectedResource)
		Expect(err).To(MatchError(ContainSubstring("fragment")))
	})

	DescribeTable("authorization server metadata candidates per revision",
		func(rev spec.Revision, issuer string, want []string) {
			got, err := rev.AuthorizationServerMetadataURLs(issuer)
			Expect(err).NotTo(HaveOccurred())
			var urls []string
			for _, c := range got {
				urls = append(urls, c.URL)
			}
			Expect(urls).To(Equal(want))
		},
		Entry("2025-06-18 uses RFC 8414 only", spec.Rev20250618, "https://as/t1",
			[]string{"https://as/.well-known/oauth-authorization-server/t1"}),
		Entry("2025-11-25 with a path", spec.Rev20251125, "https://as/t1", []string{
			"https://as/.well-known/oauth-authorization-server/t1",
			"https://as/.well-known/openid-configuration/t1",
			"https://as/t1/.well-known/openid-configuration",
		}),
		Entry("2026-07-28 without a path", spec.Rev20260728, "https://as", []string{
			"https://as/.well-known/oauth-authorization-server",
			"https://as/.well-known/openid-configuration",
		}),
	)

	It("builds the 2025-03-26 metadata URL at the origin", func() {
		Expect(spec.LegacyMetadataURL("https://api.example.com:8443/v1/mcp")).
			To(Equal("https://api.example.com:8443/.well-known/oauth-authorization-server"))
	})
})

var _ = Describe("revisions", func() {
	It("orders revisions and parses known ones only", func() {
		Expect(spec.Rev20251125.AtLeast(spec.Rev20250618)).To(BeTrue())
		Expect(spec.Rev20250326.AtLeast(spec.Rev20250618)).To(BeFalse())
		Expect(spec.From(spec.Rev20260728)).To(Equal([]spec.Revision{spec.Rev20260728, spec.RevDraft}))
		_, err := spec.ParseRevision("2024-11-05")
		Expect(err).To(MatchError(ContainSubstring("unknown revision")))
	})
})
