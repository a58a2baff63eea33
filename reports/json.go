package reports

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes r as indented results.json, valid against
// fixtures.SchemaResults. It stamps the current SchemaVersion, since that is
// the format this code writes, and the summary and verdict of r's checks.
func WriteJSON(w io.Writer, r *Results) error {
	stamped := *r
	stamped.SchemaVersion = SchemaVersion
	stamped.Summarize()
	verdict := Judge(&stamped)
	stamped.Verdict = &verdict
	if stamped.Checks == nil {
		stamped.Checks = []CheckResult{} // a run that judged nothing has no checks, not null
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&stamped); err != nil {
		return fmt.Errorf("reports: writing results.json: %w", err)
	}
	return nil
}

// ReadJSON reads results.json and rejects any schema other than
// SchemaVersion, so a reader never misreads a newer or older format, and any
// unknown status. What follows from the checks is not taken from the file:
// the summary is recounted, skipped checks are typed from their reasons
// (files written before skipKind have none), and the stored verdict is
// dropped, for Judge to decide.
func ReadJSON(rd io.Reader) (*Results, error) {
	var r Results
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return nil, fmt.Errorf("reports: reading results.json: %w", err)
	}
	if r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("reports: results.json schema %q is not supported (want %q)", r.SchemaVersion, SchemaVersion)
	}
	for i := range r.Checks {
		c := &r.Checks[i]
		switch c.Status {
		case StatusPassed, StatusFailed, StatusExpectedFailure, StatusUnexpectedPass:
			c.SkipKind, c.BlockedBy = "", ""
		case StatusSkipped:
			c.Skip(c.Message)
		default:
			return nil, fmt.Errorf("reports: results.json: check %s has unknown status %q", c.ID, c.Status)
		}
	}
	r.Verdict = nil
	r.Summarize()
	return &r, nil
}
