package selftest_test

import (
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/check"
)

// httpsReference starts the reference target over HTTPS with a CA of its
// own, and returns it with that CA's certificate in a file and the flags
// naming its test issuer and canary.
func httpsReference(rev spec.Revision, opts ...mockserver.Option) (srv *mockserver.Server, caFile string, counterparts []string) {
	srv, caFile, counterparts, err := configuredTarget(rev, GinkgoT().TempDir(), opts...)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(srv.Close)
	return srv, caFile, counterparts
}

var _ = Describe("HTTPS targets", func() {
	DescribeTable("pass every check when the CA is trusted with --ca-file",
		func(rev spec.Revision) {
			srv, caFile, counterparts := httpsReference(rev)
			session, dir := mcpconform(append([]string{"server", "--url", srv.MCPURL(), "--spec-version", string(rev), "--ca-file", caFile}, counterparts...)...)
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
			res := readResults(dir)
			Expect(res.Summary.Total).To(BeNumerically(">", 0))
			Expect(res.Summary.Passed).To(Equal(res.Summary.Total))
		},
		revisionEntries(),
	)

	// A certificate the suite cannot verify means it cannot tell the target
	// from anyone else: nothing is judged (exit 3, like a target it cannot
	// connect to) and the reason names the certificate, so a baseline can
	// never turn it into a pass.
	It("judges nothing and names the certificate when its CA is not trusted", func() {
		srv, _, _ := httpsReference(spec.Latest)
		session, dir := mcpconform("server", "--url", srv.MCPURL())
		Expect(session.ExitCode()).To(Equal(reports.ExitUnreachable))
		Expect(session.Err).To(gbytes.Say(`mcpconform: target unreachable: tls: failed to verify certificate: ` +
			`x509: certificate signed by unknown authority \(trust the CA that issued it with --ca-file\)`))
		Expect(session.Out).To(gbytes.Say("verdict: NOT RUN: .*certificate"))
		res := readResults(dir)
		Expect(res.Error).To(ContainSubstring("certificate signed by unknown authority"))
		for _, c := range res.Checks {
			Expect(c.Status).To(Equal(reports.StatusSkipped), c.ID)
			Expect(c.Message).To(HavePrefix(check.NotRunPrefix), c.ID)
		}
	})

	It("passes with --insecure-skip-tls-verify, warning that the target was not authenticated", func() {
		srv, _, counterparts := httpsReference(spec.Latest)
		session, dir := mcpconform(append([]string{"server", "--url", srv.MCPURL(), "--insecure-skip-tls-verify"}, counterparts...)...)
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		Expect(session.Err).To(gbytes.Say("WARNING: --insecure-skip-tls-verify: TLS certificates are NOT verified"))
		res := readResults(dir)
		Expect(res.Summary.Passed).To(Equal(res.Summary.Total))
	})

	It("refuses --ca-file with no certificate in it", func() {
		notPEM := filepath.Join(GinkgoT().TempDir(), "ca.pem")
		Expect(os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644)).To(Succeed())
		session, _ := mcpconform("server", "--url", "https://127.0.0.1:1/mcp", "--ca-file", notPEM)
		Expect(session.ExitCode()).To(Equal(reports.ExitUsage))
		Expect(session.Err).To(gbytes.Say("holds no PEM certificate"))
	})

	Describe("the standalone reference with --tls", func() {
		mcpURL := regexp.MustCompile(`(?m)^\s*mcp\s+(https://127\.0\.0\.1:\d+/mcp)\s*$`)

		serve := func(args ...string) (*gexec.Session, string) {
			session := start(append([]string{"mock", "server", "--tls"}, args...)...)
			Eventually(session.Out).WithTimeout(10 * time.Second).Should(gbytes.Say("serving until interrupted"))
			DeferCleanup(func() {
				session.Signal(syscall.SIGINT)
				Eventually(session).WithTimeout(10 * time.Second).Should(gexec.Exit(reports.ExitOK))
			})
			match := mcpURL.FindStringSubmatch(string(session.Out.Contents()))
			Expect(match).NotTo(BeNil(), "no https MCP URL in:\n%s", session.Out.Contents())
			return session, match[1]
		}

		It("writes its CA with --ca-out for another process to trust", func() {
			caFile := filepath.Join(GinkgoT().TempDir(), "ca.pem")
			_, url := serve("--ca-out", caFile)
			session, _ := mcpconform("server", "--url", url, "--ca-file", caFile)
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		})

		It("prints its CA without --ca-out, for a process whose files nothing else can read", func() {
			mock, url := serve()
			pem := regexp.MustCompile(`(?s)-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n`).Find(mock.Out.Contents())
			Expect(pem).NotTo(BeNil())
			caFile := filepath.Join(GinkgoT().TempDir(), "ca.pem")
			Expect(os.WriteFile(caFile, pem, 0o644)).To(Succeed())
			session, _ := mcpconform("server", "--url", url, "--ca-file", caFile)
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		})

		It("refuses --ca-out without --tls", func() {
			session := start("mock", "server", "--ca-out", filepath.Join(GinkgoT().TempDir(), "ca.pem"))
			Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
			Expect(session.Err).To(gbytes.Say("--ca-out needs --tls"))
		})
	})
})

func revisionEntries() []TableEntry {
	var entries []TableEntry
	for _, rev := range spec.Revisions {
		entries = append(entries, Entry(string(rev), rev))
	}
	return entries
}
