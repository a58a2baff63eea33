package main

import (
	"bytes"
	"context"
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	for _, tc := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"go install at a release", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"a build in a checkout", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261207015200-aac1127abcde+dirty"}},
			"v0.0.0-20261207015200-aac1127abcde+dirty"},
		{"a revision without a module version", debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "aac1127"}, {Key: "vcs.modified", Value: "true"}}},
			"(devel) aac1127+dirty"},
		{"nothing recorded", debug.BuildInfo{}, "(devel)"},
	} {
		if got := buildVersion(&tc.info); got != tc.want {
			t.Errorf("%s: buildVersion = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestVersionIsPrintedOnStdout(t *testing.T) {
	defer func(set string) { version = set }(version)
	version = "v9.9.9"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		root := newRootCommand()
		var out, errOut bytes.Buffer
		root.SetArgs(args)
		root.SetOut(&out)
		root.SetErr(&errOut)
		if err := root.ExecuteContext(context.Background()); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if out.String() != "mcpconform v9.9.9\n" || errOut.Len() != 0 {
			t.Errorf("%v: stdout %q, stderr %q; want the version on stdout alone", args, out.String(), errOut.String())
		}
	}
}
