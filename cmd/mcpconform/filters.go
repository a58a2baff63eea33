package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/run"
)

// filterFlags are the selection flags shared by a run and `list`.
type filterFlags struct {
	revision string
	roles    []string
	levels   []string
	focus    []string
	skip     []string
}

func (f *filterFlags) register(cmd *cobra.Command, defaultRevision string) {
	fs := cmd.Flags()
	fs.StringVar(&f.revision, "spec-version", defaultRevision,
		"MCP specification revision: 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28 or draft")
	fs.StringSliceVar(&f.roles, "role", nil, "only checks of these roles: as, rs, client")
	fs.StringSliceVar(&f.levels, "level", nil, "only checks of these levels: MUST, SHOULD, MAY")
	fs.StringSliceVar(&f.focus, "focus", nil, "only these check IDs")
	fs.StringSliceVar(&f.skip, "skip", nil, "leave out these check IDs")
}

// filters builds one catalogue filter per selected revision: the given one,
// or every revision when none is given (list only). A mode's run judges
// only its own roles (all of them when --role is not given): modeRoles, or
// every role when none are given.
func (f *filterFlags) filters(modeRoles ...spec.Role) ([]catalog.Filter, error) {
	revisions := spec.Revisions
	if f.revision != "" {
		r, err := spec.ParseRevision(f.revision)
		if err != nil {
			return nil, &run.UsageError{Err: err}
		}
		revisions = []spec.Revision{r}
	}
	base := catalog.Filter{Focus: f.focus, Skip: f.skip}
	for _, s := range f.roles {
		r, err := spec.ParseRole(s)
		if err != nil {
			return nil, &run.UsageError{Err: err}
		}
		if len(modeRoles) > 0 && !slices.Contains(modeRoles, r) {
			return nil, &run.UsageError{Err: fmt.Errorf("--role %s: this mode judges only %v", r, modeRoles)}
		}
		base.Roles = append(base.Roles, r)
	}
	if len(base.Roles) == 0 {
		base.Roles = modeRoles
	}
	for _, s := range f.levels {
		l, err := spec.ParseLevel(s)
		if err != nil {
			return nil, &run.UsageError{Err: err}
		}
		base.Levels = append(base.Levels, l)
	}
	for _, id := range append(append([]string{}, f.focus...), f.skip...) {
		if _, ok := catalog.Lookup(id); !ok {
			return nil, &run.UsageError{Err: fmt.Errorf("unknown check ID %q", id)}
		}
	}
	var out []catalog.Filter
	for _, r := range revisions {
		filter := base
		filter.Revision = r
		out = append(out, filter)
	}
	return out, nil
}

// selection is the one filter of a run, refused as a usage error when it
// selects no check, before anything (a target, a client) is started.
func (f *filterFlags) selection(modeRoles ...spec.Role) (catalog.Filter, error) {
	filters, err := f.filters(modeRoles...)
	if err != nil {
		return catalog.Filter{}, err
	}
	filter := filters[0]
	if len(filter.Select()) == 0 {
		return catalog.Filter{}, &run.UsageError{Err: fmt.Errorf("the filters select no checks at spec %s%s: see `mcpconform list`", filter.Revision, f.describe())}
	}
	return filter, nil
}

// describe names the selection flags given, as they were given.
func (f *filterFlags) describe() string {
	var given []string
	for _, flag := range []struct {
		name   string
		values []string
	}{{"role", f.roles}, {"level", f.levels}, {"focus", f.focus}, {"skip", f.skip}} {
		if len(flag.values) > 0 {
			given = append(given, "--"+flag.name+" "+strings.Join(flag.values, ","))
		}
	}
	if len(given) == 0 {
		return ""
	}
	return " (" + strings.Join(given, " ") + ")"
}
