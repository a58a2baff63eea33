package mockclient

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The forms of a login or consent page, read as a browser reads them, and
// the request a person submitting them would send. The form and browser
// strategies follow the same rules (the browser's in browserFillScript).

// htmlForm is a form of an HTML page.
type htmlForm struct {
	Action   *url.URL // resolved against the page
	Method   string   // GET or POST
	Enctype  string
	Controls []formControl // in document order
}

// formControl is one input, button, select or textarea of a form.
type formControl struct {
	Tag, Type   string // Type lowercased; for buttons submit unless set
	Name, Value string
	Label       string // a button's text
	Checked     bool
}

// declining names buttons a person presses to refuse, never to approve.
var declining = regexp.MustCompile(`(?i)deny|cancel|reject|decline|refuse|abort|disallow`)

// formKind is what a form asks of the person.
type formKind int

const (
	noForm         formKind = iota
	loginForm               // a password field, maybe a username before it
	identifierForm          // one text field and no password: a username step
	consentForm             // no field to fill, an approve button
)

// parseForms reads the forms of an HTML page found at page.
func parseForms(body []byte, page *url.URL) []*htmlForm {
	// Read as a browser without scripts does: noscript content counts.
	doc, err := html.ParseWithOptions(bytes.NewReader(body), html.ParseOptionEnableScripting(false))
	if err != nil {
		return nil
	}
	base := page
	var forms []*htmlForm
	var visit func(n *html.Node, form *htmlForm)
	visit = func(n *html.Node, form *htmlForm) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Base:
				if href, ok := attr(n, "href"); ok && base == page {
					if u, err := page.Parse(strings.TrimSpace(href)); err == nil {
						base = u
					}
				}
			case atom.Form:
				if form == nil { // the parser drops nested forms; keep to the outer one
					form = newForm(n, base)
					forms = append(forms, form)
				}
			case atom.Input, atom.Button, atom.Select, atom.Textarea:
				if form != nil {
					form.Controls = append(form.Controls, newControl(n))
				}
			}
		}
		for child := n.FirstChild; child != nil; child = child.NextSibling {
			visit(child, form)
		}
	}
	visit(doc, nil)
	return forms
}

func newForm(n *html.Node, base *url.URL) *htmlForm {
	f := &htmlForm{Action: base, Method: "GET", Enctype: "application/x-www-form-urlencoded"}
	if action, _ := attr(n, "action"); strings.TrimSpace(action) != "" {
		if u, err := base.Parse(strings.TrimSpace(action)); err == nil {
			f.Action = u
		}
	}
	if method, _ := attr(n, "method"); strings.EqualFold(strings.TrimSpace(method), "post") {
		f.Method = "POST"
	}
	if enctype, _ := attr(n, "enctype"); strings.TrimSpace(enctype) != "" {
		f.Enctype = strings.ToLower(strings.TrimSpace(enctype))
	}
	return f
}

func newControl(n *html.Node) formControl {
	c := formControl{Tag: n.Data}
	c.Type, _ = attr(n, "type")
	c.Type = strings.ToLower(strings.TrimSpace(c.Type))
	c.Name, _ = attr(n, "name")
	c.Value, _ = attr(n, "value")
	_, c.Checked = attr(n, "checked")
	switch n.DataAtom {
	case atom.Input:
		if c.Type == "" {
			c.Type = "text"
		}
	case atom.Button:
		if c.Type == "" {
			c.Type = "submit"
		}
		c.Label = strings.TrimSpace(textOf(n))
	case atom.Textarea:
		c.Value = textOf(n)
	case atom.Select:
		c.Value = selectedOption(n)
	}
	return c
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for child := n.FirstChild; child != nil; child = child.NextSibling {
			visit(child)
		}
	}
	visit(n)
	return b.String()
}

// selectedOption is the value a select submits: its selected option, else
// its first.
func selectedOption(n *html.Node) string {
	var first, selected *html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Option {
			if first == nil {
				first = n
			}
			if _, ok := attr(n, "selected"); ok && selected == nil {
				selected = n
			}
		}
		for child := n.FirstChild; child != nil; child = child.NextSibling {
			visit(child)
		}
	}
	visit(n)
	option := selected
	if option == nil {
		option = first
	}
	if option == nil {
		return ""
	}
	if value, ok := attr(option, "value"); ok {
		return value
	}
	return strings.TrimSpace(textOf(option))
}

func (c formControl) submits() bool {
	return (c.Tag == "button" || c.Tag == "input") && (c.Type == "submit" || c.Type == "image")
}

func (c formControl) textField() bool {
	return c.Tag == "input" && (c.Type == "text" || c.Type == "email")
}

func (c formControl) password() bool { return c.Tag == "input" && c.Type == "password" }

// approveButton is the index of the first submit button that does not
// decline; -1 when there is none, and then implicit is true when the form
// has no submit button at all (pressing Enter submits it).
func (f *htmlForm) approveButton() (index int, implicit bool) {
	buttons := 0
	for i, c := range f.Controls {
		if !c.submits() {
			continue
		}
		buttons++
		if !declining.MatchString(c.Name + " " + c.Value + " " + c.Label) {
			return i, false
		}
	}
	return -1, buttons == 0
}

// kind says what the form asks of the person; noForm when it offers no way
// to go on but declining.
func (f *htmlForm) kind() formKind {
	button, implicit := f.approveButton()
	if button < 0 && !implicit {
		return noForm
	}
	texts := 0
	for _, c := range f.Controls {
		switch {
		case c.password():
			return loginForm
		case c.textField():
			texts++
		}
	}
	switch {
	case texts == 1:
		return identifierForm
	case texts == 0 && button >= 0:
		return consentForm
	}
	return noForm
}

// chooseForm picks the form a person would submit to sign in or approve:
// the first login form, else the first username step, else the first
// consent form.
func chooseForm(forms []*htmlForm) (*htmlForm, formKind) {
	for _, want := range []formKind{loginForm, identifierForm, consentForm} {
		for _, f := range forms {
			if f.kind() == want {
				return f, want
			}
		}
	}
	return nil, noForm
}

// errNoCredentials: a login form and no credentials to fill it with.
var errNoCredentials = errors.New("needs a username and password: set MCPCONFORM_USERNAME and MCPCONFORM_PASSWORD")

// formRequest is a request the strategy sends: the authorization request,
// a redirect followed, or a form submitted.
type formRequest struct {
	method, url, body string
	// passwordOrigin is the origin of the login form whose password the
	// request carries; "" when it carries none.
	passwordOrigin string
}

// submission fills the form with login as a person would and returns the
// request the browser sends: the username in the text field before the
// password field (or the only text field of a username step), the
// password in every password field, hidden fields as they are, and the
// approve button pressed.
func (f *htmlForm) submission(login credentials) (formRequest, error) {
	if f.Enctype != "application/x-www-form-urlencoded" {
		return formRequest{}, fmt.Errorf("mockclient: the form at %s is sent as %s, which the form strategy does not send", f.Action, f.Enctype)
	}
	if f.Action.Scheme != "http" && f.Action.Scheme != "https" {
		return formRequest{}, fmt.Errorf("mockclient: the form posts to %s, not an http(s) URL", f.Action.Redacted())
	}
	kind := f.kind()
	username := -1 // the last text field before the first password field
	for i, c := range f.Controls {
		if c.password() {
			break
		}
		if c.textField() {
			username = i
		}
	}
	if kind == loginForm && login.password == "" || username >= 0 && login.username == "" {
		return formRequest{}, fmt.Errorf("mockclient: the login form at %s %w", f.Action, errNoCredentials)
	}
	button, _ := f.approveButton()
	values := url.Values{}
	for i, c := range f.Controls {
		if c.Name == "" {
			continue
		}
		switch {
		case c.submits():
			if i == button {
				values.Add(c.Name, c.Value)
			}
		case c.password():
			values.Add(c.Name, login.password)
		case i == username:
			values.Add(c.Name, login.username)
		case c.Type == "checkbox" || c.Type == "radio":
			if c.Checked {
				values.Add(c.Name, cmp.Or(c.Value, "on"))
			}
		case c.Tag == "button" || c.Type == "reset" || c.Type == "file":
		default:
			values.Add(c.Name, c.Value)
		}
	}
	target := *f.Action
	target.Fragment = ""
	if f.Method == "GET" {
		target.RawQuery = values.Encode()
		return formRequest{method: "GET", url: target.String()}, nil
	}
	return formRequest{method: "POST", url: target.String(), body: values.Encode()}, nil
}
