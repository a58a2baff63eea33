package mockclient

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
)

// The auto and form strategies: the client itself is the user agent,
// keeping the cookies set during one authorization (interaction, CSRF and
// session cookies) as a browser does. Auto only follows redirects; form
// also fills and submits the login and consent forms on the way.

// maxAuthorizationHops bounds the redirects between two pages of an
// authorization (the request, a form submitted) and the next page or the
// callback.
const maxAuthorizationHops = 5

// maxFormPages bounds the forms submitted in one authorization: username,
// password, consent and a spare.
const maxFormPages = 4

type formStrategy struct{ login credentials }

func (s formStrategy) Authorize(ctx context.Context, c *Client, authorizationURL, redirectURI string) (*AuthorizationResult, error) {
	return c.walk(ctx, authorizationURL, redirectURI, &s.login)
}

// walk sends the authorization request and follows it to the redirect to
// redirectURI, with a cookie jar of its own. With login it submits the forms of the pages on the way;
// without, or on a page with no form to submit, the page ends the
// authorization and the checks judge it.
func (c *Client) walk(ctx context.Context, authorizationURL, redirectURI string, login *credentials) (*AuthorizationResult, error) {
	out := &AuthorizationResult{Response: &Response{}}
	jar, _ := cookiejar.New(nil) // never fails without options
	next := formRequest{method: http.MethodGet, url: authorizationURL}
	var from *url.URL // the page the request comes from
	hops, pages, signedIn := 0, 0, false
	for {
		if hops++; hops > maxAuthorizationHops {
			return out, fmt.Errorf("mockclient: no redirect to the client after %d hops", maxAuthorizationHops)
		}
		here, err := url.Parse(next.url)
		if err != nil {
			return out, fmt.Errorf("mockclient: authorization URL %q: %w", next.url, err)
		}
		if from != nil && !c.mayVisit(here, authorizationURL, redirectURI) {
			return out, c.unnamedOrigin(from, here)
		}
		if next.passwordOrigin != "" && origin(here) != next.passwordOrigin {
			return out, fmt.Errorf("mockclient: the password of the login form at %s would go to another origin, %s: the suite does not send it there",
				next.passwordOrigin, c.redactor.URL(origin(here)))
		}
		from = here
		header := http.Header{}
		if next.body != "" {
			header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for _, cookie := range jar.Cookies(here) {
			header.Add("Cookie", cookie.String())
		}
		resp, err := c.Do(withoutRedirects(ctx), next.method, next.url, header, next.body)
		out.Response.Exchanges = append(out.Response.Exchanges, resp.Exchanges...)
		out.Response.Status, out.Response.Header, out.Response.Body, out.Response.URL = resp.Status, resp.Header, resp.Body, resp.URL
		if err != nil {
			return out, err
		}
		jar.SetCookies(here, (&http.Response{Header: resp.Header}).Cookies())
		if location := resp.Header.Get("Location"); resp.Status >= 300 && resp.Status <= 399 && location != "" {
			target, err := here.Parse(location)
			if err != nil {
				return out, fmt.Errorf("mockclient: redirect to %q: %w", location, err)
			}
			if sameEndpoint(target, redirectURI) {
				c.redactor.Add(target.Query().Get("code"))
				out.Callback = target
				return out, nil
			}
			next = redirected(next, resp.Status, target)
			continue
		}
		if !isHTML(resp) {
			return out, nil // an answer, not a redirect: the checks judge it
		}
		form, kind := chooseForm(parseForms(resp.Body, here))
		switch {
		case login == nil && form != nil && resp.Status/100 == 2:
			// A sign-in or consent page, not an error: judging it would
			// pass every check that wants no code.
			return out, &NotRunError{Reason: fmt.Sprintf("the authorization server asks a person to sign in or consent at %s: "+
				"choose --authorize form, browser, command or manual", c.redactor.URL(here.String()))}
		case login == nil:
			return out, nil
		case form == nil:
			return out, nil // a page with nothing to submit, such as an error
		case kind == loginForm && signedIn:
			return out, fmt.Errorf("mockclient: the login form at %s came back after signing in: are MCPCONFORM_USERNAME and MCPCONFORM_PASSWORD right?", here.Redacted())
		}
		if pages++; pages > maxFormPages {
			return out, fmt.Errorf("mockclient: no redirect to the client after %d forms", maxFormPages)
		}
		signedIn = signedIn || kind == loginForm
		if next, err = form.submission(*login); err != nil {
			return out, err
		}
		if kind == loginForm {
			next.passwordOrigin = origin(here)
		}
		if kind == loginForm && here.Scheme == "https" && form.Action.Scheme == "http" {
			return out, fmt.Errorf("mockclient: the login form at %s sends the password in the clear to %s", here.Redacted(), form.Action.Redacted())
		}
		hops = 0
	}
}

// redirected is the request a browser sends for a redirect: 307 and 308
// repeat the request, a password included, the others fetch the target.
func redirected(from formRequest, status int, target *url.URL) formRequest {
	if status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect {
		return formRequest{method: from.method, url: target.String(), body: from.body, passwordOrigin: from.passwordOrigin}
	}
	return formRequest{method: http.MethodGet, url: target.String()}
}

func isHTML(resp *Response) bool {
	ct := resp.ContentType()
	return ct == "text/html" || ct == "application/xhtml+xml"
}
