package reports

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes r as indented results.json. It stamps the current
// SchemaVersion, since that is the format this code writes.
func WriteJSON(w io.Writer, r *Results) error {
	stamped := *r
	stamped.SchemaVersion = SchemaVersion
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&stamped); err != nil {
		return fmt.Errorf("reports: writing results.json: %w", err)
	}
	return nil
}

// ReadJSON reads results.json and rejects any schema other than
// SchemaVersion, so a reader never misreads a newer or older format.
func ReadJSON(rd io.Reader) (*Results, error) {
	var r Results
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return nil, fmt.Errorf("reports: reading results.json: %w", err)
	}
	if r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("reports: results.json schema %q is not supported (want %q)", r.SchemaVersion, SchemaVersion)
	}
	return &r, nil
}
