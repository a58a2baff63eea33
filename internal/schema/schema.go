// Package schema validates metadata documents against the JSON Schemas
// embedded in fixtures.
package schema

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mcpconform/mcpconform/fixtures"
)

var (
	compileOnce sync.Once
	compiled    map[string]*jsonschema.Schema
	compileErr  error
)

// Validate checks the raw JSON document body against the named fixture schema
// (fixtures.Schema*). The error lists every violation with its location.
func Validate(name string, body []byte) error {
	compileOnce.Do(compileAll)
	if compileErr != nil {
		return compileErr
	}
	sch, ok := compiled[name]
	if !ok {
		return fmt.Errorf("schema: no schema %q", name)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("schema: document is not JSON: %w", err)
	}
	if err := sch.Validate(doc); err != nil {
		return fmt.Errorf("schema: %s: %w", name, err)
	}
	return nil
}

func compileAll() {
	names := []string{fixtures.SchemaProtectedResourceMetadata, fixtures.SchemaAuthorizationServerMetadata}
	c := jsonschema.NewCompiler()
	for _, name := range names {
		raw, err := fixtures.Schemas.ReadFile(name)
		if err != nil {
			compileErr = fmt.Errorf("schema: read %s: %w", name, err)
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			compileErr = fmt.Errorf("schema: parse %s: %w", name, err)
			return
		}
		if err := c.AddResource(name, doc); err != nil {
			compileErr = fmt.Errorf("schema: add %s: %w", name, err)
			return
		}
	}
	compiled = map[string]*jsonschema.Schema{}
	for _, name := range names {
		sch, err := c.Compile(name)
		if err != nil {
			compileErr = fmt.Errorf("schema: compile %s: %w", name, err)
			return
		}
		compiled[name] = sch
	}
}
