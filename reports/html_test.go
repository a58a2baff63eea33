package reports_test

import (
	"bytes"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/reports"
)

func renderHTML(r *reports.Results) string {
	var buf bytes.Buffer
	Expect(reports.WriteHTML(&buf, r)).To(Succeed())
	return buf.String()
}

var _ = Describe("report.html", func() {
	var page string

	BeforeEach(func() {
		page = renderHTML(fixtureResults())
	})

	It("shows the verdict, then the table, then the evidence", func() {
		verdict := strings.Index(page, `id="verdict"`)
		table := strings.Index(page, `<table>`)
		evidence := strings.Index(page, `id="check-AS-META-001"`)
		Expect(verdict).To(BeNumerically(">", 0))
		Expect(table).To(BeNumerically(">", verdict))
		Expect(evidence).To(BeNumerically(">", table))
	})

	It("states the verdict and the run", func() {
		Expect(page).To(ContainSubstring(`<p class="verdict-word">FAIL</p>`))
		Expect(page).To(MatchRegexp(`<strong>1</strong> failed`))
		Expect(page).To(MatchRegexp(`<strong>1</strong> unexpected-pass`))
		Expect(page).To(MatchRegexp(`<strong>5</strong> total`))
		Expect(page).To(ContainSubstring("https://mcp.example.com/mcp"))
		Expect(page).To(ContainSubstring("2025-11-25"))
		Expect(page).To(ContainSubstring("2026-08-01 12:00:00 UTC"))
		Expect(page).To(ContainSubstring("2.5s"))
	})

	It("passes a clean run", func() {
		r := fixtureResults()
		r.Checks = r.Checks[:1]
		r.Summarize()
		Expect(renderHTML(r)).To(ContainSubstring(`<p class="verdict-word">PASS</p>`))
	})

	It("shows a run error and an interruption in the verdict", func() {
		r := fixtureResults()
		r.Checks = nil
		r.Summarize()
		r.Error = "target unreachable"
		r.Interrupted = true
		page := renderHTML(r)
		Expect(page).To(ContainSubstring(`<p class="verdict-word">NOT RUN</p>`))
		header := page[:strings.Index(page, "</header>")]
		Expect(header).To(ContainSubstring("target unreachable"))
		Expect(header).To(ContainSubstring("Run interrupted"))
		Expect(page).To(ContainSubstring("No checks ran."))
	})

	It("lists failures first, grouped by area, worst severity first", func() {
		r := fixtureResults()
		r.Checks[0].Area, r.Checks[1].Area = "as-metadata", "as-metadata"
		r.Checks[2].Area, r.Checks[3].Area, r.Checks[4].Area = "challenge", "challenge", "token"
		extra := r.Checks[1]
		extra.ID, extra.Severity, extra.Evidence = "AS-META-009", "medium", nil
		r.Checks = append(r.Checks, extra)
		page := renderHTML(r)
		order := regexp.MustCompile(`<tr class="check-row" data-status="[^"]*"[^>]*>\s*<td class="nowrap"><a href="#check-([A-Z0-9-]+)"`).FindAllStringSubmatch(page, -1)
		var ids []string
		for _, m := range order {
			ids = append(ids, m[1])
		}
		Expect(ids).To(Equal([]string{"AS-META-002", "AS-META-009", "RS-AUTH-003", "RS-AUTH-002", "RS-AUTH-001", "AS-META-001"}))
		Expect(page).To(ContainSubstring(`as-metadata <span class="muted">· failing (2)</span>`))
		Expect(page).To(ContainSubstring(`token <span class="muted">· failing (1)</span>`))
	})

	It("shows the failure message and the remediation in the table", func() {
		r := fixtureResults()
		r.Checks[1].Remediation = "Publish the issuer the metadata was looked up for."
		page := renderHTML(r)
		table := page[strings.Index(page, "<table>"):strings.Index(page, "</table>")]
		Expect(table).To(ContainSubstring(`<div class="row-message muted">expected issuer &#34;https://as.example.com&#34;`))
		Expect(table).To(ContainSubstring(`<strong>Fix:</strong> Publish the issuer the metadata was looked up for.`))
		Expect(page[strings.Index(page, `id="check-AS-META-002"`):]).To(ContainSubstring(`<strong>How to fix:</strong> Publish the issuer`))
	})

	It("marks the decisive exchange and collapses the setup other checks share", func() {
		r := fixtureResults()
		setup := r.Checks[1].Evidence[0]
		probe := setup
		probe.Method, probe.URL, probe.Time = "POST", "https://as.example.com/token", fixtureStart.Add(time.Second)
		r.Checks[1].Evidence = []evidence.Exchange{setup, probe}
		r.Checks[0].Evidence = []evidence.Exchange{setup}
		page := renderHTML(r)
		failed := page[strings.Index(page, `id="check-AS-META-002"`):]
		failed = failed[:strings.Index(failed, "</article>")]
		Expect(failed).To(MatchRegexp(`<details class="setup">\s*<summary>Shared setup: 1 exchange other checks recorded too</summary>\s*<details class="exchange">\s*<summary><code>GET https://as.example.com/.well-known/oauth-authorization-server`))
		Expect(failed).To(MatchRegexp(`<details class="exchange decisive" open>\s*<summary><span class="decisive-mark"[^>]*>decisive</span> <code>POST https://as.example.com/token</code>`))

		passed := page[strings.Index(page, `id="check-AS-META-001"`):]
		passed = passed[:strings.Index(passed, "</article>")]
		Expect(passed).NotTo(ContainSubstring(`class="setup"`), "a check's only exchange is its decisive one")
		Expect(passed).To(ContainSubstring(`<details class="exchange decisive">`), "closed: the check passed")
	})

	It("links each table row to its evidence and its requirements", func() {
		Expect(page).To(ContainSubstring(`<a href="#check-AS-META-002">`))
		Expect(page).To(ContainSubstring(`id="check-AS-META-002"`))
		Expect(page).To(ContainSubstring(`<a href="https://www.rfc-editor.org/rfc/rfc8414#section-3.3" rel="noreferrer">RFC 8414 §3.3</a>`))
		Expect(page).To(ContainSubstring(`data-status="failed" data-role="as" data-level="MUST" data-severity="critical"`))
	})

	It("shows each exchange with its message, headers, body and curl line", func() {
		evidence := page[strings.Index(page, `id="check-AS-META-002"`):]
		Expect(evidence).To(ContainSubstring("expected issuer &#34;https://as.example.com&#34;\ngot &#34;https://evil.example.com&#34;"))
		Expect(evidence).To(ContainSubstring("GET https://as.example.com/.well-known/oauth-authorization-server\nAccept: application/json\nAuthorization: Bearer [REDACTED]"))
		Expect(evidence).To(ContainSubstring("HTTP 200\nContent-Type: text/html"))
		Expect(evidence).To(ContainSubstring("curl -sS -i -H &#39;Accept: application/json&#39;"))
		Expect(page).To(ContainSubstring("dial tcp: connection refused"))
		Expect(page).To(ContainSubstring("No response."))
	})

	It("loads nothing from elsewhere: the only outside links are requirements", func() {
		Expect(page).NotTo(ContainSubstring("<script src"))
		Expect(page).NotTo(ContainSubstring("<link"))
		Expect(page).NotTo(MatchRegexp(`(?i)\ssrc=`))
		Expect(page).NotTo(ContainSubstring("@import"))
		Expect(page).NotTo(ContainSubstring("url("))
		Expect(page).NotTo(ContainSubstring("http://"))

		requirements := map[string]bool{}
		for _, c := range fixtureResults().Checks {
			for _, ref := range c.Refs {
				requirements[ref.URL] = true
			}
		}
		for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
			href := m[1]
			Expect(strings.HasPrefix(href, "#") || requirements[href]).To(BeTrue(), "unexpected link "+href)
		}
	})

	It("shows control characters from the target as escapes", func() {
		r := fixtureResults()
		r.Error = "\x1b]0;pwned\x07"
		r.Checks[1].Message = "error=\x1b[2J\x1b[31mPASS"
		r.Checks[1].Evidence[0].ResponseBody = "\x9b31m\r"
		page := renderHTML(r)
		Expect(page).NotTo(ContainSubstring("\x1b"))
		Expect(page).NotTo(ContainSubstring("\u009b"))
		Expect(page).NotTo(ContainSubstring("\r"))
		Expect(page).To(ContainSubstring(`error=\x1b[2J\x1b[31mPASS`))
		Expect(page).To(ContainSubstring(`\x1b]0;pwned\x07`))
		Expect(page).To(ContainSubstring(`\x9b31m\x0d`))
	})

	It("escapes hostile content", func() {
		Expect(page).NotTo(ContainSubstring(hostileBody))
		Expect(page).To(ContainSubstring("&lt;script&gt;alert(1)&lt;/script&gt;"))

		r := fixtureResults()
		r.Target = hostileBody
		r.Checks[0].ID = `"><img onerror=x>`
		r.Checks[0].Title = hostileBody
		r.Checks[0].Refs = []reports.Ref{{Label: hostileBody, URL: "javascript:alert(1)"}}
		page := renderHTML(r)
		Expect(page).NotTo(ContainSubstring(hostileBody))
		Expect(page).NotTo(ContainSubstring("<img"))
		Expect(page).NotTo(ContainSubstring("javascript:alert"))
	})
})
