// Package schema validates metadata documents, and mcpconform's own reports,
// against the JSON Schemas embedded in fixtures.
package schema

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
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
// (fixtures.Schema*). The error lists, on one line, every violated keyword
// with the JSON pointer of the value that violates it.
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
	err = sch.Validate(doc)
	var invalid *jsonschema.ValidationError
	if errors.As(err, &invalid) {
		return fmt.Errorf("schema: not valid against %s: %s", path.Base(name), strings.Join(violations(invalid), "; "))
	}
	if err != nil {
		return fmt.Errorf("schema: %s: %w", name, err)
	}
	return nil
}

// pointerEscaper escapes a JSON pointer's reference tokens (RFC 6901 §3).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// violations lists each violated keyword (the leaves of the error tree)
// with the JSON pointer of the value that violates it, sorted.
func violations(e *jsonschema.ValidationError) []string {
	if len(e.Causes) == 0 {
		location := ""
		for _, token := range e.InstanceLocation {
			location += "/" + pointerEscaper.Replace(token)
		}
		if len(e.InstanceLocation) == 0 {
			location = "the document"
		}
		detail := e.BasicOutput().Error.String()
		keywords := e.ErrorKind.KeywordPath()
		if len(keywords) == 0 { // not, a false schema: the detail names it
			return []string{fmt.Sprintf("at %s: %s", location, detail)}
		}
		keyword := keywords[len(keywords)-1]
		return []string{fmt.Sprintf("at %s, keyword %s: %s", location, keyword, strings.TrimPrefix(detail, keyword+": "))}
	}
	var out []string
	for _, cause := range e.Causes {
		out = append(out, violations(cause)...)
	}
	slices.Sort(out)
	return out
}

func compileAll() {
	names := []string{fixtures.SchemaProtectedResourceMetadata, fixtures.SchemaAuthorizationServerMetadata,
		fixtures.SchemaClientInformationResponse, fixtures.SchemaResults, fixtures.SchemaSARIF}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // the report schemas judge their URIs and times
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
