package selftest_test

import (
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/check"
)

// A server may issue refresh tokens only for offline access: without
// --scope offline_access no refresh check can be judged.
var _ = Describe("The refresh checks on a server that issues refresh tokens only for offline access", func() {
	It("are not run without --scope, saying to name it, and fail nothing", func() {
		session, dir := newStrategyTarget(spec.Latest, mockserver.WithRefreshOnlyForOfflineAccess()).run(nil)
		Eventually(session).WithTimeout(strategyRunTimeout).Should(gexec.Exit(reports.ExitOK))
		res := readResults(dir)
		Expect(byStatus(res)[reports.StatusFailed]).To(BeEmpty())
		Expect(byStatus(res)[reports.StatusSkipped]).To(ContainElements("AS-REF-001", "AS-REF-003", "AS-REF-007"))
		for _, c := range res.Checks {
			if c.Status == reports.StatusSkipped {
				Expect(c.Message).To(And(HavePrefix(check.NotRunPrefix), ContainSubstring("--scope offline_access")), c.ID)
				Expect(strings.HasPrefix(c.ID, "AS-REF-")).To(BeTrue(), "only refresh checks need a refresh token: %s %s", c.ID, c.Message)
			}
		}
	})
})

// The check of a token for another resource judges only a token the
// target's own authorization server issued for a resource the user names.
var _ = Describe("The token for another resource", func() {
	// runFocused runs RS-TOK-014 against the reference with its flags but
	// --other-resource, and args, and returns its result.
	runFocused := func(args ...string) reports.CheckResult {
		GinkgoHelper()
		srv, caFile, counterparts := httpsReference(spec.Latest)
		at := slices.Index(counterparts, "--other-resource")
		counterparts = slices.Delete(counterparts, at, at+2)
		session, dir := mcpconform(append(append([]string{"server", "--url", srv.MCPURL(), "--ca-file", caFile,
			"--focus", "RS-TOK-014"}, counterparts...), args...)...)
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		res := readResults(dir)
		Expect(res.Checks).To(HaveLen(1))
		return res.Checks[0]
	}

	It("is not run without --other-resource, saying to name one", func() {
		c := runFocused()
		Expect(c.Status).To(Equal(reports.StatusSkipped))
		Expect(c.Message).To(And(HavePrefix(check.NotRunPrefix), ContainSubstring("--other-resource URL")))
	})

	It("is not run where the authorization server issues no token for it", func() {
		c := runFocused("--other-resource", "https://unserved.mcpconform.invalid/mcp")
		Expect(c.Status).To(Equal(reports.StatusSkipped))
		Expect(c.Message).To(And(HavePrefix(check.NotRunPrefix), ContainSubstring("invalid_target")))
	})
})
