package mockserver_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockserver"
)

const (
	loginUser     = "ada"
	loginPassword = "correct horse"
)

// hiddenValue reads a hidden input's value from a page.
func hiddenValue(page []byte, name string) string {
	GinkgoHelper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindSubmatch(page)
	Expect(m).NotTo(BeNil(), "no hidden %s in %s", name, page)
	value := strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(string(m[1]))
	return value
}

// post sends a form with cookies.
func post(target string, form url.Values, cookies ...*http.Cookie) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return do(userAgent, req)
}

// getWithCookies fetches target with cookies, not following redirects.
func getWithCookies(target string, cookies ...*http.Cookie) answer {
	GinkgoHelper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	Expect(err).NotTo(HaveOccurred())
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return do(userAgent, req)
}

// signIn posts the login page's form and returns the session cookie.
func signIn(s *mockserver.Server, loginPage answer) *http.Cookie {
	GinkgoHelper()
	signedIn := post(s.IssuerURL()+"/authorize/login", url.Values{"request": {hiddenValue(loginPage.body, "request")},
		"username": {loginUser}, "password": {loginPassword}})
	Expect(signedIn.status).To(Equal(http.StatusSeeOther), string(signedIn.body))
	cookies := (&http.Response{Header: signedIn.header}).Cookies()
	Expect(cookies).To(HaveLen(1))
	Expect(cookies[0].HttpOnly).To(BeTrue())
	return cookies[0]
}

var _ = Describe("The login and consent pages", func() {
	var s *mockserver.Server
	var request *authRequest
	BeforeEach(func() {
		s = startAS(mockserver.WithLoginForm(mockserver.LoginForm{Username: loginUser, Password: loginPassword}))
		request = newAuthRequest(publicApp)
	})

	authorizeURL := func() string { return s.IssuerURL() + "/authorize?" + request.params.Encode() }

	It("asks to sign in, then to approve, then redirects with a code", func() {
		login := request.send(s)
		Expect(login.status).To(Equal(http.StatusOK))
		Expect(login.header.Get("Content-Type")).To(HavePrefix("text/html"))
		Expect(login.header.Get("X-Frame-Options")).To(Equal("DENY"))
		Expect(string(login.body)).To(ContainSubstring(`<input type="password" name="password">`))

		session := signIn(s, login)
		consent := getWithCookies(authorizeURL(), session)
		Expect(consent.status).To(Equal(http.StatusOK))
		Expect(string(consent.body)).To(ContainSubstring(`value="approve"`))
		Expect(string(consent.body)).To(ContainSubstring(publicApp))

		approved := post(s.IssuerURL()+"/authorize/consent", url.Values{"request": {hiddenValue(consent.body, "request")},
			"csrf": {hiddenValue(consent.body, "csrf")}, "decision": {"approve"}}, session)
		Expect(approved.status).To(Equal(http.StatusSeeOther))
		back := getWithCookies(s.IssuerURL()+strings.TrimPrefix(approved.header.Get("Location"), s.IssuerURL()), session)
		Expect(back.status).To(Equal(http.StatusFound))
		location, err := url.Parse(back.header.Get("Location"))
		Expect(err).NotTo(HaveOccurred())
		Expect(location.Query().Get("code")).NotTo(BeEmpty())
		Expect(location.Query().Get("state")).To(Equal("state-1"))

		again := getWithCookies(authorizeURL(), session)
		Expect(string(again.body)).To(ContainSubstring(`value="approve"`), "an approval holds for one request only")
	})

	It("refuses wrong credentials with the login page again", func() {
		login := request.send(s)
		refused := post(s.IssuerURL()+"/authorize/login", url.Values{"request": {hiddenValue(login.body, "request")},
			"username": {loginUser}, "password": {"wrong"}})
		Expect(refused.status).To(Equal(http.StatusUnauthorized))
		Expect(string(refused.body)).To(ContainSubstring("Wrong username or password"))
		Expect(refused.header.Values("Set-Cookie")).To(BeEmpty())
	})

	It("refuses a consent without the session's CSRF token", func() {
		session := signIn(s, request.send(s))
		consent := getWithCookies(authorizeURL(), session)
		forged := post(s.IssuerURL()+"/authorize/consent", url.Values{"request": {hiddenValue(consent.body, "request")},
			"csrf": {"forged"}, "decision": {"approve"}}, session)
		Expect(forged.status).To(Equal(http.StatusForbidden))
	})

	It("redirects access_denied when the resource owner denies", func() {
		session := signIn(s, request.send(s))
		consent := getWithCookies(authorizeURL(), session)
		denied := post(s.IssuerURL()+"/authorize/consent", url.Values{"request": {hiddenValue(consent.body, "request")},
			"csrf": {hiddenValue(consent.body, "csrf")}, "decision": {"deny"}}, session)
		Expect(denied.status).To(Equal(http.StatusFound))
		location, err := url.Parse(denied.header.Get("Location"))
		Expect(err).NotTo(HaveOccurred())
		Expect(location.Query().Get("error")).To(Equal("access_denied"))
		Expect(location.Query().Get("state")).To(Equal("state-1"))
	})

	It("still answers an unknown client with an error page, before any login", func() {
		expectNoRedirect(newAuthRequest("no-such-client").send(s))
	})
})

var _ = Describe("The scripted login page", func() {
	It("has no form until its script builds one", func() {
		s := startAS(mockserver.WithLoginForm(mockserver.LoginForm{Username: loginUser, Password: loginPassword, Scripted: true}))
		page := newAuthRequest(publicApp).send(s)
		Expect(page.status).To(Equal(http.StatusOK))
		Expect(string(page.body)).NotTo(ContainSubstring("<form"))
		Expect(string(page.body)).To(ContainSubstring("<script>"))
		Expect(string(page.body)).To(ContainSubstring("data-page="))
	})
})

var _ = Describe("An authorization server without dynamic registration", func() {
	It("advertises no registration endpoint and serves none", func() {
		s := startAS(mockserver.WithoutDynamicRegistration())
		meta := get(s.URLs()["authorization server metadata"]).json()
		Expect(meta).NotTo(HaveKey("registration_endpoint"))
		registered := post(s.IssuerURL()+"/register", url.Values{})
		Expect(registered.status).To(Equal(http.StatusNotFound))
		Expect(newAuthRequest(publicApp).code(s)).NotTo(BeEmpty(), "clients registered in advance still authorize")
	})
})
