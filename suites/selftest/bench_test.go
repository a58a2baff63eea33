package selftest_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

// BenchmarkServerRun measures a whole server-mode run, process start to
// reports written, against the in-process reference target, per revision:
//
//	go test ./suites/selftest -run '^$' -bench ServerRun
func BenchmarkServerRun(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "mcpconform")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/mcpconform/mcpconform/cmd/mcpconform").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for _, rev := range spec.Revisions {
		b.Run(string(rev), func(b *testing.B) {
			srv, err := mockserver.Run(context.Background(), mockserver.WithRevision(rev),
				mockserver.WithInitialAccessToken(initialAccessToken))
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			reportDir := b.TempDir()
			for b.Loop() {
				cmd := exec.Command(bin, "server", "--url", srv.MCPURL(), "--spec-version", string(rev), "--report-dir", reportDir)
				cmd.Env = append(os.Environ(), "MCPCONFORM_INITIAL_ACCESS_TOKEN="+initialAccessToken)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("run: %v\n%s", err, out)
				}
			}
		})
	}
}
