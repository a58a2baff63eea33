package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/mcpconform/mcpconform/suites/run"
)

// pathFlags hold file paths: relative ones in a config file are relative to
// that file, so a config works from any directory.
var pathFlags = map[string]bool{"report-dir": true, "baseline": true, "ca-file": true}

// applyConfig reads a YAML target config whose keys are the command's flag
// names and sets every flag the command line did not set. Secrets have no
// place there: they come from the environment.
func applyConfig(cmd *cobra.Command, path string) error {
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return &run.UsageError{Err: fmt.Errorf("config: %w", err)}
	}
	var values map[string]any
	if err := yaml.Unmarshal(raw, &values); err != nil {
		return &run.UsageError{Err: fmt.Errorf("config %s: %w", path, err)}
	}
	for key, value := range values {
		flag := cmd.Flags().Lookup(key)
		if flag == nil || key == "config" {
			return &run.UsageError{Err: fmt.Errorf("config %s: unknown setting %q (settings are the flags of %q)", path, key, cmd.CommandPath())}
		}
		if flag.Changed {
			continue // the command line wins
		}
		items := []any{value}
		if list, isList := value.([]any); isList && flag.Value.Type() == "stringArray" {
			items = list // as the flag repeated: an item may hold commas
		}
		for _, item := range items {
			text, err := flagText(item)
			if err != nil {
				return &run.UsageError{Err: fmt.Errorf("config %s: %s: %w", path, key, err)}
			}
			if pathFlags[key] && text != "" && !filepath.IsAbs(text) {
				text = filepath.Join(filepath.Dir(path), text)
			}
			if err := flag.Value.Set(text); err != nil {
				return &run.UsageError{Err: fmt.Errorf("config %s: %s: %w", path, key, err)}
			}
		}
	}
	return nil
}

// flagText renders a YAML value the way the flag would be written.
func flagText(value any) (string, error) {
	switch v := value.(type) {
	case []any:
		parts := make([]string, len(v))
		for i, item := range v {
			text, err := flagText(item)
			if err != nil {
				return "", err
			}
			parts[i] = text
		}
		return strings.Join(parts, ","), nil
	case map[string]any:
		return "", errors.New("a mapping is not a flag value")
	case nil:
		return "", nil
	}
	return fmt.Sprint(value), nil
}
