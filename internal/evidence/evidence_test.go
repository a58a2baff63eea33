package evidence_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

func TestEvidence(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "evidence")
}

const jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"

var _ = Describe("Redaction", func() {
	var r *evidence.Redactor
	BeforeEach(func() {
		r = &evidence.Redactor{}
		r.Add("initial-access-token-value")
	})

	It("learns and applies secrets from many goroutines at once", func() {
		var r evidence.Redactor
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				secret := fmt.Sprintf("concurrent-secret-%02d", i)
				r.Add(secret)
				Expect(r.Text("x " + secret + " y")).To(Equal("x [REDACTED] y"))
			})
		}
		wg.Wait()
	})

	It("keeps the scheme of credentials and hides the rest", func() {
		h := r.Header(http.Header{
			"Authorization": {"Bearer " + jwt},
			"Cookie":        {"session=abc"},
			"Accept":        {"application/json"},
		})
		Expect(h.Get("Authorization")).To(MatchRegexp(`^Bearer \[REDACTED jwt alg=\w+ #\d+\]$`))
		Expect(h.Get("Cookie")).To(Equal(evidence.Redacted))
		Expect(h.Get("Accept")).To(Equal("application/json"))
	})

	It("tells the credentials it hides apart, showing a JWT's alg and nothing else", func() {
		var fresh evidence.Redactor
		unsigned := "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."
		marks := []string{}
		for _, v := range []string{"Bearer " + unsigned, "Bearer opaque-token-1", "Bearer " + unsigned, "Basic dXNlcjpwYXNz"} {
			marks = append(marks, fresh.Header(http.Header{"Authorization": {v}}).Get("Authorization"))
		}
		Expect(marks).To(Equal([]string{"Bearer [REDACTED jwt alg=none #1]", "Bearer [REDACTED #2]",
			"Bearer [REDACTED jwt alg=none #1]", "Basic [REDACTED #3]"}))
		hostile := "eyJhbGciOiJcdTAwMWJbMzFtIn0.e30.x" // alg "\x1b[31m"
		Expect(fresh.Header(http.Header{"Authorization": {"Bearer " + hostile}}).Get("Authorization")).To(Equal("Bearer [REDACTED #4]"))
	})

	It("hides codes in redirect locations", func() {
		h := r.Header(http.Header{"Location": {"http://127.0.0.1/cb?code=c-123&state=s"}})
		Expect(h.Get("Location")).NotTo(ContainSubstring("c-123"))
		Expect(h.Get("Location")).To(ContainSubstring("state=s"))
	})

	It("hides secret query parameters and keeps the others", func() {
		u := r.URL("https://as/cb?code=abc123&state=xyz")
		Expect(u).NotTo(ContainSubstring("abc123"))
		Expect(u).To(ContainSubstring("state=xyz"))
	})

	DescribeTable("hides secrets in bodies",
		func(contentType, body, secret, kept string) {
			out := r.Body(contentType, body)
			Expect(out).NotTo(ContainSubstring(secret))
			Expect(out).To(ContainSubstring(kept))
		},
		Entry("token response", "application/json", `{"access_token":"at-1","refresh_token":"rt-1","token_type":"Bearer"}`, "rt-1", "Bearer"),
		Entry("nested JSON", "application/json", `{"x":[{"client_secret":"cs-1"}],"client_id":"id-1"}`, "cs-1", "id-1"),
		Entry("token request", "application/x-www-form-urlencoded", "grant_type=authorization_code&code=c-1&code_verifier=v-1", "v-1", "authorization_code"),
		Entry("a JWT in free text", "text/plain", "your token is "+jwt, jwt, "your token is"),
		Entry("a registered literal", "text/html", "<p>initial-access-token-value</p>", "initial-access-token-value", "<p>"),
		Entry("a code in a redirect's HTML body", "text/html; charset=utf-8",
			`<a href="http://127.0.0.1:1/cb?state=s-1&amp;code=c-2&amp;iss=x">Found</a>.`, "c-2", "state=s-1&amp;code="),
		Entry("a token in a quoted URL", "text/plain", `GET "https://rs/mcp?access_token=at-3" failed`, "at-3", "access_token="),
	)

	It("leaves parameters that only end like a secret's name alone", func() {
		Expect(r.Text("https://as/authorize?response_type=code&code_challenge=cc-1")).To(ContainSubstring("code_challenge=cc-1"))
	})

	It("applies a later pass to every string of an exchange", func() {
		late := &evidence.Redactor{}
		late.Add("learned-later")
		ex := evidence.Exchange{URL: "https://a/learned-later", RequestBody: "learned-later", ResponseBody: "x learned-later",
			Error: "learned-later", RequestHeaders: http.Header{"X-A": {"learned-later"}}, ResponseHeaders: http.Header{"X-B": {"ok"}}}
		out := ex.Redact(late.Text)
		Expect(fmt.Sprint(out)).NotTo(ContainSubstring("learned-later"))
		Expect(out.ResponseHeaders.Get("X-B")).To(Equal("ok"))
		Expect(ex.RequestBody).To(Equal("learned-later"), "the original is left as it was")
	})

	It("renders a curl line that reproduces the redacted request", func() {
		ex := evidence.Exchange{Method: "POST", URL: "https://as/token",
			RequestHeaders: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "User-Agent": {"Go"}},
			RequestBody:    "grant_type=client_credentials&scope=it's"}
		Expect(ex.Curl()).To(Equal(`curl -sS -i -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data-raw 'grant_type=client_credentials&scope=it'\''s' 'https://as/token'`))
	})
})

// A confidential client whose Basic credentials differ in every encoding:
// form-urlencoding changes the pair, and its base64 has + and /.
const (
	clientID     = "mcp client/1"
	clientSecret = "s3cr3t ~~~??? value long enough to be cut"
)

// clientLeaks are the forms in which a target may echo the client's secret.
func clientLeaks() []string {
	leaks := []string{clientSecret}
	for _, pair := range []string{clientID + ":" + clientSecret, url.QueryEscape(clientID) + ":" + url.QueryEscape(clientSecret)} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			leaks = append(leaks, enc.EncodeToString([]byte(pair)))
		}
	}
	return leaks
}

var _ = DescribeTable("hides a client's echoed Basic credentials",
	func(leak string) {
		r := &evidence.Redactor{}
		r.AddClient(clientID, clientSecret)
		out := r.Body("application/json", `{"echo":"Authorization: Basic `+leak+`"}`)
		Expect(out).NotTo(ContainSubstring(leak))
		Expect(out).To(ContainSubstring("Authorization: Basic " + evidence.Redacted))
	},
	func() []TableEntry {
		var entries []TableEntry
		for _, leak := range clientLeaks() {
			entries = append(entries, Entry(leak, leak))
		}
		return entries
	}(),
)

var _ = Describe("A secret cut where a recorded body ends", func() {
	It("is hidden from its first bytes", func() {
		r := &evidence.Redactor{}
		long := strings.Repeat("0123456789abcdef", 2048) // longer than any body cap
		r.Add(long)
		Expect(r.Text(`{"access_token":"` + long[:16<<10-17])).To(Equal(`{"access_token":"` + evidence.Redacted))
		Expect(r.Text("ends in 0123456")).To(Equal("ends in 0123456"), "seven bytes are too few to tell")
		Expect(r.Text("0123456789 and more")).To(Equal("0123456789 and more"), "only at the end")
	})
})

// FuzzRedactBody: a registered secret, or a client's secret in any form it
// is echoed in, never survives redaction, whole anywhere or cut where the
// recorded body ends.
func FuzzRedactBody(f *testing.F) {
	f.Add("application/json", `{"access_token":"secret-value-1"}`, uint8(0), uint16(0))
	f.Add("application/x-www-form-urlencoded", "code=secret-value-1&a=b", uint8(0), uint16(0))
	f.Add("text/plain", "secret-value-1", uint8(0), uint16(0))
	for form := range clientLeaks() {
		f.Add("application/json", `{"authorization":"Basic `, uint8(form), uint16(1000))
		f.Add("text/plain", "echo: ", uint8(form), uint16(3))
	}
	leaks := clientLeaks()
	f.Fuzz(func(t *testing.T, contentType, body string, form uint8, kept uint16) {
		r := &evidence.Redactor{}
		r.Add("secret-value-1")
		r.AddClient(clientID, clientSecret)
		if out := r.Body(contentType, body); strings.Contains(out, "secret-value-1") {
			t.Fatalf("secret survived: %q", out)
		}
		leak := leaks[int(form)%len(leaks)]
		if out := r.Body(contentType, body+leak); strings.Contains(out, leak) {
			t.Fatalf("client secret survived as %q: %q", leak, out)
		}
		cut := leak[:8+int(kept)%(len(leak)-8)]
		if out := r.Body(contentType, body+cut); strings.HasSuffix(out, cut) {
			t.Fatalf("client secret survived cut as %q: %q", cut, out)
		}
	})
}

var _ = Describe("Limiting headers", func() {
	It("keeps headers whole under the limit", func() {
		h := http.Header{"A": {"1"}, "B": {"2", "3"}}
		limited, truncated := evidence.LimitHeader(h, 100)
		Expect(limited).To(Equal(h))
		Expect(truncated).To(BeFalse())
	})

	It("cuts in name order at the limit", func() {
		h := http.Header{"B": {strings.Repeat("b", 50)}, "A": {strings.Repeat("a", 50)}, "C": {"c"}}
		limited, truncated := evidence.LimitHeader(h, 80)
		Expect(truncated).To(BeTrue())
		Expect(limited.Get("A")).To(HaveLen(50))
		Expect(limited.Get("B")).To(HaveLen(80 - 1 - 50 - 1))
		Expect(limited).NotTo(HaveKey("C"))
	})
})
