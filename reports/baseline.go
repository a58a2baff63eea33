package reports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
)

// Baseline lists the checks a target is known to fail, mapping each check ID
// to the reason it is accepted. The reason is mandatory so that every
// accepted failure is explained where it is accepted.
//
// The file has one entry per line: the check ID, whitespace, then the reason
// up to the end of the line. Blank lines and lines starting with '#' are
// ignored; a '#' inside a reason is part of the reason. For example:
//
//	# Known gaps of our staging authorization server.
//	AS-META-003  issuer has a trailing slash; fix tracked in OPS-112
//	RS-WWWAUTH-002  resource_metadata omitted on 403, see issue #41
//
// A line with an ID but no reason, and an ID listed twice, are errors.
type Baseline map[string]string

// ParseBaseline reads a baseline in the format described on Baseline.
func ParseBaseline(rd io.Reader) (Baseline, error) {
	return parseBaseline(rd, "baseline")
}

// LoadBaseline reads the baseline file at path.
func LoadBaseline(path string) (Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reports: reading baseline: %w", err)
	}
	defer f.Close()
	return parseBaseline(f, path)
}

// parseBaseline names errors after source, so they point at the file and line.
func parseBaseline(rd io.Reader, source string) (Baseline, error) {
	b := Baseline{}
	firstLine := map[string]int{}
	scanner := bufio.NewScanner(rd)
	for lineNo := 1; scanner.Scan(); lineNo++ {
		line := scanner.Text()
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // editors on Windows add a BOM
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// The line is trimmed, so text always follows the first space.
		space := strings.IndexFunc(line, unicode.IsSpace)
		if space < 0 {
			return nil, fmt.Errorf("reports: %s:%d: check %s has no reason; every baseline entry needs one", source, lineNo, line)
		}
		id, reason := line[:space], strings.TrimSpace(line[space:])
		if first, dup := firstLine[id]; dup {
			return nil, fmt.Errorf("reports: %s:%d: check %s is already listed on line %d", source, lineNo, id, first)
		}
		firstLine[id] = lineNo
		b[id] = reason
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("reports: reading %s: %w", source, err)
	}
	return b, nil
}

// Check rejects IDs missing from knownIDs (the whole catalogue, not just a
// selection), naming the known ID an entry differs from only in case: IDs
// are matched exactly.
func (b Baseline) Check(knownIDs []string) error {
	var unknown []string
	for id := range b {
		if slices.Contains(knownIDs, id) {
			continue
		}
		if i := slices.IndexFunc(knownIDs, func(known string) bool { return strings.EqualFold(known, id) }); i >= 0 {
			id += " (check IDs are case-sensitive: " + knownIDs[i] + ")"
		}
		unknown = append(unknown, id)
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("reports: baseline names unknown checks: %s", strings.Join(unknown, ", "))
	}
	return nil
}

// Apply judges r's checks against the baseline from scratch, undoing any
// earlier baseline's marks first, and recounts the summary: a listed check
// that failed becomes an expected failure, a listed check that passed
// becomes an unexpected pass, and a listed skipped check stays skipped.
// IDs Check rejects are a usage error, and then r is left unchanged.
func (b Baseline) Apply(r *Results, knownIDs []string) error {
	if err := b.Check(knownIDs); err != nil {
		return err
	}
	for i := range r.Checks {
		b.Mark(&r.Checks[i])
	}
	r.Summarize()
	return nil
}

// Mark judges one check against the baseline, from its own verdict.
func (b Baseline) Mark(c *CheckResult) {
	switch c.Status {
	case StatusExpectedFailure:
		c.Status = StatusFailed
	case StatusUnexpectedPass:
		c.Status, c.Message = StatusPassed, ""
	}
	c.BaselineReason = ""
	reason, listed := b[c.ID]
	if !listed {
		return
	}
	switch c.Status {
	case StatusFailed:
		c.Status = StatusExpectedFailure
		c.BaselineReason = reason
	case StatusPassed:
		c.Status = StatusUnexpectedPass
		c.BaselineReason = reason
		c.Message = fmt.Sprintf("passed, but the baseline expects it to fail; remove %s from the baseline", c.ID)
	}
}
