package selftest_test

import (
	"maps"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
)

var _ = Describe("Every check can fail", func() {
	It("names only faults the reference target has, in server checks", func() {
		known := map[fault.Name]bool{}
		for _, f := range mockserver.Faults() {
			known[f.Name] = true
		}
		for _, c := range serverChecks() {
			for _, f := range c.Faults {
				for _, part := range f.Parts {
					Expect(known).To(HaveKey(part), "%s names fault %s", c.ID, part)
				}
			}
		}
	})

	for _, rev := range spec.Revisions {
		It("fails exactly the checks naming each fault, at "+string(rev), func() {
			Expect(runTrials(faultTrials(rev), 3)).To(BeEmpty())
		})
	}

	// Correct configurations other than the default: what they may miss is
	// a SHOULD, and exactly that check says so.
	for _, rev := range spec.From(spec.Rev20250618) {
		It("passes an issuer without a path at "+string(rev), func() {
			Expect(runTrial(trial{name: "root issuer", revision: rev, opts: []mockserver.Option{mockserver.WithRootIssuer()}})).To(BeEmpty())
		})
		It("finds metadata named only by the challenge at "+string(rev), func() {
			Expect(runTrial(trial{name: "metadata only in the challenge", revision: rev,
				opts: []mockserver.Option{mockserver.WithMetadataOnlyInChallenge()}, expected: []string{"RS-PRM-003"}})).To(BeEmpty())
		})
	}
	It("passes plain where the server advertises and accepts it, which only AS-PKCE-002 discourages", func() {
		Expect(runTrial(trial{name: "plain advertised and accepted", revision: spec.Latest,
			opts:     []mockserver.Option{mockserver.WithFaults(fault.ASPKCEAdvertisedPlainRefused, fault.ASPKCEAcceptPlain)},
			expected: []string{"AS-PKCE-002"}})).To(BeEmpty())
	})
	It("runs the refresh checks with --scope offline_access where only offline access gets refresh tokens", func() {
		Expect(runTrial(trial{name: "refresh only for offline access", revision: spec.Latest,
			opts: []mockserver.Option{mockserver.WithRefreshOnlyForOfflineAccess()},
			args: []string{"--scope", "offline_access"}})).To(BeEmpty())
	})
	It("judges scope where a server needs it per tool alone", func() {
		Expect(runTrial(trial{name: "scope per tool", revision: spec.Latest,
			opts: []mockserver.Option{mockserver.WithScopeOnlyForTools()}})).To(BeEmpty())
	})
	It("does not run the session check against a server that assigns no session ID", func() {
		Expect(notRunAgainst(spec.Rev20251125, "RS-AUTH-006", mockserver.WithoutSessionIDs())).To(
			ContainSubstring("assigned no Mcp-Session-Id"))
	})
	It("follows an authorization that sets an interaction cookie on the way", func() {
		Expect(runTrial(trial{name: "interaction cookie", revision: spec.Latest,
			opts: []mockserver.Option{mockserver.WithInteractionCookie()}})).To(BeEmpty())
	})
})

// faultTrials are the clean reference and every fault that applies to rev
// and that some check names (in any revision, so a fault a revision allows
// is shown to trip nothing there).
func faultTrials(rev spec.Revision) []trial {
	since := map[fault.Name]mockserver.Fault{}
	for _, f := range mockserver.Faults() {
		since[f.Name] = f
	}
	named := map[string]catalog.Fault{}
	for _, c := range serverChecks() {
		for _, f := range c.Faults {
			named[f.String()] = f
		}
	}
	trials := []trial{{name: "clean", revision: rev}}
	for _, name := range slices.Sorted(maps.Keys(named)) {
		f := named[name]
		applies := true
		for _, part := range f.Parts {
			applies = applies && since[part].AppliesTo(rev)
		}
		if !applies {
			continue
		}
		t := trial{name: name, revision: rev, opts: []mockserver.Option{mockserver.WithFaults(f.Parts...)}}
		for _, c := range serverChecks() {
			if c.TrippedBy(f, rev) {
				t.expected = append(t.expected, c.ID)
			}
		}
		trials = append(trials, t)
	}
	return trials
}

// notRunAgainst runs check id alone against the reference configured by
// opts, expects it not run, and returns why.
func notRunAgainst(rev spec.Revision, id string, opts ...mockserver.Option) string {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	srv, caFile, _, err := configuredTarget(rev, dir, opts...)
	Expect(err).NotTo(HaveOccurred())
	defer srv.Close()
	res, code, err := runAndRead(dir, "server", "--url", srv.MCPURL(), "--spec-version", string(rev), "--ca-file", caFile, "--focus", id)
	Expect(err).NotTo(HaveOccurred())
	Expect(code).To(Equal(reports.ExitOK))
	Expect(res.Checks).To(HaveLen(1))
	Expect(res.Checks[0].Status).To(Equal(reports.StatusSkipped))
	Expect(res.Checks[0].Message).To(HavePrefix(check.NotRunPrefix))
	return res.Checks[0].Message
}
