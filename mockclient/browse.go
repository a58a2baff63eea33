package mockclient

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// maxBrowseRedirects bounds the redirects Browse follows: an authorization
// takes a few, a loop takes them all.
const maxBrowseRedirects = 10

// Browse is a browser with nobody at it, for MCP clients that open the
// authorization URL in one: it GETs rawURL with a cookie jar and follows
// redirects to any http(s) URL, as a browser does (unlike Get, which stays
// on the host), at most maxBrowseRedirects of them. It returns the last
// response, which the caller judges; each request is bounded by the
// client's timeout and body cap.
func (c *Client) Browse(ctx context.Context, rawURL string) (*Response, error) {
	jar, _ := cookiejar.New(nil) // never fails without options
	out := &Response{}
	next := rawURL
	for redirects := 0; ; redirects++ {
		here, err := url.Parse(next)
		if err != nil {
			return out, fmt.Errorf("mockclient: browse: %w", err)
		}
		if here.Scheme != "http" && here.Scheme != "https" {
			return out, fmt.Errorf("mockclient: browse: %s is not an http(s) URL", c.redactor.URL(here.String()))
		}
		header := http.Header{}
		var cookies []string
		for _, cookie := range jar.Cookies(here) {
			cookies = append(cookies, cookie.String())
		}
		if len(cookies) > 0 {
			header.Set("Cookie", strings.Join(cookies, "; "))
		}
		resp, err := c.Do(withoutRedirects(ctx), http.MethodGet, next, header, "")
		exchanges := append(out.Exchanges, resp.Exchanges...)
		*out = *resp
		out.Exchanges = exchanges
		if err != nil {
			return out, err
		}
		jar.SetCookies(here, (&http.Response{Header: resp.Header}).Cookies())
		location := resp.Header.Get("Location")
		if resp.Status < 300 || resp.Status > 399 || location == "" {
			return out, nil
		}
		if redirects == maxBrowseRedirects {
			return out, fmt.Errorf("mockclient: browse: still redirected after %d redirects", maxBrowseRedirects)
		}
		target, err := here.Parse(location)
		if err != nil {
			return out, fmt.Errorf("mockclient: browse: redirect to %q: %w", c.redactor.Text(location), err)
		}
		next = target.String()
	}
}
