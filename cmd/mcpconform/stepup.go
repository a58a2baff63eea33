package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/mcpconform/mcpconform/suites/server"
)

// stepUpFlags name a tool of the target that needs a scope beyond the one
// to connect with, for the scope checks (RS-TOK-010..012).
type stepUpFlags struct {
	tool, scope, arguments string
}

func (f *stepUpFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.tool, "step-up-tool", "", "a tool of the target that needs --step-up-scope, called with a token without it "+
		"(default: the bundled reference's "+server.ReferenceStepUp.Tool+")")
	fs.StringVar(&f.scope, "step-up-scope", "", "the scope --step-up-tool needs")
	fs.StringVar(&f.arguments, "step-up-arguments", "{}", "the JSON object of arguments --step-up-tool is called with")
}

// stepUp is the tool to probe, zero for the reference's.
func (f stepUpFlags) stepUp() (server.StepUp, error) {
	if (f.tool == "") != (f.scope == "") {
		return server.StepUp{}, errors.New("--step-up-tool and --step-up-scope go together")
	}
	if f.tool == "" {
		return server.StepUp{}, nil
	}
	var arguments map[string]any
	if err := json.Unmarshal([]byte(f.arguments), &arguments); err != nil || arguments == nil {
		return server.StepUp{}, fmt.Errorf("--step-up-arguments %q is not a JSON object", f.arguments)
	}
	return server.StepUp{Tool: f.tool, Scope: f.scope, Arguments: arguments}, nil
}
