package selftest_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/fixtures"
	"github.com/mcpconform/mcpconform/internal/schema"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/internal/testenv"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/mockserver/testissuer"
	"github.com/mcpconform/mcpconform/reports"
)

// hostileTimeout keeps hang faults short; the reference answers in
// microseconds, but a two-core machine running three trials at once beside
// the other packages' tests (go test runs packages in parallel) can stall
// a TLS handshake for more than a second.
const hostileTimeout = "3s"

// initialAccessToken protects the reference's registration endpoint; every
// run is given it, as a user configures a protected target.
const initialAccessToken = "selftest-initial-access-token"

// trustedIssuer is the test issuer every reference trusts, served by this
// process for the whole suite; runs are pointed at it with trustArgs, as a
// user points them at `mcpconform mock as`.
var trustedIssuer struct {
	*testissuer.Issuer
	keyFile string
}

func serveTrustedIssuer() {
	GinkgoHelper()
	trustedIssuer.keyFile = filepath.Join(GinkgoT().TempDir(), "issuer.pem")
	key, err := testissuer.LoadKey(trustedIssuer.keyFile)
	Expect(err).NotTo(HaveOccurred())
	trustedIssuer.Issuer, err = testissuer.New("http://127.0.0.1:0", key)
	Expect(err).NotTo(HaveOccurred())
	Expect(trustedIssuer.Serve(context.Background())).To(Succeed())
	DeferCleanup(trustedIssuer.Close)
}

// trusting makes a reference trust the suite's test issuer.
func trusting() mockserver.Option {
	return mockserver.WithTrustedIssuer(trustedIssuer.URL, trustedIssuer.JWKSURL())
}

// trustArgs are the server command's flags naming that issuer.
func trustArgs() []string {
	return []string{"--trusted-issuer", trustedIssuer.URL, "--trusted-issuer-key", trustedIssuer.keyFile}
}

// upstream points a reference at a canary upstream API on a free port and
// returns the flags that make the run serve the canary there.
func upstream() (mockserver.Option, []string, error) {
	port, err := testenv.PickPort()
	if err != nil {
		return nil, nil, err
	}
	canaryURL := "http://127.0.0.1:" + strconv.Itoa(port)
	return mockserver.WithUpstream(canaryURL), []string{"--canary", canaryURL, "--canary-tool", "fetch_upstream"}, nil
}

// configuredTarget starts the reference over HTTPS for rev, trusting the
// test issuer and pointed at a canary, with opts such as faults, as a user
// sets up a target. It writes the reference's CA to a file in dir and
// returns the flags naming the issuer, the canary and the authorization
// server's other resource. It needs no Gomega,
// so trials can run it side by side.
func configuredTarget(rev spec.Revision, dir string, opts ...mockserver.Option) (srv *mockserver.Server, caFile string, counterparts []string, err error) {
	pointed, canaryArgs, err := upstream()
	if err != nil {
		return nil, "", nil, err
	}
	opts = append(opts, pointed, trusting(), mockserver.WithTLS(), mockserver.WithRevision(rev),
		mockserver.WithInitialAccessToken(initialAccessToken))
	if srv, err = mockserver.Run(context.Background(), opts...); err != nil {
		return nil, "", nil, fmt.Errorf("start the reference: %w", err)
	}
	caFile = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, srv.CACertPEM(), 0o644); err != nil {
		srv.Close()
		return nil, "", nil, err
	}
	counterparts = append(append(trustArgs(), canaryArgs...), "--other-resource", srv.OtherResourceURL())
	return srv, caFile, counterparts, nil
}

// reference starts the bundled reference target for one revision, its
// registration protected by initialAccessToken, trusting the test issuer,
// with options such as faults.
func reference(rev spec.Revision, opts ...mockserver.Option) *mockserver.Server {
	opts = append(opts, mockserver.WithRevision(rev), mockserver.WithInitialAccessToken(initialAccessToken), trusting())
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

// validReports reads results.json and results.sarif of dir, each valid
// against its schema in fixtures, by file name.
func validReports(dir string) map[string][]byte {
	GinkgoHelper()
	raw := map[string][]byte{}
	for file, name := range map[string]string{reports.ResultsFile: fixtures.SchemaResults, reports.SARIFFile: fixtures.SchemaSARIF} {
		doc, err := os.ReadFile(filepath.Join(dir, file))
		Expect(err).NotTo(HaveOccurred())
		Expect(schema.Validate(name, doc)).To(Succeed(), file)
		raw[file] = doc
	}
	return raw
}

// byStatus groups check IDs by status.
func byStatus(res *reports.Results) map[reports.Status][]string {
	out := map[reports.Status][]string{}
	for _, c := range res.Checks {
		out[c.Status] = append(out[c.Status], c.ID)
	}
	return out
}
