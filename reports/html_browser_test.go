package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/testenv"
)

// The report as a browser lays it out and runs its script: what a reader
// sees, not what the markup says.
var _ = Describe("report.html in Chromium", Ordered, func() {
	var tab context.Context

	BeforeAll(func() {
		testenv.RequireBrowser()
		r := fixtureResults()
		// What a hostile or merely verbose target makes long: one URL, one message.
		long := "https://as.example.com/" + strings.Repeat("very-long-path-segment/", 20) + "?state=" + strings.Repeat("x", 300)
		r.Checks[1].Evidence[0].URL = long
		r.Checks[1].Message = "the issuer " + long + " is not the one looked up"
		r.Checks[1].Area, r.Checks[0].Area = "as-metadata", "as-metadata"
		path := filepath.Join(GinkgoT().TempDir(), "report.html")
		Expect(os.WriteFile(path, []byte(renderHTML(r)), 0o644)).To(Succeed())

		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.WindowSize(400, 800))
		if os.Geteuid() == 0 {
			opts = append(opts, chromedp.NoSandbox) // Chromium refuses root with its sandbox
		}
		allocator, stopAllocator := chromedp.NewExecAllocator(context.Background(), opts...)
		DeferCleanup(stopAllocator)
		var stopTab context.CancelFunc
		tab, stopTab = chromedp.NewContext(allocator)
		DeferCleanup(stopTab)
		// Started on the tab's own context: one derived from it would end the browser with it.
		Expect(chromedp.Do(tab)).To(Succeed())
		do(tab, chromedp.EmulateViewport(400, 800), chromedp.Navigate("file://"+path), chromedp.WaitVisible(chromedp.CSS("#filters")))
	})

	// visible lists the check IDs of the rows (or articles) laid out on screen.
	visible := func(selector string) []string {
		GinkgoHelper()
		return evaluate[[]string](tab, `Array.from(document.querySelectorAll("`+selector+`"))
			.filter(e => e.getClientRects().length > 0).map(e => e.querySelector("code").textContent)`)
	}
	rows := func() []string { return visible("#checks tr.check-row") }
	articles := func() []string { return visible("#evidence article") }
	reset := func() {
		GinkgoHelper()
		evaluate[bool](tab, `(() => { const f = document.getElementById("filters"); f.reset();
			return f.dispatchEvent(new Event("change")); })()`)
	}
	changed := func() {
		GinkgoHelper()
		evaluate[bool](tab, `document.getElementById("filters").dispatchEvent(new Event("change"))`)
	}
	all := []string{"AS-META-002", "RS-AUTH-003", "RS-AUTH-002", "RS-AUTH-001", "AS-META-001"}

	It("does not scroll sideways at 400 px, long URLs and messages included", func() {
		widths := evaluate[struct{ Viewport, Page, Widest float64 }](tab, `({
			Viewport: document.documentElement.clientWidth,
			Page: document.documentElement.scrollWidth,
			Widest: Math.max(...Array.from(document.querySelectorAll("body *")).filter(e => e.getClientRects().length > 0)
				.map(e => e.getBoundingClientRect().right)),
		})`)
		Expect(widths.Viewport).To(BeNumerically("<=", 400))
		Expect(widths.Page).To(BeNumerically("<=", widths.Viewport), "the page scrolls sideways")
		Expect(widths.Widest).To(BeNumerically("<=", widths.Viewport+1), "an element sticks out of the page")
	})

	It("shows every check, failures first, with the count", func() {
		reset()
		Expect(rows()).To(Equal(all))
		Expect(articles()).To(Equal(all))
		Expect(evaluate[string](tab, `document.getElementById("shown").textContent`)).To(Equal("5 of 5 checks shown"))
	})

	It("filters the table and the evidence by status", func() {
		reset()
		do(tab, chromedp.SetValue(chromedp.CSS(`#filters select[name=status]`), "failed"))
		changed()
		Expect(rows()).To(Equal([]string{"AS-META-002"}))
		Expect(articles()).To(Equal([]string{"AS-META-002"}))
		Expect(evaluate[int](tab, `Array.from(document.querySelectorAll("#checks tr.group")).filter(e => e.getClientRects().length > 0).length`)).
			To(Equal(1), "a group with no row shown is hidden")
	})

	It("searches as the reader types", func() {
		reset()
		do(tab, chromedp.SendKeys(chromedp.CSS(`#filters input[name=q]`), "EXPIRED"))
		Expect(rows()).To(Equal([]string{"RS-AUTH-003"}))
		Expect(articles()).To(Equal([]string{"RS-AUTH-003"}))
		reset()
		do(tab, chromedp.SendKeys(chromedp.CSS(`#filters input[name=q]`), "looked up"))
		Expect(rows()).To(Equal([]string{"AS-META-002"}), "the failure message is searched too")
	})

	It("filters by severity", func() {
		reset()
		do(tab, chromedp.Click(chromedp.CSS(`#filters input[name=severity][value=critical]`)),
			chromedp.Click(chromedp.CSS(`#filters input[name=severity][value=high]`)))
		Expect(rows()).To(Equal([]string{"RS-AUTH-002", "RS-AUTH-001"}))
		Expect(articles()).To(Equal([]string{"RS-AUTH-002", "RS-AUTH-001"}))
	})
})

// do runs steps in the tab, bounded so a broken page fails fast.
func do(tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	Expect(chromedp.Do(ctx, steps...)).To(Succeed())
}

// evaluate is the value of a script in the tab.
func evaluate[T any](tab context.Context, script string) T {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script))
	Expect(err).NotTo(HaveOccurred())
	return v
}
