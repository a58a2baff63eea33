package mockserver_test

import (
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

var challengeScope = regexp.MustCompile(`scope="([^"]*)"`)

var _ = Describe("the scopes a client is judged by", func() {
	DescribeTable("are those the 401 challenge and the protected resource metadata name",
		func(rev spec.Revision, faults ...fault.Name) {
			s := start(mockserver.WithRevision(rev), mockserver.WithFaults(faults...))
			scopes := s.AdvertisedScopes()

			var challenged []string
			if m := challengeScope.FindStringSubmatch(postMCP(s, "").header.Get("WWW-Authenticate")); m != nil {
				challenged = strings.Fields(m[1])
			}
			Expect(scopes.Challenged).To(Equal(challenged))

			var supported []string
			if rev.UsesProtectedResourceMetadata() {
				listed, _ := get(mustOrigin(s.MCPURL()) + prmSuffix + "/mcp").json()["scopes_supported"].([]any)
				for _, sc := range listed {
					supported = append(supported, sc.(string))
				}
			}
			Expect(scopes.Supported).To(Equal(supported))
		},
		Entry("the reference", spec.Latest),
		Entry("no scope in the challenge", spec.Latest, fault.RSChallengeNoScope),
		Entry("no scopes_supported in the metadata", spec.Latest, fault.RSPRMNoScopes),
		Entry("2025-03-26: neither", spec.Rev20250326),
	)
})
