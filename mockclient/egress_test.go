package mockclient_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/testenv"
	"github.com/mcpconform/mcpconform/mockclient"
)

// metadataService is where a hostile target sends the suite to read cloud
// credentials into its reports.
const metadataService = "http://169.254.169.254/latest/meta-data/"

// errNoEgress stops a connection the guard let through: tests connect to
// loopback only.
var errNoEgress = errors.New("test: no connection off loopback")

// connections records the addresses a client is about to connect to, and
// lets through only loopback ones.
type connections struct {
	mu   sync.Mutex
	seen []string
}

func watchConnections(c *mockclient.Client) *connections {
	w := &connections{}
	mockclient.OnConnect(c, func(address string) error {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.seen = append(w.seen, address)
		if !strings.HasPrefix(address, "127.0.0.1:") && !strings.HasPrefix(address, "[::1]:") {
			return errNoEgress
		}
		return nil
	})
	return w
}

func (w *connections) addresses() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.seen...)
}

// userAgent is a client authorizing with strategy, signing in as the
// strategy tests do.
func userAgent(strategy string) *mockclient.Client {
	GinkgoHelper()
	if strategy == mockclient.StrategyBrowser {
		testenv.RequireBrowser()
	}
	return strategyClientWith(mockclient.StrategyConfig{Name: strategy, Username: strategyUser, Password: strategyPass, Timeout: 20 * time.Second})
}

// redirectingAuthorizationServer answers every authorization request with a
// redirect to location.
func redirectingAuthorizationServer(location string) string {
	srv := serve(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, location, http.StatusFound)
	})
	return srv.URL + "/authorize?client_id=c&state=st"
}

const egressRedirectURI = "http://127.0.0.1:1/callback"

var _ = Describe("The client's egress", func() {
	DescribeTable("does not follow an authorization server to an origin the target never named",
		func(ctx SpecContext, strategy string) {
			var visited atomic.Bool
			elsewhere := serve(func(w http.ResponseWriter, r *http.Request) { visited.Store(true) })
			c := userAgent(strategy)
			_, err := c.Authorize(ctx, redirectingAuthorizationServer(elsewhere.URL+"/collect"), egressRedirectURI)
			var notRun *mockclient.NotRunError
			Expect(errors.As(err, &notRun)).To(BeTrue(), "%v", err)
			Expect(notRun.Reason).To(ContainSubstring("redirected to " + elsewhere.URL))
			Expect(notRun.Reason).To(ContainSubstring("an origin neither the MCP server"))
			Expect(notRun.Reason).To(ContainSubstring("--allow-origin allows it"))
			Expect(visited.Load()).To(BeFalse())
		},
		Entry("auto", mockclient.StrategyAuto),
		Entry("form", mockclient.StrategyForm),
		Entry("browser", mockclient.StrategyBrowser, SpecTimeout(time.Minute)),
	)

	It("follows the authorization server to an origin its metadata names", func(ctx SpecContext) {
		login := serve(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, egressRedirectURI+"?code=the-code&state=st", http.StatusFound)
		})
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyAuto})
		c.NameOrigins(login.URL + "/login")
		result, err := c.Authorize(ctx, redirectingAuthorizationServer(login.URL+"/login"), egressRedirectURI)
		Expect(err).NotTo(HaveOccurred())
		Expect(result.Params().Get("code")).To(Equal("the-code"))
	})

	It("refuses at dial time to connect to a cloud metadata address, even one the target named", func(ctx SpecContext) {
		c := strategyClientWith(mockclient.StrategyConfig{Name: mockclient.StrategyAuto})
		dialled := watchConnections(c)
		c.NameOrigins(metadataService)
		result, err := c.Authorize(ctx, redirectingAuthorizationServer(metadataService), egressRedirectURI)
		var notRun *mockclient.NotRunError
		Expect(errors.As(err, &notRun)).To(BeTrue(), "%v", err)
		Expect(err).To(MatchError(mockclient.ErrEgressRefused))
		Expect(notRun.Reason).To(ContainSubstring("169.254.169.254 is a link-local or cloud metadata address (--allow-private-egress allows it)"))
		Expect(result.Evidence()).To(HaveLen(2))
		Expect(result.Evidence()[1].ResponseBody).To(BeEmpty())
		Expect(dialled.addresses()).NotTo(ContainElement(HavePrefix("169.254.")))
		Expect(dialled.addresses()).To(ContainElement(HavePrefix("127.0.0.1:")), "the hook sees the connections let through")
	})

	DescribeTable("refuses link-local and metadata addresses however written",
		func(ctx SpecContext, target string) {
			c := mockclient.New(mockclient.Options{Timeout: time.Second})
			dialled := watchConnections(c)
			_, err := c.Get(ctx, target, nil)
			Expect(err).To(MatchError(mockclient.ErrEgressRefused))
			Expect(dialled.addresses()).To(BeEmpty())
		},
		Entry("IPv4 link-local", metadataService),
		Entry("IPv4-mapped IPv6", "http://[::ffff:169.254.169.254]/latest/meta-data/"),
		Entry("IPv6 link-local", "http://[fe80::1]:8080/"),
		Entry("AWS's IPv6 metadata address", "http://[fd00:ec2::254]/latest/meta-data/"),
		Entry("Alibaba Cloud's metadata address", "http://100.100.100.200/latest/meta-data/"),
	)

	It("connects to them with --allow-private-egress", func(ctx SpecContext) {
		c := mockclient.New(mockclient.Options{Timeout: time.Second, AllowPrivateEgress: true})
		dialled := watchConnections(c)
		_, err := c.Get(ctx, metadataService, nil)
		Expect(err).To(MatchError(ContainSubstring(errNoEgress.Error())), "the test hook, not the guard, stopped it")
		Expect(err).NotTo(MatchError(mockclient.ErrEgressRefused))
		Expect(dialled.addresses()).To(ConsistOf("169.254.169.254:80"))
	})

	It("keeps loopback reachable", func(ctx SpecContext) {
		srv := serve(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
		resp, err := mockclient.New(mockclient.Options{}).Get(ctx, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(resp.Body)).To(Equal("ok"))
	})

	It("sends the client secret down no redirect of the token endpoint to another origin", func(ctx SpecContext) {
		var reached []string
		var mu sync.Mutex
		elsewhere := serve(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			reached = append(reached, r.Header.Get("Authorization")+" "+string(body))
			mu.Unlock()
		})
		token := serve(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/token", http.StatusTemporaryRedirect)
		})
		redactor := &evidence.Redactor{}
		redactor.Add("the-secret")
		c := mockclient.New(mockclient.Options{Timeout: time.Second, Redactor: redactor})
		c.NameOrigins(elsewhere.URL) // named or not, the secret belongs to the token endpoint's origin
		for _, method := range []string{"client_secret_basic", "client_secret_post"} {
			answer, err := c.TokenRequest(ctx, token.URL+"/token", url.Values{"grant_type": {"client_credentials"}},
				mockclient.ClientAuth{Method: method, ID: "c", Secret: "the-secret"})
			Expect(err).To(MatchError(ContainSubstring("to another host")), method)
			Expect(answer.Evidence()).To(HaveLen(1), method)
		}
		Expect(reached).To(BeEmpty())
	})
})

// loginPage is a login form posting to action.
func loginPage(action string) string {
	return `<!doctype html><form method="post" action="` + action + `">
<input type="text" name="username"><input type="password" name="password"><button type="submit">Sign in</button></form>`
}

var _ = Describe("The form strategy's password", func() {
	var (
		reached   atomic.Int32
		elsewhere string
	)
	BeforeEach(func() {
		reached.Store(0)
		elsewhere = serve(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }).URL
	})

	// authorizeAt signs in with strategy at a login page whose server
	// answers the post with post; the other origin is named by the target.
	authorizeAt := func(ctx SpecContext, strategy, page string, post http.HandlerFunc) error {
		login := serve(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				post(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, page)
		})
		c := userAgent(strategy)
		c.NameOrigins(elsewhere)
		_, err := c.Authorize(ctx, login.URL+"/authorize", egressRedirectURI)
		return err
	}

	DescribeTable("is not re-sent by a 307 or 308 to another origin",
		func(ctx SpecContext, strategy string, status int) {
			err := authorizeAt(ctx, strategy, loginPage("/login"), func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, elsewhere+"/login", status)
			})
			Expect(err).To(MatchError(ContainSubstring("the password of the login form at http://127.0.0.1:")))
			Expect(err).To(MatchError(ContainSubstring("would go to another origin, " + elsewhere)))
			Expect(reached.Load()).To(BeZero())
		},
		Entry("form, 307", mockclient.StrategyForm, http.StatusTemporaryRedirect),
		Entry("form, 308", mockclient.StrategyForm, http.StatusPermanentRedirect),
		Entry("browser, 307", mockclient.StrategyBrowser, http.StatusTemporaryRedirect, SpecTimeout(time.Minute)),
	)

	DescribeTable("is not posted to a login form's action on another origin",
		func(ctx SpecContext, strategy string) {
			err := authorizeAt(ctx, strategy, loginPage(elsewhere+"/login"), nil)
			Expect(err).To(MatchError(ContainSubstring("would go to another origin")))
			Expect(reached.Load()).To(BeZero())
		},
		Entry("form", mockclient.StrategyForm),
		Entry("browser", mockclient.StrategyBrowser, SpecTimeout(time.Minute)),
	)

	It("stays behind on a 303 to another named origin, which is followed", func(ctx SpecContext) {
		err := authorizeAt(ctx, mockclient.StrategyForm, loginPage("/login"), func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere+"/consent", http.StatusSeeOther)
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(reached.Load()).To(BeEquivalentTo(1))
	})
})
