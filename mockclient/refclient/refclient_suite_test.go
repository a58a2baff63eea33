package refclient_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// tamperEnv turns the test binary into a $BROWSER that alters the
// authorization response on its way to the callback, as an attacker in the
// middle would: "name=value" sets a parameter, "name" removes it.
const tamperEnv = "REFCLIENT_TEST_TAMPER"

func TestMain(m *testing.M) {
	if tamper, ok := os.LookupEnv(tamperEnv); ok {
		os.Exit(tamperingBrowser(tamper, os.Args[len(os.Args)-1]))
	}
	os.Exit(m.Run())
}

func tamperingBrowser(tamper, authorizationURL string) int {
	name, value, set := strings.Cut(tamper, "=")
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/callback" {
			q := req.URL.Query()
			if set {
				q.Set(name, value)
			} else {
				q.Del(name)
			}
			req.URL.RawQuery = q.Encode()
		}
		return nil
	}}
	resp, err := client.Get(authorizationURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tampering browser:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return 1
	}
	return 0
}

func TestRefclient(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "refclient")
}

var _ = BeforeSuite(func() {
	// The built-in user agent, unless a spec sets $BROWSER: a developer's
	// own browser must not open.
	Expect(os.Unsetenv("BROWSER")).To(Succeed())
})

// setenv sets an environment variable for the current spec.
func setenv(name, value string) {
	old, had := os.LookupEnv(name)
	Expect(os.Setenv(name, value)).To(Succeed())
	DeferCleanup(func() {
		if had {
			os.Setenv(name, old)
		} else {
			os.Unsetenv(name)
		}
	})
}

// tamper makes the test binary the user agent, altering the authorization
// response as tamperEnv says.
func tamper(change string) {
	GinkgoHelper()
	self, err := os.Executable()
	Expect(err).NotTo(HaveOccurred())
	setenv("BROWSER", self)
	setenv(tamperEnv, change)
}

// serve runs a reference target for the current spec.
func serve(opts ...mockserver.Option) *mockserver.Server {
	GinkgoHelper()
	s, err := mockserver.Run(context.Background(), opts...)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(s.Close)
	return s
}

// runClient runs the reference client against s with faults.
func runClient(s *mockserver.Server, faults ...fault.Name) error {
	return runWith(s, refclient.Config{Faults: faults})
}

// runWith runs the reference client against s, filling in the URL, the
// log and a short timeout.
func runWith(s *mockserver.Server, cfg refclient.Config) error {
	cfg.MCPURL = s.MCPURL()
	if cfg.Log == nil {
		cfg.Log = GinkgoWriter
	}
	cfg.Timeout = 5 * time.Second
	return refclient.Run(context.Background(), cfg)
}

// requests are the requests s received with method at a path ending in
// suffix.
func requests(s *mockserver.Server, method, suffix string) []mockserver.Event {
	var out []mockserver.Event
	for _, ev := range s.Events() {
		if ev.Method == method && strings.HasSuffix(ev.Path, suffix) {
			out = append(out, ev)
		}
	}
	return out
}

// authorizationRequest is the query of the one authorization request s
// received.
func authorizationRequest(s *mockserver.Server) url.Values {
	GinkgoHelper()
	evs := requests(s, http.MethodGet, "/authorize")
	Expect(evs).To(HaveLen(1))
	return query(evs[0])
}

func query(ev mockserver.Event) url.Values {
	GinkgoHelper()
	q, err := url.ParseQuery(ev.Query)
	Expect(err).NotTo(HaveOccurred())
	return q
}

// mcpAfterToken are the MCP requests s received after the token response.
func mcpAfterToken(s *mockserver.Server) []mockserver.Event {
	GinkgoHelper()
	tokens := requests(s, http.MethodPost, "/token")
	Expect(tokens).To(HaveLen(1))
	return slices.DeleteFunc(mcpRequests(s), func(ev mockserver.Event) bool { return ev.Time.Before(tokens[0].Time) })
}

func mcpRequests(s *mockserver.Server) []mockserver.Event {
	var out []mockserver.Event
	for _, ev := range s.Events() {
		if ev.Path == "/mcp" {
			out = append(out, ev)
		}
	}
	return out
}

// expectNoAuthorizationRequest: the client stopped before the user agent
// saw the authorization server.
func expectNoAuthorizationRequest(s *mockserver.Server) {
	GinkgoHelper()
	Expect(requests(s, http.MethodGet, "/authorize")).To(BeEmpty())
	Expect(requests(s, http.MethodPost, "/token")).To(BeEmpty())
}

// expectNoTokenRequest: the client stopped before redeeming the code.
func expectNoTokenRequest(s *mockserver.Server) {
	GinkgoHelper()
	Expect(requests(s, http.MethodGet, "/authorize")).To(HaveLen(1))
	Expect(requests(s, http.MethodPost, "/token")).To(BeEmpty())
}
