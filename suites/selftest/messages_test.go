package selftest_test

import (
	"regexp"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
)

// goPointer is a Go pointer address as a Gomega dump of an error shows it.
var goPointer = regexp.MustCompile(`0x[0-9a-f]{6,}`)

var _ = Describe("Server check messages say what was observed", func() {
	DescribeTable("against a reference with one fault",
		func(f fault.Name, id string, says ...string) {
			dir := GinkgoT().TempDir()
			srv, caFile, counterparts, err := configuredTarget(spec.Latest, dir, mockserver.WithFaults(f))
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(srv.Close)
			res, _, err := runAndRead(dir, append([]string{"server", "--url", srv.MCPURL(), "--timeout", hostileTimeout, "--ca-file", caFile}, counterparts...)...)
			Expect(err).NotTo(HaveOccurred())
			var judged *reports.CheckResult
			for i, c := range res.Checks {
				Expect(c.Message).NotTo(ContainSubstring("with an access token"), "%s: the fault's token answers carry none", c.ID)
				Expect(c.Message).NotTo(MatchRegexp(goPointer.String()), "%s shows a Go dump", c.ID)
				if c.ID == id {
					judged = &res.Checks[i]
				}
			}
			Expect(judged).NotTo(BeNil())
			Expect(judged.Status).To(Equal(reports.StatusFailed))
			for _, s := range says {
				Expect(judged.Message).To(ContainSubstring(s))
			}
		},
		Entry("a schema violation names its JSON pointer and keyword", fault.ASMetadataSchemaViolation, "AS-META-007",
			"at /token_endpoint_auth_methods_supported, keyword type: got string, want array", "RFC 8414 §2"),
		Entry("so does one of the protected resource metadata", fault.RSPRMSchemaViolation, "RS-PRM-006",
			"at /resource_name, keyword type: got number, want string", "RFC 9728 §2"),
		Entry("a token answer without access_token is called so", fault.ASTokenNoAccessToken, "AS-FLOW-001",
			"answered 200 without an access token"),
		Entry("a token answer that is not JSON is called so", fault.ASTokenMalformedJSON, "AS-FLOW-001",
			"answered 200 without a JSON object body"),
	)
})
