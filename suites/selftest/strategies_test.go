package selftest_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/internal/testenv"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
)

// The authorization strategies and fallbacks, each run against the
// reference in the mode it is made for: every check passes, or is not run
// for the reason the configuration gives, and none fails.

const (
	strategyUser     = "selftest-user"
	strategyPassword = "selftest password"
	// suiteRedirectURI is where the suite's clients are sent back, and where
	// the command and manual strategies listen.
	suiteRedirectURI = "http://127.0.0.1:28418/mcpconform/callback"
	// strategyRunTimeout bounds one run; the browser takes a second or two
	// per authorization on a busy machine.
	strategyRunTimeout = 5 * time.Minute
)

var strategyCredentials = []string{"MCPCONFORM_USERNAME=" + strategyUser, "MCPCONFORM_PASSWORD=" + strategyPassword}

// strategyTarget is a reference configured as the fault trials' are: over
// HTTPS, trusting the test issuer, pointed at a canary.
type strategyTarget struct {
	*mockserver.Server
	rev          spec.Revision
	caFile       string
	counterparts []string
}

func newStrategyTarget(rev spec.Revision, opts ...mockserver.Option) strategyTarget {
	GinkgoHelper()
	srv, caFile, counterparts := httpsReference(rev, opts...)
	return strategyTarget{Server: srv, rev: rev, caFile: caFile, counterparts: counterparts}
}

// trusting is an HTTP client that trusts the target's CA, as a person's
// browser would be set up to.
func (t strategyTarget) trusting() *http.Client {
	GinkgoHelper()
	roots := x509.NewCertPool()
	Expect(roots.AppendCertsFromPEM(t.CACertPEM())).To(BeTrue())
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
}

// run starts the binary against the target, trusting its CA unless args
// say otherwise, with args and env added.
func (t strategyTarget) run(env []string, args ...string) (*gexec.Session, string) {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	if !slices.Contains(args, "--insecure-skip-tls-verify") {
		args = append(args, "--ca-file", t.caFile)
	}
	args = append(append([]string{"server", "--url", t.MCPURL(), "--spec-version", string(t.rev), "--report-dir", dir},
		t.counterparts...), args...)
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append(os.Environ(), "MCPCONFORM_INITIAL_ACCESS_TOKEN="+initialAccessToken), env...)
	session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { session.Kill().Wait(5 * time.Second) })
	return session, dir
}

// expectAllPassed checks a finished run in which every check passed.
func expectAllPassed(session *gexec.Session, dir string, rev spec.Revision) *reports.Results {
	GinkgoHelper()
	Eventually(session).WithTimeout(strategyRunTimeout).Should(gexec.Exit())
	res := readResults(dir)
	Expect(problems(res)).To(BeEmpty())
	Expect(byStatus(res)[reports.StatusPassed]).To(HaveLen(len(catalog.Filter{Revision: rev, Roles: []spec.Role{spec.RoleAS, spec.RoleRS}}.Select())))
	Expect(session.ExitCode()).To(Equal(reports.ExitOK))
	return res
}

// problems are the failed checks and the skipped ones, with their reasons.
func problems(res *reports.Results) map[string]string {
	out := map[string]string{}
	for _, c := range res.Checks {
		if c.Status != reports.StatusPassed {
			out[c.ID] = string(c.Status) + ": " + c.Message
		}
	}
	return out
}

var _ = Describe("The authorization strategies", func() {
	rev := spec.Latest

	It("signs in and consents through HTML forms with --authorize form", func() {
		login := mockserver.WithLoginForm(mockserver.LoginForm{Username: strategyUser, Password: strategyPassword})
		session, dir := newStrategyTarget(rev, login).run(strategyCredentials, "--authorize", "form")
		res := expectAllPassed(session, dir, rev)
		Expect(evidenceURLs(res, "AS-FLOW-001")).To(ContainElement(HaveSuffix("/authorize/login")))
		raw, err := os.ReadFile(dir + "/" + reports.ResultsFile)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).NotTo(ContainSubstring(strategyPassword))
	})

	It("gets through login pages that only JavaScript builds with --authorize browser", func() {
		testenv.RequireBrowser()
		login := mockserver.WithLoginForm(mockserver.LoginForm{Username: strategyUser, Password: strategyPassword, Scripted: true})
		// Chromium trusts its own store, which knows no test CA.
		session, dir := newStrategyTarget(rev, login).run(strategyCredentials, "--authorize", "browser", "--insecure-skip-tls-verify")
		expectAllPassed(session, dir, rev)
	})

	It("hands each authorization to a command and takes the redirect on the loopback redirect URI", func() {
		if _, err := exec.LookPath("curl"); err != nil {
			Fail("the command strategy's test drives curl, which is not installed")
		}
		target := newStrategyTarget(rev)
		session, dir := target.run(nil, "--authorize", "command", "--authorize-command", `curl -sL --cacert `+target.caFile+` -o /dev/null "$1"`)
		expectAllPassed(session, dir, rev)
	})

	It("asks a person once with --authorize manual and does not run what needs more", func() {
		target := newStrategyTarget(rev)
		session, dir := target.run(nil, "--authorize", "manual", "--authorize-timeout", "1m")
		prompt := regexp.MustCompile(`mcpconform: open this URL in a browser .*: (https://\S+)\n`)
		Eventually(session.Err).WithTimeout(30 * time.Second).Should(gbytes.Say(prompt.String()))
		opened := prompt.FindStringSubmatch(string(session.Err.Contents()))[1]
		resp, err := target.trusting().Get(opened) // the person's browser, sent back to the listening suite
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Eventually(session).WithTimeout(strategyRunTimeout).Should(gexec.Exit(reports.ExitOK))
		Expect(strings.Count(string(session.Err.Contents()), "open this URL")).To(Equal(1), "asked once")

		res := readResults(dir)
		statuses := byStatus(res)
		Expect(statuses[reports.StatusFailed]).To(BeEmpty())
		Expect(statuses[reports.StatusPassed]).To(ContainElements("AS-FLOW-001", "RS-TOK-001", "RS-TOK-002", "AS-TOKEN-001"),
			"the one authorization serves the standard flow and what builds on it")
		Expect(statuses[reports.StatusSkipped]).To(ContainElements("AS-PKCE-001", "AS-CODE-001", "AS-REDIR-003"))
		for _, c := range res.Checks {
			if c.Status == reports.StatusSkipped {
				Expect(c.Message).To(Equal(check.NotRunPrefix+"the manual strategy authorizes once"), c.ID)
			}
		}
	})
})

var _ = DescribeTable("refuses an authorization setting it cannot follow with exit 2",
	func(env []string, want string, args ...string) {
		cmd := exec.Command(binary, append([]string{"server"}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
		Expect(session.Err).To(gbytes.Say(regexp.QuoteMeta(want)))
	},
	Entry("an unknown strategy", nil, `unknown authorization strategy "magic"`, "--authorize", "magic"),
	Entry("command without a command", nil, "needs a command to run", "--authorize", "command"),
	Entry("a command for another strategy", nil, "an authorization command needs the command strategy", "--authorize-command", "true"),
	Entry("a client method without a client", nil, "--client-auth and MCPCONFORM_CLIENT_SECRET need --client-id", "--client-auth", "none"),
	Entry("a secret method without the secret", nil, "needs the client secret in MCPCONFORM_CLIENT_SECRET",
		"--client-id", "c", "--client-auth", "client_secret_post"),
	Entry("a secret for a public client", []string{"MCPCONFORM_CLIENT_SECRET=s3cret"}, "--client-auth none takes no secret",
		"--client-id", "c", "--client-auth", "none"),
	Entry("an allowed origin that is no web origin", nil, `--allow-origin "ftp://idp.example" is not an http or https URL`,
		"--allow-origin", "ftp://idp.example"),
)

var _ = It("reads the authorization settings from the target config", func() {
	config := filepath.Join(GinkgoT().TempDir(), "mcpconform.yaml")
	Expect(os.WriteFile(config, []byte("authorize: command\nauthorize-command: \"true\"\nclient-auth: none\n"), 0o644)).To(Succeed())
	session := start("server", "--config", config)
	Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
	Expect(session.Err).To(gbytes.Say("--client-auth and MCPCONFORM_CLIENT_SECRET need --client-id"))
})

var _ = Describe("The target config's fallbacks", func() {
	rev := spec.Latest

	It("uses a client registered in advance where the authorization server registers none", func() {
		const clientID = "selftest-preregistered"
		target := newStrategyTarget(rev, mockserver.WithoutDynamicRegistration(),
			mockserver.WithClient(mockserver.Client{ID: clientID, RedirectURIs: []string{suiteRedirectURI}}))
		session, dir := target.run(nil, "--client-id", clientID)
		Eventually(session).WithTimeout(strategyRunTimeout).Should(gexec.Exit(reports.ExitOK))
		res := readResults(dir)
		statuses := byStatus(res)
		Expect(statuses[reports.StatusFailed]).To(BeEmpty())
		Expect(statuses[reports.StatusPassed]).To(ContainElements("AS-FLOW-001", "AS-PKCE-001", "AS-CODE-001", "RS-TOK-002"))
		Expect(statuses[reports.StatusSkipped]).To(ContainElements("AS-DCR-001", "AS-DCR-002", "AS-CLIENT-001"))
		for _, c := range res.Checks {
			if c.Status == reports.StatusSkipped {
				Expect(c.Message).To(HavePrefix(check.PrerequisitePrefix), c.ID)
				Expect(c.Message).To(ContainSubstring("no registration endpoint"), c.ID)
			}
		}
	})

	It("takes a 2025-03-26 server without metadata or registration as one that registers no clients", func() {
		// Without metadata a 2025-03-26 client assumes /register, and
		// registration is a SHOULD there: its absence fails no check.
		const clientID = "selftest-preregistered"
		legacy := spec.Rev20250326
		target := newStrategyTarget(legacy, mockserver.WithFaults(fault.ASMetadataMissing), mockserver.WithoutDynamicRegistration(),
			mockserver.WithClient(mockserver.Client{ID: clientID, RedirectURIs: []string{suiteRedirectURI}}))
		session, dir := target.run(nil, "--client-id", clientID)
		Eventually(session).WithTimeout(strategyRunTimeout).Should(gexec.Exit(reports.ExitFailures))
		res := readResults(dir)
		statuses := byStatus(res)
		Expect(statuses[reports.StatusFailed]).To(ConsistOf("AS-LEG-001"), "only the missing metadata, a SHOULD there")
		Expect(statuses[reports.StatusPassed]).To(ContainElements("AS-FLOW-001", "AS-PKCE-001", "RS-TOK-002"), "the configured client stands in")
		Expect(statuses[reports.StatusSkipped]).To(ContainElements("AS-DCR-001", "AS-DCR-002", "AS-CLIENT-001"))
		for _, c := range res.Checks {
			if strings.HasPrefix(c.ID, "AS-DCR-") {
				Expect(c.Message).To(And(HavePrefix(check.PrerequisitePrefix), ContainSubstring("no registration endpoint"),
					ContainSubstring("/register answered 404")), c.ID)
			}
		}
	})

	It("presents the configured access token to the resource server where no flow can run", func() {
		// auto cannot sign in: only the configured token gets the checks going.
		target := newStrategyTarget(rev, mockserver.WithLoginForm(mockserver.LoginForm{Username: strategyUser, Password: strategyPassword}))
		token, err := target.MintAccessToken()
		Expect(err).NotTo(HaveOccurred())
		session, dir := target.run([]string{"MCPCONFORM_ACCESS_TOKEN=" + token}, "--role", "rs")
		Eventually(session).WithTimeout(strategyRunTimeout).Should(gexec.Exit(reports.ExitOK))
		res := readResults(dir)
		statuses := byStatus(res)
		Expect(statuses[reports.StatusFailed]).To(BeEmpty())
		Expect(statuses[reports.StatusPassed]).To(ContainElements("RS-TOK-002", "RS-TOK-003", "RS-TOK-007", "RS-TOK-009"),
			"the forgeries are made from the configured token")
		Expect(statuses[reports.StatusSkipped]).To(ContainElements("RS-TOK-001", "RS-TOK-010"),
			"what needs a flow of the suite's own is not run")
		for _, c := range res.Checks {
			if c.Status == reports.StatusSkipped {
				Expect(c.Message).To(ContainSubstring("asks a person to sign in or consent"), c.ID)
			}
		}
	})
})

// evidenceURLs are the URLs a check's evidence shows.
func evidenceURLs(res *reports.Results, id string) []string {
	var urls []string
	for _, c := range res.Checks {
		if c.ID == id {
			for _, ex := range c.Evidence {
				urls = append(urls, ex.URL)
			}
		}
	}
	return urls
}
