package selftest_test

import (
	"context"
	"os"
	"os/exec"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
)

// hostileTimeout keeps hang faults short; the reference answers in microseconds.
const hostileTimeout = "500ms"

// initialAccessToken protects the reference's registration endpoint; every
// run is given it, as a user configures a protected target.
const initialAccessToken = "selftest-initial-access-token"

// reference starts the bundled reference target for one revision, its
// registration protected by initialAccessToken, with options such as faults.
func reference(rev spec.Revision, opts ...mockserver.Option) *mockserver.Server {
	opts = append(opts, mockserver.WithRevision(rev), mockserver.WithInitialAccessToken(initialAccessToken))
	srv, err := mockserver.Run(context.Background(), opts...)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(srv.Close)
	return srv
}

// mcpconform runs the binary to completion and returns its session and report dir.
func mcpconform(args ...string) (*gexec.Session, string) {
	dir := GinkgoT().TempDir()
	cmd := exec.Command(binary, append(args, "--report-dir", dir)...)
	cmd.Env = append(os.Environ(), "MCPCONFORM_INITIAL_ACCESS_TOKEN="+initialAccessToken)
	session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(session).WithTimeout(60 * time.Second).Should(gexec.Exit())
	return session, dir
}

func readResults(dir string) *reports.Results {
	GinkgoHelper()
	res, err := readResultsFile(dir)
	Expect(err).NotTo(HaveOccurred())
	return res
}

// byStatus groups check IDs by status.
func byStatus(res *reports.Results) map[reports.Status][]string {
	out := map[reports.Status][]string{}
	for _, c := range res.Checks {
		out[c.Status] = append(out[c.Status], c.ID)
	}
	return out
}
