package main

import (
	"runtime/debug"
)

// toolVersion is the version set by -ldflags, or else the one the Go
// toolchain recorded in the binary.
func toolVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return develVersion
	}
	return buildVersion(info)
}

// develVersion is what the toolchain reports for a build it could not
// version, as `go test` and a build outside a checkout are.
const develVersion = "(devel)"

// buildVersion is the module version of `go install ...@version`, or of a
// build in a checkout (Go 1.24 on: a pseudo-version, "+dirty" when the tree
// had changes); else the VCS revision, if recorded.
func buildVersion(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != develVersion {
		return v
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return develVersion
	}
	v := develVersion + " " + revision
	if modified == "true" {
		v += "+dirty"
	}
	return v
}
