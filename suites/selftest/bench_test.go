package selftest_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/run"
)

// BenchmarkServerRun measures the README's main job per revision, process
// start to reports written: `mcpconform server` starting the bundled
// reference in-process (over HTTPS, trusting an in-run test issuer, pointed
// at an in-run canary) and running every check against it:
//
//	go test ./suites/selftest -run '^$' -bench ServerRun
func BenchmarkServerRun(b *testing.B) { benchmarkMode(b, "server") }

// BenchmarkClientRun measures the client battery per revision, process
// start to reports written: `mcpconform client` running the bundled
// reference client once per scenario, scenarios side by side; it reports
// scenarios a second besides the time:
//
//	go test ./suites/selftest -run '^$' -bench ClientRun
func BenchmarkClientRun(b *testing.B) { benchmarkMode(b, "client") }

func benchmarkMode(b *testing.B, mode string) {
	bin := filepath.Join(b.TempDir(), "mcpconform")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/mcpconform/mcpconform/cmd/mcpconform").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for _, rev := range spec.Revisions {
		b.Run(string(rev), func(b *testing.B) {
			reportDir := b.TempDir()
			for b.Loop() {
				if out, err := exec.Command(bin, mode, "--spec-version", string(rev), "--report-dir", reportDir).CombinedOutput(); err != nil {
					b.Fatalf("run: %v\n%s", err, out)
				}
			}
			if mode == "client" {
				scenarios := len(run.ClientScenarios(catalog.Filter{Revision: rev, Roles: []spec.Role{spec.RoleClient}}))
				b.ReportMetric(float64(scenarios*b.N)/b.Elapsed().Seconds(), "scenarios/s")
			}
		})
	}
}
