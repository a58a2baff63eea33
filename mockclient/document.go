package mockclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

// Document is a JSON object a target served, kept raw for schema validation
// and generic so that a member of the wrong type fails only the checks that
// read it.
type Document struct {
	URL      string
	Response *Response
	Raw      []byte
	Members  map[string]json.RawMessage
}

// GetDocument GETs url and requires 200 with one JSON object. The document
// is returned with the error too, so a failed fetch still shows as evidence.
func (c *Client) GetDocument(ctx context.Context, url string) (*Document, error) {
	resp, err := c.Get(ctx, url, http.Header{"Accept": {"application/json"}})
	doc := &Document{URL: url, Response: resp}
	if err != nil {
		return doc, err
	}
	if resp.Status != http.StatusOK {
		return doc, fmt.Errorf("mockclient: GET %s answered %d, want 200", url, resp.Status)
	}
	members, err := ParseDocument(resp.Body)
	if err != nil {
		return doc, fmt.Errorf("mockclient: GET %s: %w", url, err)
	}
	doc.Raw, doc.Members = resp.Body, members
	return doc, nil
}

// ParseDocument reads body as one JSON object.
func ParseDocument(body []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var members map[string]json.RawMessage
	if err := dec.Decode(&members); err != nil {
		return nil, fmt.Errorf("mockclient: not a JSON object: %w", err)
	}
	if members == nil {
		return nil, fmt.Errorf("mockclient: not a JSON object: null")
	}
	if dec.More() {
		return nil, fmt.Errorf("mockclient: trailing data after the JSON object")
	}
	return members, nil
}

// Has reports whether the member is present.
func (d *Document) Has(name string) bool {
	_, ok := d.Members[name]
	return ok
}

// String reads a string member; ok is false when it is absent or not a string.
func (d *Document) String(name string) (value string, ok bool) {
	raw, present := d.Members[name]
	if !present {
		return "", false
	}
	return value, json.Unmarshal(raw, &value) == nil
}

// Strings reads an array-of-strings member; ok is false when it is absent or
// of another type.
func (d *Document) Strings(name string) (values []string, ok bool) {
	raw, present := d.Members[name]
	if !present {
		return nil, false
	}
	return values, json.Unmarshal(raw, &values) == nil && values != nil
}

// Evidence is the fetch that produced the document; nil-safe.
func (d *Document) Evidence() []evidence.Exchange {
	if d == nil {
		return nil
	}
	return d.Response.Evidence()
}
