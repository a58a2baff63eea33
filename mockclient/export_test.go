package mockclient

import (
	"net/url"
	"time"
)

// FormKinds name what a page's chosen form asks of the person.
var FormKinds = map[formKind]string{noForm: "none", loginForm: "login", identifierForm: "identifier", consentForm: "consent"}

// SubmitPage picks the form of page that the form strategy submits and
// returns what it is and the request it sends.
func SubmitPage(page, pageURL, username, password string) (kind, method, target, body string, err error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return "", "", "", "", err
	}
	form, k := chooseForm(parseForms([]byte(page), base))
	if form == nil {
		return FormKinds[k], "", "", "", nil
	}
	req, err := form.submission(credentials{username: username, password: password})
	return FormKinds[k], req.method, req.url, req.body, err
}

// SetBusyBudget sets how long c waits for busy answers in all.
func SetBusyBudget(c *Client, total time.Duration) { c.setBusyBudget(total) }

// OnConnect tells f of every connection c is about to open, after the
// egress guard let it through; an error from f stops it.
func OnConnect(c *Client, f func(address string) error) { c.egress.connecting = f }
