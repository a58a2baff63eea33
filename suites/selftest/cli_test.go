package selftest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
)

// start runs the binary without waiting for it to end, given the initial
// access token as every run is.
func start(args ...string) *gexec.Session {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "MCPCONFORM_INITIAL_ACCESS_TOKEN="+initialAccessToken)
	session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { session.Kill().Wait(5 * time.Second) })
	return session
}

// noS256Baseline expects the failures of a reference with as.metadata.no-s256:
// no S256 advertised, and the plain it advertises instead refused.
const noS256Baseline = "AS-META-006  S256 lands next release\nAS-PKCE-008  plain is refused until then\n"

var _ = Describe("The command line", func() {
	It("lists the catalogue as JSON with every field filled", func() {
		session := start("list", "--json")
		Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitOK))
		var checks []map[string]any
		Expect(json.Unmarshal(session.Out.Contents(), &checks)).To(Succeed())
		Expect(len(checks)).To(BeNumerically(">=", 15))
		for _, c := range checks {
			for _, field := range []string{"id", "title", "role", "level", "severity", "revisions", "refs", "faults"} {
				Expect(c).To(HaveKeyWithValue(field, Not(BeEmpty())), "check %v field %s", c["id"], field)
			}
		}
	})

	It("filters the list the way a run does", func() {
		session := start("list", "--spec-version", "2025-03-26", "--role", "rs")
		Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitOK))
		Expect(session.Out).To(gbytes.Say("RS-AUTH-001"))
		Expect(string(session.Out.Contents())).NotTo(ContainSubstring("RS-PRM-001"))
	})

	DescribeTable("refuses a bad command line with exit 2",
		func(args ...string) {
			session := start(args...)
			Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
			Expect(session.Err).To(gbytes.Say("mcpconform: "))
		},
		Entry("a filter that selects nothing", "list", "--spec-version", "2025-03-26", "--focus", "RS-PRM-001"),
		Entry("a run filter that selects nothing", "server", "--spec-version", "2025-03-26", "--focus", "RS-PRM-001"),
		Entry("an unknown revision", "server", "--spec-version", "2024-11-05"),
		Entry("an unknown check ID", "server", "--skip", "XX-NOPE-001"),
		Entry("an unknown flag", "server", "--frobnicate"),
		Entry("a URL that is not absolute", "server", "--url", "example.com/mcp"),
		Entry("a missing baseline file", "server", "--baseline", "/nonexistent/baseline.txt"),
		Entry("a --fail-on that is neither a level nor a severity", "server", "--fail-on", "must,severe"),
		Entry("a --fail-on for report", "report", "--from", "results.json", "--fail-on", "fatal"),
	)

	DescribeTable("refuses before anything starts",
		func(message, baseline string, args ...string) {
			if baseline != "" {
				path := filepath.Join(GinkgoT().TempDir(), "baseline.txt")
				Expect(os.WriteFile(path, []byte(baseline), 0o644)).To(Succeed())
				args = append(args, "--baseline", path)
			}
			session := start(args...)
			Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
			Expect(session.Err).To(gbytes.Say(message))
			Expect(string(session.Out.Contents())).NotTo(ContainSubstring("testing"), "no target or client was started")
		},
		Entry("a server selection of no checks", `the filters select no checks at spec 2026-07-28 \(--role rs --level MAY\)`, "",
			"server", "--spec-version", "2026-07-28", "--role", "rs", "--level", "MAY"),
		Entry("a client selection of no checks", `the filters select no checks at spec 2026-07-28 \(--focus AS-META-001\)`, "",
			"client", "--spec-version", "2026-07-28", "--focus", "AS-META-001"),
		Entry("a baseline naming no check", `baseline names unknown checks: AS-NOPE-001`, "AS-NOPE-001  typo\n", "server"),
		Entry("a baseline ID in the wrong case", `as-meta-006 \(check IDs are case-sensitive: AS-META-006\)`, "as-meta-006  lower case\n", "client"),
	)

	It("exits 3 within seconds for an unreachable target and still writes the reports", func() {
		dir := GinkgoT().TempDir()
		began := time.Now()
		session := start("server", "--url", "http://127.0.0.1:1/mcp", "--report-dir", dir)
		Eventually(session).WithTimeout(10 * time.Second).Should(gexec.Exit(reports.ExitUnreachable))
		Expect(time.Since(began)).To(BeNumerically("<", 5*time.Second))
		Expect(session.Err).To(gbytes.Say(`mcpconform: target unreachable`))
		res := readResults(dir)
		Expect(res.Error).To(ContainSubstring("connection refused"))
		for _, f := range []string{reports.JUnitFile, reports.HTMLFile} {
			Expect(filepath.Join(dir, f)).To(BeARegularFile())
		}
	})

	It("exits 3 when the MCP server answers but its authorization server is down, failing nothing", func() {
		mcp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin := "http://" + r.Host
			if r.URL.Path == "/.well-known/oauth-protected-resource/mcp" {
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(map[string]any{"resource": origin + "/mcp", "authorization_servers": []string{"http://127.0.0.1:1/oauth"}})
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="`+origin+`/.well-known/oauth-protected-resource/mcp"`)
			w.WriteHeader(http.StatusUnauthorized)
		}))
		DeferCleanup(mcp.Close)
		dir := GinkgoT().TempDir()
		session := start("server", "--url", mcp.URL+"/mcp", "--report-dir", dir)
		Eventually(session).WithTimeout(10 * time.Second).Should(gexec.Exit(reports.ExitUnreachable))
		Expect(session.Err).To(gbytes.Say(`mcpconform: the MCP server answers but its authorization server is unreachable: .*http://127.0.0.1:1/oauth`))
		res := readResults(dir)
		Expect(res.Summary.Failed).To(BeZero())
		for _, c := range res.Checks {
			Expect(c.Message).To(Equal(check.NotRunPrefix+"authorization server unreachable"), c.ID)
		}
	})

	It("prints its version on stdout, as version and --version", func() {
		for _, args := range [][]string{{"version"}, {"--version"}} {
			session := start(args...)
			Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitOK))
			Expect(string(session.Out.Contents())).To(MatchRegexp(`^mcpconform \S.*\n$`), "%v", args)
			Expect(session.Err.Contents()).To(BeEmpty(), "%v", args)
		}
	})

	Describe("the reports of a real run", func() {
		It("validate against the shipped schemas and record the run's configuration and the tool version (server)", func() {
			gaps := filepath.Join(GinkgoT().TempDir(), "gaps.txt")
			Expect(os.WriteFile(gaps, []byte("AS-META-006  S256 lands next release\n"), 0o644)).To(Succeed())
			url := reference(spec.Latest, mockserver.WithFaults(fault.ASMetadataNoS256)).MCPURL()
			session, dir := mcpconform("server", "--url", url, "--role", "as", "--skip", "AS-DCR-001", "--baseline", gaps,
				"--timeout", "7s", "--run-timeout", "2m", "--fail-on", "must", "--strict")
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures), "--strict: the plain http TLS check is skipped")
			raw := validReports(dir)
			res := readResults(dir)
			Expect(res.Config).To(Equal(reports.Config{Roles: []string{"as"}, Skip: []string{"AS-DCR-001"}, Baseline: gaps,
				Strategy: "auto", RequestTimeoutMS: 7000, RunTimeoutMS: 120000}))
			Expect(res.Gate).To(Equal(reports.Gate{FailOn: []string{"must"}, Strict: true}))
			version := strings.TrimSpace(strings.TrimPrefix(string(start("version").Wait(30*time.Second).Out.Contents()), "mcpconform "))
			Expect(res.Tool.Version).To(Equal(version))

			var sarif struct {
				Runs []struct {
					Results []struct {
						RuleID       string `json:"ruleId"`
						Suppressions []any  `json:"suppressions"`
					} `json:"results"`
				} `json:"runs"`
			}
			Expect(json.Unmarshal(raw[reports.SARIFFile], &sarif)).To(Succeed())
			Expect(sarif.Runs[0].Results).To(ConsistOf(
				And(HaveField("RuleID", "AS-META-006"), HaveField("Suppressions", HaveLen(1))), // as the baseline expects
				And(HaveField("RuleID", "AS-PKCE-008"), HaveField("Suppressions", BeEmpty())),  // the fault's other check
			))
		})

		It("validate against the shipped schemas (client)", func() {
			session, dir := mcpconform("client", "--focus", "CL-FLOW-001", "--time-limit", "20s", "--parallel", "1")
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
			validReports(dir)
			Expect(readResults(dir).Config).To(Equal(reports.Config{Roles: []string{"client"}, Focus: []string{"CL-FLOW-001"},
				TimeLimitMS: 20000, Parallel: 1}))
		})
	})

	It("tests the bundled reference target when no URL is given", func() {
		session, dir := mcpconform("server")
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		Expect(session.Out).To(gbytes.Say("bundled reference target"))
		res := readResults(dir)
		Expect(res.Summary.Passed).To(Equal(res.Summary.Total))
		Expect(res.SpecVersion).To(Equal(string(spec.Latest)))
	})

	It("skips what a plain loopback target without a test issuer or canary cannot show, saying how to enable it", func() {
		url := reference(spec.Latest).MCPURL()
		session, dir := mcpconform("server", "--url", url)
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		reasons := map[string]string{}
		for _, c := range readResults(dir).Checks {
			Expect(c.Status).NotTo(Equal(reports.StatusFailed), c.ID)
			if c.Status == reports.StatusSkipped {
				reasons[c.ID] = c.Message
			}
		}
		want := map[string]string{"RS-PASS-001": "--canary http://127.0.0.1:9401 --canary-tool TOOL",
			"AS-TLS-001": "plain http on loopback", "RS-TLS-001": "plain http on loopback",
			"RS-TOK-014": "--other-resource URL"}
		for _, c := range catalog.All() {
			if strings.HasPrefix(c.ID, "RS-TRUST-") && c.AppliesTo(spec.Latest) {
				want[c.ID] = "--trusted-issuer http://127.0.0.1:9400"
			}
		}
		Expect(reasons).To(HaveLen(len(want)))
		for id, hint := range want {
			prefix := check.NotRunPrefix
			if strings.Contains(id, "-TLS-") {
				prefix = check.NotApplicablePrefix
			}
			Expect(reasons).To(HaveKeyWithValue(id, And(HavePrefix(prefix), ContainSubstring(hint))), id)
		}
	})

	Describe("the tool the scope checks call", func() {
		scopeChecks := []string{"RS-TOK-010", "RS-TOK-011", "RS-TOK-012"}

		It("is the one the user names, with its arguments", func() {
			session, dir := mcpconform("server", "--focus", strings.Join(scopeChecks, ","), "--step-up-tool", "write_note",
				"--step-up-scope", "mcp:write", "--step-up-arguments", `{"text":"named"}`)
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
			Expect(byStatus(readResults(dir))[reports.StatusPassed]).To(ConsistOf(scopeChecks))
		})

		It("is reported not run, saying how to name one, when the server lacks it", func() {
			_, dir := mcpconform("server", "--focus", strings.Join(scopeChecks, ","), "--step-up-tool", "other_tool",
				"--step-up-scope", "mcp:admin")
			for _, c := range readResults(dir).Checks {
				Expect(c.Status).To(Equal(reports.StatusSkipped), c.ID)
				Expect(c.Message).To(ContainSubstring("lists no other_tool tool"), c.ID)
				Expect(c.Message).To(ContainSubstring("--step-up-tool"), c.ID)
			}
		})

		DescribeTable("refuses half a description",
			func(args ...string) {
				session, _ := mcpconform(append([]string{"server"}, args...)...)
				Expect(session.ExitCode()).To(Equal(reports.ExitUsage))
			},
			Entry("a tool without its scope", "--step-up-tool", "write_note"),
			Entry("arguments that are no JSON object", "--step-up-tool", "t", "--step-up-scope", "s", "--step-up-arguments", "[1]"),
		)
	})

	Describe("a baseline of expected failures", func() {
		var url string
		BeforeEach(func() {
			url = reference(spec.Latest, mockserver.WithFaults(fault.ASMetadataNoS256)).MCPURL()
		})

		baseline := func(content string) string {
			path := filepath.Join(GinkgoT().TempDir(), "baseline.txt")
			Expect(os.WriteFile(path, []byte(content), 0o644)).To(Succeed())
			return path
		}

		It("passes the gate when the only failures are expected", func() {
			session, dir := mcpconform("server", "--url", url, "--baseline", baseline(noS256Baseline))
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
			Expect(byStatus(readResults(dir))[reports.StatusExpectedFailure]).To(ConsistOf("AS-META-006", "AS-PKCE-008"))
			Expect(session.Out).To(gbytes.Say(`XFAIL \[ *\d+/\d+\] AS-META-006 +advertises S256.*\n +expected failure \(baseline: S256 lands next release\): `))
			Expect(string(session.Out.Contents())).NotTo(ContainSubstring("failures ("))
			Expect(session.Out).To(gbytes.Say(`verdict: PASS\n`))
		})

		It("ends an unbaselined run with its failures and their reasons", func() {
			session, _ := mcpconform("server", "--url", url, "--focus", "AS-META-001,AS-META-006")
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
			Expect(session.Out).To(gbytes.Say(`failures \(1\):\n  FAIL  AS-META-006  \S.*S256`))
			Expect(session.Out).To(gbytes.Say(`verdict: FAIL \(1 check fails\)`))
			console := string(session.Out.Contents())
			Expect(console).To(MatchRegexp(`(?m)^FAIL  \[\d/2\] AS-META-006  advertises S256 in code_challenge_methods_supported\n {25}\S`),
				"a counter, aligned columns, the reason under the title")
			Expect(console).NotTo(ContainSubstring("\x1b"), "no colour when the output is not a terminal")
			Expect(console).NotTo(MatchRegexp(`Expected\n|<[a-z.*\[\]]+( \|[^>]*)?>:`), "no Gomega dump")
		})

		It("re-judges an earlier baseline's results from scratch", func() {
			_, dir := mcpconform("server", "--url", url, "--focus", "AS-META-001,AS-META-006,RS-PRM-001",
				"--baseline", baseline("AS-META-006  S256 lands next release\nRS-PRM-001  was broken\n"))
			earlier := filepath.Join(dir, reports.ResultsFile)
			Expect(byStatus(readResults(dir))[reports.StatusUnexpectedPass]).To(ConsistOf("RS-PRM-001"))

			session, gated := mcpconform("report", "--from", earlier, "--baseline", baseline("AS-META-001  unrelated\n"))
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
			statuses := byStatus(readResults(gated))
			Expect(statuses[reports.StatusFailed]).To(ConsistOf("AS-META-006"), "no longer expected")
			Expect(statuses[reports.StatusPassed]).To(ConsistOf("RS-PRM-001"), "no longer listed")
			Expect(statuses[reports.StatusUnexpectedPass]).To(ConsistOf("AS-META-001"))
			Expect(session.Out).To(gbytes.Say(`XPASS AS-META-001 +passed, but the baseline expects it to fail; remove AS-META-001 from the baseline`))

			session, _ = mcpconform("report", "--from", earlier, "--baseline", baseline("AS-META-006  S256 lands next release\n"))
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		})

		It("cannot pass a tampered results.json whose checks fail", func() {
			_, dir := mcpconform("server", "--url", url, "--focus", "AS-META-001,AS-META-006")
			path := filepath.Join(dir, reports.ResultsFile)
			raw, err := os.ReadFile(path)
			Expect(err).NotTo(HaveOccurred())
			var doc map[string]any
			Expect(json.Unmarshal(raw, &doc)).To(Succeed())
			Expect(doc).To(HaveKeyWithValue("verdict", HaveKeyWithValue("outcome", "FAIL")))
			doc["summary"] = map[string]any{"total": 2, "passed": 2}
			doc["verdict"] = map[string]any{"outcome": "PASS", "exitCode": 0}
			raw, err = json.Marshal(doc)
			Expect(err).NotTo(HaveOccurred())
			Expect(os.WriteFile(path, raw, 0o644)).To(Succeed())

			session, gated := mcpconform("report", "--from", path)
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
			Expect(session.Out).To(gbytes.Say(`2 checks: 1 passed, 1 failed`))
			Expect(session.Out).To(gbytes.Say(`verdict: FAIL`))
			res := readResults(gated)
			Expect(res.Summary.Failed).To(Equal(1))
			page, err := os.ReadFile(filepath.Join(gated, reports.HTMLFile))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(page)).To(ContainSubstring(`<p class="verdict-word">FAIL</p>`))
		})

		It("gates an earlier run's results later", func() {
			_, dir := mcpconform("server", "--url", url)
			session, gated := mcpconform("report", "--from", filepath.Join(dir, reports.ResultsFile),
				"--baseline", baseline(noS256Baseline))
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
			Expect(byStatus(readResults(gated))[reports.StatusExpectedFailure]).To(ConsistOf("AS-META-006", "AS-PKCE-008"))
		})

		It("fails the gate when a baseline entry now passes", func() {
			session, dir := mcpconform("server", "--url", url,
				"--baseline", baseline("AS-META-006  S256 lands next release\nRS-PRM-001  was broken\n"))
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
			Expect(byStatus(readResults(dir))[reports.StatusUnexpectedPass]).To(ConsistOf("RS-PRM-001"))
		})
	})

	Describe("the gate policy", func() {
		It("fails only on what --fail-on names, still reporting every failure", func() {
			url := reference(spec.Latest, mockserver.WithFaults(fault.ASDCRWrongErrorCode)).MCPURL()
			focus := []string{"server", "--url", url, "--focus", "AS-META-001,AS-DCR-007"} // AS-DCR-007: SHOULD, low

			session, dir := mcpconform(append(focus, "--fail-on", "must,high")...)
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
			Expect(session.Out).To(gbytes.Say(`failures \(1\):\n  FAIL  AS-DCR-007  \(left out by --fail-on must,high\) `))
			Expect(session.Out).To(gbytes.Say(`verdict: PASS \(1 failure does not fail the run under --fail-on must,high\)`))
			res := readResults(dir)
			Expect(byStatus(res)[reports.StatusFailed]).To(ConsistOf("AS-DCR-007"))
			Expect(res.Gate.FailOn).To(Equal([]string{"must", "high"}))

			session, _ = mcpconform(append(focus, "--fail-on", "should")...)
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
			session, _ = mcpconform(append(focus, "--fail-on", "low")...)
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
		})

		It("fails on skipped checks under --strict, typed in the results", func() {
			url := reference(spec.Latest).MCPURL()
			focus := []string{"server", "--url", url, "--focus", "AS-META-001,AS-TLS-001"}
			session, dir := mcpconform(focus...)
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
			res := readResults(dir)
			Expect(res.Checks).To(ContainElement(And(HaveField("ID", "AS-TLS-001"), HaveField("Status", reports.StatusSkipped),
				HaveField("SkipKind", reports.SkipNotApplicable))))
			Expect(res.Summary.NotApplicable).To(Equal(1))

			session, _ = mcpconform(append(focus, "--strict")...)
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
			Expect(session.Out).To(gbytes.Say(`verdict: FAIL \(1 check was skipped \(--strict\)\)`))

			session, _ = mcpconform("report", "--from", filepath.Join(dir, reports.ResultsFile), "--strict")
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
		})
	})

	Describe("a target config file", func() {
		It("sets the flags the command line leaves alone, paths relative to the file", func() {
			url := reference(spec.Latest, mockserver.WithFaults(fault.ASMetadataNoS256)).MCPURL()
			dir := GinkgoT().TempDir()
			Expect(os.WriteFile(filepath.Join(dir, "gaps.txt"), []byte(noS256Baseline), 0o644)).To(Succeed())
			config := filepath.Join(dir, "mcpconform.yaml")
			Expect(os.WriteFile(config, []byte("url: "+url+"\nspec-version: 2025-06-18\nbaseline: gaps.txt\n"+
				"role: [as, rs]\nreport-dir: out\ntimeout: 5s\n"), 0o644)).To(Succeed())
			session := start("server", "--config", config, "--spec-version", string(spec.Latest))
			Eventually(session).WithTimeout(60 * time.Second).Should(gexec.Exit(reports.ExitOK))
			res := readResults(filepath.Join(dir, "out"))
			Expect(res.SpecVersion).To(Equal(string(spec.Latest)), "the command line wins")
			Expect(res.Target).To(Equal(url))
			Expect(byStatus(res)[reports.StatusExpectedFailure]).To(ConsistOf("AS-META-006", "AS-PKCE-008"))
		})

		It("refuses a setting that is not a flag", func() {
			config := filepath.Join(GinkgoT().TempDir(), "mcpconform.yaml")
			Expect(os.WriteFile(config, []byte("initial-access-token: s3cret\n"), 0o644)).To(Succeed())
			session := start("server", "--config", config)
			Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
			Expect(session.Err).To(gbytes.Say(`unknown setting "initial-access-token"`))
		})
	})

	It("writes the reports of an interrupted run", func() {
		srv := reference(spec.Latest, mockserver.WithFaults(fault.RSPRMHang))
		dir := GinkgoT().TempDir()
		session := start("server", "--url", srv.MCPURL(), "--timeout", "1m", "--report-dir", dir)
		Eventually(session.Out).WithTimeout(10 * time.Second).Should(gbytes.Say("testing "))
		session.Signal(syscall.SIGINT)
		Eventually(session).WithTimeout(10 * time.Second).Should(gexec.Exit(reports.ExitFailures))
		res := readResults(dir)
		Expect(res.Interrupted).To(BeTrue())
		Expect(session.Out).To(gbytes.Say("INCOMPLETE"))
	})

	It("serves the reference target standalone until interrupted", func() {
		session := start("mock", "server", "--spec-version", "2025-06-18")
		Eventually(session.Out).WithTimeout(10 * time.Second).Should(gbytes.Say("serving until interrupted"))
		Expect(string(session.Out.Contents())).To(MatchRegexp(`http://127\.0\.0\.1:\d+/mcp`))
		session.Signal(syscall.SIGINT)
		Eventually(session).WithTimeout(10 * time.Second).Should(gexec.Exit(reports.ExitOK))
	})

	It("lists every fault of the reference target", func() {
		session := start("mock", "server", "--list-faults")
		Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitOK))
		for _, f := range mockserver.Faults() {
			Expect(string(session.Out.Contents())).To(ContainSubstring(string(f.Name)))
		}
	})

	It("refuses an unknown fault and says how to list the known ones", func() {
		session := start("mock", "server", "--fault", "rs.nope")
		Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
		Expect(session.Err).To(gbytes.Say(`unknown fault "rs.nope" \(mcpconform mock server --list-faults lists them\)`))
	})
})

// slowAuthorizingTarget is an MCP server and its authorization server on
// one origin that answer every request after delay, enough for the flows to
// get through: registration, an authorization approved at once, tokens, MCP
// calls with any Bearer token.
func slowAuthorizingTarget(delay time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		origin := "http://" + r.Host
		answer := func(status int, doc map[string]any) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(doc)
		}
		switch {
		case strings.HasPrefix(r.URL.Path, "/.well-known/oauth-protected-resource"):
			answer(http.StatusOK, map[string]any{"resource": origin + "/mcp", "authorization_servers": []string{origin}})
		case strings.HasPrefix(r.URL.Path, "/.well-known/"):
			answer(http.StatusOK, map[string]any{"issuer": origin, "authorization_endpoint": origin + "/authorize",
				"token_endpoint": origin + "/token", "registration_endpoint": origin + "/register",
				"response_types_supported": []string{"code"}, "code_challenge_methods_supported": []string{"S256"}})
		case r.URL.Path == "/register":
			answer(http.StatusCreated, map[string]any{"client_id": "slow-client", "client_secret": "slow-secret", "redirect_uris": []string{}})
		case r.URL.Path == "/authorize":
			q := r.URL.Query()
			http.Redirect(w, r, q.Get("redirect_uri")+"?code=slow-code&state="+q.Get("state"), http.StatusFound)
		case r.URL.Path == "/token":
			answer(http.StatusOK, map[string]any{"access_token": "slow-token", "token_type": "Bearer", "expires_in": 3600})
		case r.Header.Get("Authorization") == "":
			w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="`+origin+`/.well-known/oauth-protected-resource/mcp"`)
			w.WriteHeader(http.StatusUnauthorized)
		default:
			answer(http.StatusOK, map[string]any{"jsonrpc": "2.0", "id": 1, "result": map[string]any{}})
		}
	}
}

var _ = Describe("The command line's run deadline", func() {
	It("ends a run against a target answering every request just within --timeout, writing reports with the checks it did not reach not run", func() {
		slow := httptest.NewServer(slowAuthorizingTarget(800 * time.Millisecond))
		DeferCleanup(slow.Close)
		dir := GinkgoT().TempDir()
		began := time.Now()
		session := start("server", "--url", slow.URL+"/mcp", "--timeout", "2s", "--run-timeout", "3s", "--report-dir", dir)
		Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitFailures))
		Expect(time.Since(began)).To(BeNumerically("<", 15*time.Second), "3 s of checks, then the reports")
		Expect(session.Out).To(gbytes.Say(`verdict: INCOMPLETE \(run deadline passed\)`))
		res := readResults(dir)
		Expect(res.Interrupted).To(BeTrue())
		Expect(res.StoppedBy).To(Equal("run deadline passed"))
		Expect(res.Checks).To(HaveLen(len(catalog.Filter{Revision: spec.Latest, Roles: []spec.Role{spec.RoleAS, spec.RoleRS}}.Select())))
		Expect(res.Checks).To(ContainElement(HaveField("Message", check.NotRunPrefix+"run deadline passed")))
		for _, f := range []string{reports.JUnitFile, reports.HTMLFile} {
			Expect(filepath.Join(dir, f)).To(BeARegularFile())
		}
	})
})
