package catalog_test

import (
	"encoding/json"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/suites/catalog"
)

func TestCatalog(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "catalog")
}

// single is one fault switched on alone.
func single(name fault.Name) catalog.Fault { return catalog.Fault{Parts: []fault.Name{name}} }

func valid() catalog.Check {
	c, ok := catalog.Lookup("RS-PRM-004")
	Expect(ok).To(BeTrue())
	return c
}

var _ = Describe("The catalogue", func() {
	It("is valid as shipped", func() {
		Expect(catalog.Validate()).To(Succeed())
		Expect(len(catalog.All())).To(BeNumerically(">=", 15))
	})

	DescribeTable("rejects a bad entry",
		func(change func(*catalog.Check), problem string) {
			c := valid()
			change(&c)
			Expect(catalog.ValidateEntries([]catalog.Check{c})).To(MatchError(ContainSubstring(problem)))
		},
		Entry("malformed ID", func(c *catalog.Check) { c.ID = "prm-4" }, "does not match"),
		Entry("ID of another role", func(c *catalog.Check) { c.ID = "AS-PRM-004" }, "does not match role"),
		Entry("unknown role", func(c *catalog.Check) { c.Role = "proxy" }, "unknown role"),
		Entry("unknown level", func(c *catalog.Check) { c.Level = "MUSTNT" }, "unknown level"),
		Entry("unknown severity", func(c *catalog.Check) { c.Severity = "meh" }, "unknown severity"),
		Entry("no revisions", func(c *catalog.Check) { c.Revisions = nil }, "no revisions"),
		Entry("unknown revision", func(c *catalog.Check) { c.Revisions = []spec.Revision{"2024-11-05"} }, "unknown revision"),
		Entry("no references", func(c *catalog.Check) { c.Refs = nil }, "no requirement references"),
		Entry("no fault", func(c *catalog.Check) { c.Faults = nil }, "no fault trips it"),
		Entry("bad fault name", func(c *catalog.Check) { c.Faults = []catalog.Fault{single("whatever")} }, "not a counterpart fault"),
		Entry("fault of no counterpart", func(c *catalog.Check) { c.Faults = []catalog.Fault{single("proxy.x")} }, "not a counterpart fault"),
		Entry("fault without parts", func(c *catalog.Check) { c.Faults = []catalog.Fault{{}} }, "has no parts"),
		Entry("fault in a revision the check skips", func(c *catalog.Check) {
			c.Faults = []catalog.Fault{{Parts: []fault.Name{"rs.x"}, Revisions: []spec.Revision{spec.Rev20250326}}}
		}, "does not apply to"),
		Entry("empty title", func(c *catalog.Check) { c.Title = " " }, "empty title"),
		Entry("a critical MUST without remediation", func(c *catalog.Check) {
			c.Level, c.Severity, c.Remediation = spec.LevelMust, spec.SeverityCritical, ""
		}, "needs a remediation"),
		Entry("a remediation of two sentences", func(c *catalog.Check) { c.Remediation = "Do this. Then that." }, "not one sentence"),
		Entry("a remediation without a full stop", func(c *catalog.Check) { c.Remediation = "Do this" }, "not one sentence"),
	)

	It("rejects duplicate IDs", func() {
		Expect(catalog.ValidateEntries([]catalog.Check{valid(), valid()})).To(MatchError(ContainSubstring("duplicate ID")))
	})

	It("cites the MCP section as each revision places it", func() {
		c, _ := catalog.Lookup("RS-PRM-001")
		var urls []string
		for _, r := range c.RefsFor(spec.Rev20250618) {
			urls = append(urls, r.URL)
		}
		Expect(urls).To(ContainElement("https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization#authorization-server-location"))
		urls = nil
		for _, r := range c.RefsFor(spec.Rev20260728) {
			urls = append(urls, r.URL)
		}
		Expect(urls).To(ContainElement("https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization/authorization-server-discovery#protected-resource-metadata-discovery-requirements"))
	})

	It("knows which fault trips a check in which revision", func() {
		c, _ := catalog.Lookup("AS-META-001")
		Expect(c.TrippedBy(single(fault.ASMetadataOIDCOnly), spec.Rev20250618)).To(BeTrue())
		Expect(c.TrippedBy(single(fault.ASMetadataOIDCOnly), spec.Rev20251125)).To(BeFalse())
		Expect(c.TrippedBy(single(fault.ASMetadataMissing), spec.Rev20250326)).To(BeFalse(), "the check does not apply there")
		c, _ = catalog.Lookup("RS-PRM-003")
		Expect(c.TrippedBy(single(fault.RSPRMRootOnly), spec.Rev20250618)).To(BeTrue())
		Expect(c.TrippedBy(single(fault.RSPRMRootOnly), spec.Rev20251125)).To(BeFalse(), "the challenge may name the root metadata alone")
	})

	It("names faults switched on together by their parts joined with +", func() {
		c, _ := catalog.Lookup("AS-PKCE-006")
		downgrade := catalog.Fault{Parts: []fault.Name{fault.ASPKCEOptional, fault.ASPKCEAcceptVerifierWithoutChallenge}}
		Expect(c.TrippedBy(downgrade, spec.Latest)).To(BeTrue())
		Expect(c.TrippedBy(single(fault.ASPKCEOptional), spec.Latest)).To(BeFalse(), "one part alone")
		Expect(downgrade.String()).To(Equal("as.pkce.optional+as.pkce.accept-verifier-without-challenge"))
		Expect(json.Marshal(c.Faults)).To(MatchJSON(`[{"name": "as.pkce.optional+as.pkce.accept-verifier-without-challenge"}]`))
	})
})

var _ = Describe("Filters", func() {
	var filters []catalog.Filter
	for _, rev := range spec.Revisions {
		filters = append(filters,
			catalog.Filter{Revision: rev},
			catalog.Filter{Revision: rev, Roles: []spec.Role{spec.RoleRS}},
			catalog.Filter{Revision: rev, Levels: []spec.Level{spec.LevelShould, spec.LevelMay}},
			catalog.Filter{Revision: rev, Roles: []spec.Role{spec.RoleAS, spec.RoleRS}, Skip: []string{"AS-META-002"}},
			catalog.Filter{Revision: rev, Focus: []string{"RS-AUTH-001", "AS-LEG-001"}},
		)
	}

	It("select through Ginkgo labels exactly what they select from the catalogue", func() {
		for _, f := range filters {
			match, err := types.ParseLabelFilter(f.LabelFilter())
			Expect(err).NotTo(HaveOccurred(), f.LabelFilter())
			for _, c := range catalog.All() {
				Expect(match(c.Labels())).To(Equal(f.Matches(c)), "%s under %q", c.ID, f.LabelFilter())
			}
		}
	})

	It("find the check ID among labels", func() {
		id, ok := catalog.CheckID(valid().Labels())
		Expect(ok).To(BeTrue())
		Expect(id).To(Equal("RS-PRM-004"))
	})
})
