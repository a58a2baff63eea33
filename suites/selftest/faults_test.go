package selftest_test

import (
	"maps"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
)

var _ = Describe("Every check can fail", func() {
	It("names only faults the reference target has", func() {
		known := map[string]bool{}
		for _, f := range mockserver.Faults() {
			known[f.Name] = true
		}
		for _, c := range catalog.All() {
			for _, f := range c.Faults {
				for _, part := range f.Parts() {
					Expect(known).To(HaveKey(part), "%s names fault %s", c.ID, part)
				}
			}
		}
	})

	for _, rev := range spec.Revisions {
		DescribeTable("against the reference target at "+string(rev),
			func(fault string) {
				var expected []string
				var opts []mockserver.Option
				if fault != "" {
					opts = append(opts, mockserver.WithFaults(strings.Split(fault, "+")...))
					for _, c := range catalog.All() {
						if c.TrippedBy(fault, rev) {
							expected = append(expected, c.ID)
						}
					}
				}
				expectRun(reference(rev, opts...), rev, expected)
			},
			faultEntries(rev),
		)
	}

	// Correct configurations other than the default: what they may miss is
	// a SHOULD, and exactly that check says so.
	for _, rev := range spec.From(spec.Rev20250618) {
		It("passes an issuer without a path at "+string(rev), func() {
			expectRun(reference(rev, mockserver.WithRootIssuer()), rev, nil)
		})
		It("finds metadata named only by the challenge at "+string(rev), func() {
			expectRun(reference(rev, mockserver.WithMetadataOnlyInChallenge()), rev, []string{"RS-PRM-003"})
		})
	}
})

// expectRun runs the binary against srv and expects exactly the expected
// checks to fail, each with a reason and evidence, and every other check to
// pass or be skipped because a failing step it builds on failed.
func expectRun(srv *mockserver.Server, rev spec.Revision, expected []string) {
	GinkgoHelper()
	session, dir := mcpconform("server", "--url", srv.MCPURL(), "--spec-version", string(rev), "--timeout", hostileTimeout)
	res := readResults(dir)
	Expect(byStatus(res)[reports.StatusFailed]).To(ConsistOf(expected), "checks failing")
	Expect(res.Checks).To(HaveLen(len(catalog.Filter{Revision: rev}.Select())))
	for _, c := range res.Checks {
		switch c.Status {
		case reports.StatusSkipped:
			Expect(expected).NotTo(BeEmpty(), "%s skipped though no check should fail: %s", c.ID, c.Message)
			Expect(c.Message).To(HavePrefix(check.PrerequisitePrefix), "%s skipped for another reason", c.ID)
		case reports.StatusFailed:
			Expect(strings.TrimSpace(c.Message)).NotTo(BeEmpty(), "%s failed without a reason", c.ID)
			Expect(c.Evidence).NotTo(BeEmpty(), "%s failed without evidence", c.ID)
		}
	}
	if len(expected) == 0 {
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
	} else {
		Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
	}
}

// faultEntries are the clean reference and every fault that applies to rev
// and that some check names (in any revision, so a fault a revision allows
// is shown to trip nothing there).
func faultEntries(rev spec.Revision) []TableEntry {
	since := map[string]mockserver.Fault{}
	for _, f := range mockserver.Faults() {
		since[f.Name] = f
	}
	named := map[string]bool{}
	for _, c := range catalog.All() {
		for _, f := range c.Faults {
			named[f.Name] = true
		}
	}
	entries := []TableEntry{Entry("clean", "")}
	for _, name := range slices.Sorted(maps.Keys(named)) {
		applies := true
		for _, part := range strings.Split(name, "+") {
			applies = applies && since[part].AppliesTo(rev)
		}
		if applies {
			entries = append(entries, Entry(name, name))
		}
	}
	return entries
}
