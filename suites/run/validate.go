package run

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/client"
)

// Validate checks the catalogue and that it and the specs agree: every spec
// carries exactly one known check ID and its entry's title, and every entry
// has exactly one spec.
func Validate() error {
	if err := catalog.Validate(); err != nil {
		return err
	}
	declared()
	var problems []string
	specsPerID := map[string]int{}
	for _, sr := range PreviewSpecs("mcpconform").SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		var ids []string
		for _, l := range sr.Labels() {
			if id, ok := strings.CutPrefix(l, catalog.LabelCheck); ok {
				ids = append(ids, id)
			}
		}
		if len(ids) != 1 {
			problems = append(problems, fmt.Sprintf("spec %q at %s has %d check IDs, want 1", sr.LeafNodeText, sr.LeafNodeLocation, len(ids)))
			continue
		}
		c, ok := catalog.Lookup(ids[0])
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("spec %q names unknown check %s", sr.LeafNodeText, ids[0]))
		case c.Title != sr.LeafNodeText:
			problems = append(problems, fmt.Sprintf("%s: spec says %q, catalogue says %q", c.ID, sr.LeafNodeText, c.Title))
		}
		specsPerID[ids[0]]++
	}
	for _, c := range catalog.All() {
		if n := specsPerID[c.ID]; n != 1 {
			problems = append(problems, fmt.Sprintf("%s has %d specs, want 1", c.ID, n))
		}
		for _, name := range c.Scenarios {
			if _, ok := client.LookupScenario(name); !ok {
				problems = append(problems, fmt.Sprintf("%s names unknown scenario %s", c.ID, name))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("run: catalogue and specs disagree:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}
