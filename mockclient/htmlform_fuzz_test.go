package mockclient

import (
	"net/url"
	"strings"
	"testing"
)

const (
	fuzzUsername = "fuzz-user-7Q"
	fuzzPassword = "fuzz-pass-9Z"
)

// FuzzFormSubmission feeds the form strategy any page: it never panics,
// only sends http(s) requests it can encode, and sends the password only
// to a form with a password field.
func FuzzFormSubmission(f *testing.F) {
	for _, seed := range []string{
		`<form method=post action=/login><input name=user><input type=password name=pw><button>Sign in</button></form>`,
		`<form method="post"><input type=hidden name=csrf value=x><button name=d value=deny>Deny</button><button name=d value=allow>Allow</button></form>`,
		`<form><input type=email name=login><input type=submit value=Next></form>`,
		`<base href="https://idp.example/a/"><form action="b?c=d#e" method=get><input type=password name=p></form>`,
		`<form action="javascript:alert(1)"><input type=password name=p></form>`,
		`<form enctype=multipart/form-data method=post><input type=password name=p></form>`,
		`<form><form><input type=password name=p></form></form><noscript><form><input type=submit></form></noscript>`,
		`<table><form><tr><td><input type=password name=p></td></tr></form></table>`,
		`<form><select name=s><option>a<option selected value=b>B</select><textarea name=t>x</textarea><input type=checkbox name=c checked></form>`,
		"",
	} {
		f.Add(seed)
	}
	page, _ := url.Parse("https://as.example/authorize?x=1")
	f.Fuzz(func(t *testing.T, body string) {
		form, kind := chooseForm(parseForms([]byte(body), page))
		if form == nil {
			return
		}
		req, err := form.submission(credentials{username: fuzzUsername, password: fuzzPassword})
		if err != nil {
			return
		}
		if req.method != "GET" && req.method != "POST" {
			t.Fatalf("method %q", req.method)
		}
		sent, err := url.Parse(req.url)
		if err != nil || (sent.Scheme != "http" && sent.Scheme != "https") || sent.Fragment != "" {
			t.Fatalf("request URL %q: %v", req.url, err)
		}
		if _, err := url.ParseQuery(req.body); err != nil {
			t.Fatalf("body %q: %v", req.body, err)
		}
		leaked := strings.Contains(req.url+"&"+req.body, url.QueryEscape(fuzzPassword))
		if leaked && kind != loginForm && !strings.Contains(body, fuzzPassword) {
			t.Fatalf("the password went to a %v form", kind)
		}
	})
}
