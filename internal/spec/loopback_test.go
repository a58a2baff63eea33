package spec_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
)

var _ = DescribeTable("loopback hosts",
	func(host string, loopback bool) { Expect(spec.IsLoopbackHost(host)).To(Equal(loopback)) },
	Entry(nil, "localhost", true),
	Entry(nil, "LOCALHOST", true),
	Entry(nil, "127.0.0.1", true),
	Entry(nil, "127.8.9.10", true),
	Entry(nil, "::1", true),
	Entry(nil, "10.0.0.1", false),
	Entry(nil, "localhost.example", false),
	Entry(nil, "", false),
)

var _ = DescribeTable("redirect URI matching",
	func(registered, requested string, matches bool) {
		Expect(spec.RedirectURIMatches(registered, requested)).To(Equal(matches))
	},
	Entry("the same string", "https://app.example/cb", "https://app.example/cb", true),
	Entry("a loopback IP with another port", "http://127.0.0.1:1234/callback", "http://127.0.0.1:5678/callback", true),
	Entry("a loopback IP registered without port", "http://127.0.0.1/callback", "http://127.0.0.1:5678/callback", true),
	Entry("an IPv6 loopback with another port", "http://[::1]:1/cb", "http://[::1]:2/cb", true),
	Entry("a loopback IP with another path", "http://127.0.0.1:1234/callback", "http://127.0.0.1:1234/callback/", false),
	Entry("a loopback IP with a query added", "http://127.0.0.1:1234/callback", "http://127.0.0.1:1234/callback?flow=1", false),
	Entry("localhost with another port", "http://localhost:1234/callback", "http://localhost:5678/callback", false),
	Entry("another loopback host", "http://127.0.0.1:1234/callback", "http://localhost:1234/callback", false),
	Entry("https with another port", "https://app.example:1/cb", "https://app.example:2/cb", false),
	Entry("a prefix", "https://app.example/cb", "https://app.example/cb/more", false),
)
