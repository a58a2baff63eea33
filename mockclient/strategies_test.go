package mockclient_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/testenv"
	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

var _ = Describe("The form strategy's reading of a page", func() {
	const page = "https://as.example/login?step=1"

	It("signs in with the text field before the password field, keeping hidden fields", func() {
		kind, method, target, body, err := mockclient.SubmitPage(`<form method=post action=/session>
			<input type=hidden name=csrf value=t0ken><input name=search><input type=email name=login>
			<input type=password name=pw><button name=go value=deny-not>Cancel</button><input type=submit name=go value=Sign-in></form>`,
			page, "ada", "s3cret")
		Expect(err).NotTo(HaveOccurred())
		Expect(kind).To(Equal("login"))
		Expect(method).To(Equal("POST"))
		Expect(target).To(Equal("https://as.example/session"))
		Expect(url.ParseQuery(body)).To(Equal(url.Values{"csrf": {"t0ken"}, "search": {""}, "login": {"ada"}, "pw": {"s3cret"}, "go": {"Sign-in"}}))
	})

	It("approves a consent form with the button that does not decline", func() {
		kind, _, _, body, err := mockclient.SubmitPage(`<form method=post><input type=hidden name=request value="a=b">
			<button name=decision value=deny>Deny</button><button name=decision value=approve>Allow</button></form>`, page, "", "")
		Expect(err).NotTo(HaveOccurred())
		Expect(kind).To(Equal("consent"))
		Expect(url.ParseQuery(body)).To(Equal(url.Values{"request": {"a=b"}, "decision": {"approve"}}))
	})

	It("fills the username of a username step and sends a GET form as its query", func() {
		kind, method, target, _, err := mockclient.SubmitPage(`<base href="https://idp.example/a/">
			<form action="next?old=1#top"><input name=user><input type=submit value=Next></form>`, page, "ada", "")
		Expect(err).NotTo(HaveOccurred())
		Expect(kind).To(Equal("identifier"))
		Expect(method).To(Equal("GET"))
		Expect(target).To(Equal("https://idp.example/a/next?user=ada"))
	})

	DescribeTable("finds nothing to submit",
		func(html string) {
			kind, _, _, _, err := mockclient.SubmitPage(html, page, "ada", "s3cret")
			Expect(err).NotTo(HaveOccurred())
			Expect(kind).To(Equal("none"))
		},
		Entry("an error page", `<h1>400</h1><p>unknown client</p>`),
		Entry("a form that only declines", `<form><button value=cancel>Cancel</button></form>`),
		Entry("a search form of two fields", `<form><input name=q><input name=r></form>`),
	)

	It("says which credentials a login form needs", func() {
		_, _, _, _, err := mockclient.SubmitPage(`<form><input name=u><input type=password name=p></form>`, page, "", "")
		Expect(err).To(MatchError(ContainSubstring("set MCPCONFORM_USERNAME and MCPCONFORM_PASSWORD")))
	})

	It("refuses a form it cannot send", func() {
		_, _, _, _, err := mockclient.SubmitPage(`<form method=post enctype=multipart/form-data><input type=password name=p></form>`, page, "ada", "s3cret")
		Expect(err).To(MatchError(ContainSubstring("multipart/form-data")))
	})
})

// strategyTarget is a reference authorization server that knows one public
// client with redirectURI.
type strategyTarget struct {
	*mockserver.Server
	redirectURI string
}

const (
	strategyClient = "strategy-client"
	strategyUser   = "ada"
	strategyPass   = "correct horse"
)

func startStrategyTarget(opts ...mockserver.Option) strategyTarget {
	GinkgoHelper()
	redirectURI := "http://127.0.0.1:" + strconv.Itoa(testenv.FreePort()) + "/callback"
	opts = append(opts, mockserver.WithClient(mockserver.Client{ID: strategyClient, RedirectURIs: []string{redirectURI}}))
	s, err := mockserver.Run(context.Background(), opts...)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(s.Close)
	return strategyTarget{Server: s, redirectURI: redirectURI}
}

// authorizationURL is a valid authorization request of the client.
func (t strategyTarget) authorizationURL(clientID string) string {
	GinkgoHelper()
	target, err := mockclient.AuthorizationURL(t.IssuerURL()+"/authorize", url.Values{
		"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {t.redirectURI}, "state": {"st"},
		"code_challenge": {mockclient.S256(mockclient.NewVerifier())}, "code_challenge_method": {"S256"},
	})
	Expect(err).NotTo(HaveOccurred())
	return target
}

func strategyClientWith(cfg mockclient.StrategyConfig) *mockclient.Client {
	GinkgoHelper()
	strategy, err := mockclient.NewStrategy(cfg)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { Expect(mockclient.CloseStrategy(strategy)).To(Succeed()) })
	redactor := &evidence.Redactor{}
	redactor.Add(strategyPass)
	return mockclient.New(mockclient.Options{Timeout: 2 * time.Second, Redactor: redactor, Authorize: strategy})
}

// expectCode checks an authorization that ended in the callback with a code.
func expectCode(result *mockclient.AuthorizationResult, err error) {
	GinkgoHelper()
	Expect(err).NotTo(HaveOccurred())
	code, err := result.Code()
	Expect(err).NotTo(HaveOccurred())
	Expect(code).NotTo(BeEmpty())
	Expect(result.Params().Get("state")).To(Equal("st"))
}

var _ = Describe("The form strategy", func() {
	var target strategyTarget
	BeforeEach(func() {
		target = startStrategyTarget(mockserver.WithLoginForm(mockserver.LoginForm{Username: strategyUser, Password: strategyPass}))
	})

	It("signs in, approves and stops at the redirect URI, the password redacted", func(ctx SpecContext) {
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyForm, Username: strategyUser, Password: strategyPass})
		result, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		expectCode(result, err)
		var posted []string
		for _, ex := range result.Evidence() {
			Expect(ex.RequestBody + ex.URL).NotTo(ContainSubstring(url.QueryEscape(strategyPass)))
			if ex.Method == http.MethodPost {
				posted = append(posted, ex.URL)
			}
		}
		Expect(posted).To(ConsistOf(HaveSuffix("/authorize/login"), HaveSuffix("/authorize/consent")))
	})

	It("says so when the login form comes back after signing in", func(ctx SpecContext) {
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyForm, Username: strategyUser, Password: "wrong"})
		_, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		Expect(err).To(MatchError(ContainSubstring("came back after signing in")))
	})

	It("says which credentials are missing", func(ctx SpecContext) {
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyForm})
		_, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		Expect(err).To(MatchError(ContainSubstring("MCPCONFORM_PASSWORD")))
	})

	It("is where auto stops: a page asking a person leaves the checks not run", func(ctx SpecContext) {
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyAuto})
		_, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		var notRun *mockclient.NotRunError
		Expect(errors.As(err, &notRun)).To(BeTrue())
		Expect(notRun.Reason).To(ContainSubstring("choose --authorize form, browser, command or manual"))
	})

	It("ends on a page without a form, as auto does", func(ctx SpecContext) {
		for _, name := range []string{mockclient.StrategyForm, mockclient.StrategyAuto} {
			c := strategyClientWith(mockclient.StrategyConfig{Name: name, Username: strategyUser, Password: strategyPass})
			result, err := c.Authorize(ctx, target.authorizationURL("no-such-client"), target.redirectURI)
			Expect(err).NotTo(HaveOccurred())
			Expect(result.Callback).To(BeNil())
			Expect(result.Response.Status).To(Equal(http.StatusBadRequest))
		}
	})

	It("cannot get through a page whose form only a script builds", func(ctx SpecContext) {
		scripted := startStrategyTarget(mockserver.WithLoginForm(mockserver.LoginForm{Username: strategyUser, Password: strategyPass, Scripted: true}))
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyForm, Username: strategyUser, Password: strategyPass})
		result, err := c.Authorize(ctx, scripted.authorizationURL(strategyClient), scripted.redirectURI)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Callback).To(BeNil())
		Expect(result.Response.Status).To(Equal(http.StatusOK))
	})
})

var _ = Describe("The auto strategy", func() {
	It("keeps the cookies an authorization server sets on the way", func(ctx SpecContext) {
		target := startStrategyTarget(mockserver.WithInteractionCookie())
		for _, name := range []string{mockclient.StrategyAuto, mockclient.StrategyForm} {
			c := strategyClientWith(mockclient.StrategyConfig{Name: name, Username: strategyUser, Password: strategyPass})
			result, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
			expectCode(result, err)
			Expect(result.Evidence()).To(HaveLen(2), "%s: the hop that sets the cookie, then the approval", name)
		}
	})

	It("keeps no cookie from one authorization to the next", func(ctx SpecContext) {
		target := startStrategyTarget(mockserver.WithInteractionCookie())
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyAuto})
		for range 2 {
			result, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
			expectCode(result, err)
			Expect(result.Evidence()[0].RequestHeaders).NotTo(HaveKey("Cookie"))
		}
	})
})

var _ = Describe("The command strategy", func() {
	var target strategyTarget
	BeforeEach(func() {
		if _, err := exec.LookPath("curl"); err != nil {
			Fail("the command strategy's tests drive curl, which is not installed")
		}
		target = startStrategyTarget()
	})

	authorize := func(ctx context.Context, command string, clientID string) (*mockclient.AuthorizationResult, error) {
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyCommand, Command: command, Timeout: 3 * time.Second})
		return c.Authorize(ctx, target.authorizationURL(clientID), target.redirectURI)
	}

	It("receives the redirect the command's user agent follows to the loopback redirect URI", func(ctx SpecContext) {
		result, err := authorize(ctx, `curl -sfL -o /dev/null "$1"`, strategyClient)
		expectCode(result, err)
		Expect(result.Evidence()).To(HaveLen(1))
		Expect(result.Evidence()[0].URL).NotTo(ContainSubstring(result.Params().Get("code")))
	})

	It("takes the redirect URL the command prints", func(ctx SpecContext) {
		result, err := authorize(ctx, `echo signing in; curl -s -o /dev/null -w '%{redirect_url}\n' "$MCPCONFORM_AUTHORIZATION_URL"`, strategyClient)
		expectCode(result, err)
	})

	It("ends without a callback when the command ends without one", func(ctx SpecContext) {
		result, err := authorize(ctx, `curl -s -o /dev/null "$1"`, "no-such-client")
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Callback).To(BeNil())
	})

	It("fails with the end of the command's error output", func(ctx SpecContext) {
		_, err := authorize(ctx, `echo "no browser here" >&2; exit 3`, strategyClient)
		Expect(err).To(MatchError(And(ContainSubstring("exit status 3"), ContainSubstring("no browser here"))))
	})

	It("stops a command that takes too long", func(ctx SpecContext) {
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyCommand, Command: "sleep 10", Timeout: 300 * time.Millisecond})
		began := time.Now()
		_, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		Expect(err).To(MatchError(ContainSubstring("within 300ms")))
		Expect(time.Since(began)).To(BeNumerically("<", 3*time.Second))
	})
})

// promptLog collects the manual strategy's prompts.
type promptLog struct {
	mu   sync.Mutex
	text strings.Builder
}

func (p *promptLog) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.text.Write(b)
}

func (p *promptLog) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.text.String()
}

var promptedURL = regexp.MustCompile(`(?m): (http://\S+)$`)

var _ = Describe("The manual strategy", func() {
	It("asks once, waits for the person's browser, and runs no later authorization", func(ctx SpecContext) {
		target := startStrategyTarget()
		prompt := &promptLog{}
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyManual, Prompt: prompt, Timeout: 5 * time.Second})
		Expect(c.AuthorizationLimited()).To(BeTrue())
		go func() {
			defer GinkgoRecover()
			var opened string
			Eventually(func() []string { return promptedURL.FindStringSubmatch(prompt.String()) }).
				WithTimeout(3 * time.Second).Should(HaveLen(2))
			opened = promptedURL.FindStringSubmatch(prompt.String())[1]
			resp, err := http.Get(opened) // the person's browser follows the redirect
			Expect(err).NotTo(HaveOccurred())
			resp.Body.Close()
		}()
		result, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		expectCode(result, err)
		Expect(strings.Count(prompt.String(), "\n")).To(Equal(1), "one line")

		_, err = c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		var notRun *mockclient.NotRunError
		Expect(errors.As(err, &notRun)).To(BeTrue())
		Expect(notRun.Reason).To(Equal("the manual strategy authorizes once"))
	})
})

var _ = Describe("The browser strategy", func() {
	It("gets through forms only a script builds, keeps the session and ends on error pages", func(ctx SpecContext) {
		testenv.RequireBrowser()
		target := startStrategyTarget(mockserver.WithLoginForm(mockserver.LoginForm{Username: strategyUser, Password: strategyPass, Scripted: true}))
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyBrowser, Username: strategyUser, Password: strategyPass,
			Timeout: 20 * time.Second})

		first, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		expectCode(first, err)
		Expect(first.Evidence()).To(ContainElement(HaveField("URL", HaveSuffix("/authorize/login"))))
		for _, ex := range first.Evidence() {
			Expect(ex.URL).NotTo(ContainSubstring(first.Params().Get("code")))
		}

		second, err := c.Authorize(ctx, target.authorizationURL(strategyClient), target.redirectURI)
		expectCode(second, err)
		Expect(second.Evidence()).NotTo(ContainElement(HaveField("URL", HaveSuffix("/authorize/login"))), "signed in already")

		refused, err := c.Authorize(ctx, target.authorizationURL("no-such-client"), target.redirectURI)
		Expect(err).NotTo(HaveOccurred())
		Expect(refused.Callback).To(BeNil())
		Expect(refused.Response.Status).To(Equal(http.StatusBadRequest))
	}, SpecTimeout(2*time.Minute))
})
