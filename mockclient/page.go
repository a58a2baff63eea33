package mockclient

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/mcpconform/mcpconform/internal/spec"
)

// What a page could hand its own URL to: the referrer policy it sets and
// the other origins it loads or links to (RFC 9700 §4.2). Browse reads it
// at a client's callback, whose URL carries the code and state; nothing is
// fetched but the page itself.

// Bounds for hostile pages: the bytes scanned, the references kept, and
// the length of a policy kept as the page wrote it.
const (
	maxPageScan       = 64 << 10
	maxPageReferences = 20
	maxPolicyLength   = 100
)

// Page is a page as far as its URL's leaking goes.
type Page struct {
	// URL is the page's, without its query (which carries the code).
	URL         string `json:"url"`
	Status      int    `json:"status"`
	ContentType string `json:"content_type,omitempty"`
	// ReferrerPolicy is the Referrer-Policy header as sent; MetaReferrer
	// the content of the page's last <meta name="referrer">.
	ReferrerPolicy string      `json:"referrer_policy,omitempty"`
	MetaReferrer   string      `json:"meta_referrer,omitempty"`
	CrossOrigin    []Reference `json:"cross_origin,omitempty"`
	// Truncated: the page was longer than what was scanned.
	Truncated bool `json:"truncated,omitempty"`
}

// Reference is a URL of another origin that a page names.
type Reference struct {
	// Where is what names it: "script src", "a href", "header Refresh".
	Where  string `json:"where"`
	Origin string `json:"origin"`
	// Loads: the browser fetches it as it renders the page (a script, an
	// image); otherwise only when the person follows it (a link, a form).
	Loads bool `json:"loads,omitempty"`
	// ReferrerPolicy is the element's own (referrerpolicy, or no-referrer
	// for rel=noreferrer), which overrides the page's.
	ReferrerPolicy string `json:"referrer_policy,omitempty"`
}

// CallbackPage is the page a browse that started at start ended on, when
// that is an OAuth client's loopback redirect URI: reached by a redirect,
// on a loopback host, with a code in its query.
func CallbackPage(start string, resp *Response) (Page, bool) {
	here, err := url.Parse(resp.URL)
	if err != nil || resp.URL == start || !spec.IsLoopbackHost(here.Hostname()) || !here.Query().Has("code") {
		return Page{}, false
	}
	return InspectPage(here, resp), true
}

// InspectPage reads what the page resp answered at pageURL hands its URL
// to: its referrer policy and the other origins it names, from the headers
// and from at most maxPageScan bytes of an HTML body.
func InspectPage(pageURL *url.URL, resp *Response) Page {
	withoutQuery := *pageURL
	withoutQuery.RawQuery, withoutQuery.Fragment, withoutQuery.User = "", "", nil
	p := &pageScan{
		Page: Page{URL: withoutQuery.String(), Status: resp.Status, ContentType: resp.ContentType(),
			ReferrerPolicy: clip(resp.Header.Get("Referrer-Policy"))},
		page: pageURL, base: pageURL, seen: map[Reference]bool{},
	}
	if refresh := resp.Header.Get("Refresh"); refresh != "" {
		p.add("header Refresh", refreshURL(refresh), false, "")
	}
	body := resp.Body
	if len(body) > maxPageScan {
		body, p.Truncated = body[:maxPageScan], true
	}
	if rendersAsHTML(resp) {
		p.scan(body)
	}
	return p.Page
}

// rendersAsHTML: browsers render the body as HTML, as declared or,
// undeclared, as sniffed.
func rendersAsHTML(resp *Response) bool {
	return isHTML(resp) || resp.ContentType() == "" && strings.HasPrefix(http.DetectContentType(resp.Body), "text/html")
}

// pageScan is a Page being read.
type pageScan struct {
	Page
	page, base *url.URL
	baseSet    bool
	seen       map[Reference]bool
}

// loadedAttributes are the attributes whose URL the browser fetches while
// rendering, by element ("" for any element).
var loadedAttributes = map[string][]string{
	"script": {"src"}, "img": {"src", "srcset"}, "iframe": {"src"}, "frame": {"src"}, "embed": {"src"},
	"object": {"data"}, "audio": {"src"}, "video": {"src", "poster"}, "source": {"src", "srcset"},
	"track": {"src"}, "input": {"src"}, "image": {"href", "xlink:href"}, "use": {"href", "xlink:href"},
	"": {"background"},
}

// followedAttributes are the attributes whose URL the browser goes to when
// the person follows or submits.
var followedAttributes = map[string][]string{
	"a": {"href"}, "area": {"href"}, "form": {"action"}, "button": {"formaction"}, "input": {"formaction"},
}

// loadingLinkTypes are the rel values of a <link> the browser fetches.
var loadingLinkTypes = []string{"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
	"prerender", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon"}

// cssURL finds the URLs a stylesheet fetches: url(...) and @import "...".
var cssURL = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)`)

func (p *pageScan) scan(body []byte) {
	z := html.NewTokenizer(bytes.NewReader(body))
	inStyle := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return // the end of the page, or of what was read of it
		case html.TextToken:
			if inStyle {
				p.addCSS("style url()", string(z.Text()))
			}
		case html.EndTagToken:
			inStyle = false
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			inStyle = tag == "style"
			p.element(tag, tokenAttributes(z))
		}
	}
}

// tokenAttributes are the current tag's attributes, the first of a
// repeated name kept (as browsers do).
func tokenAttributes(z *html.Tokenizer) map[string]string {
	attrs := map[string]string{}
	for {
		key, value, more := z.TagAttr() // the tokenizer lowercases key
		if _, ok := attrs[string(key)]; !ok && len(key) > 0 {
			attrs[string(key)] = string(value)
		}
		if !more {
			return attrs
		}
	}
}

func (p *pageScan) element(tag string, attrs map[string]string) {
	switch tag {
	case "base":
		// The first <base href> is the base of the URLs after it.
		if href, ok := attrs["href"]; ok && !p.baseSet {
			p.baseSet = true
			if u, err := p.page.Parse(strings.TrimSpace(href)); err == nil {
				p.base = u
			}
		}
	case "meta":
		switch {
		case strings.EqualFold(strings.TrimSpace(attrs["name"]), "referrer"):
			p.MetaReferrer = clip(attrs["content"])
		case strings.EqualFold(strings.TrimSpace(attrs["http-equiv"]), "refresh"):
			p.add("meta refresh", refreshURL(attrs["content"]), false, "")
		}
	case "link":
		rels := strings.Fields(strings.ToLower(attrs["rel"]))
		if slices.ContainsFunc(rels, func(rel string) bool { return slices.Contains(loadingLinkTypes, rel) }) {
			p.add("link href", attrs["href"], true, elementPolicy(attrs))
		}
	}
	policy := elementPolicy(attrs)
	for _, name := range append(slices.Clone(loadedAttributes[tag]), loadedAttributes[""]...) {
		if value, ok := attrs[name]; ok {
			if name == "srcset" {
				for _, candidate := range strings.Split(value, ",") {
					if fields := strings.Fields(candidate); len(fields) > 0 {
						p.add(tag+" "+name, fields[0], true, policy)
					}
				}
				continue
			}
			p.add(tag+" "+name, value, true, policy)
		}
	}
	for _, name := range followedAttributes[tag] {
		if value, ok := attrs[name]; ok {
			p.add(tag+" "+name, value, false, policy)
		}
	}
	if style, ok := attrs["style"]; ok {
		p.addCSS(tag+" style url()", style)
	}
}

// addCSS adds the URLs a stylesheet's text fetches.
func (p *pageScan) addCSS(where, css string) {
	for _, m := range cssURL.FindAllStringSubmatch(css, maxPageReferences) {
		p.add(where, m[1]+m[2], true, "")
	}
}

// elementPolicy is the referrer policy an element sets for its own
// requests: rel=noreferrer sends none, else its referrerpolicy.
func elementPolicy(attrs map[string]string) string {
	if slices.Contains(strings.Fields(strings.ToLower(attrs["rel"])), "noreferrer") {
		return "no-referrer"
	}
	return clip(attrs["referrerpolicy"])
}

// add notes raw, resolved against the page's base, when it is an http(s)
// URL of another origin than the page's.
func (p *pageScan) add(where, raw string, loads bool, policy string) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(p.CrossOrigin) == maxPageReferences {
		return
	}
	u, err := p.base.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || sameOrigin(u, p.page) {
		return
	}
	ref := Reference{Where: where, Origin: origin(u), Loads: loads, ReferrerPolicy: policy}
	if !p.seen[ref] {
		p.seen[ref] = true
		p.CrossOrigin = append(p.CrossOrigin, ref)
	}
}

// origin is u's scheme, host and port, the port only when not the
// scheme's default.
func origin(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && port != defaultPort(u.Scheme) {
		host += ":" + port
	}
	return u.Scheme + "://" + host
}

func sameOrigin(a, b *url.URL) bool { return origin(a) == origin(b) }

func defaultPort(scheme string) string {
	if scheme == "https" {
		return "443"
	}
	return "80"
}

// refreshURL is the URL of a Refresh header or <meta http-equiv=refresh>
// ("5; url='...'"), "" when it only reloads.
func refreshURL(content string) string {
	_, rest, ok := strings.Cut(strings.TrimSpace(content), ";")
	if !ok {
		_, rest, ok = strings.Cut(content, ",")
	}
	if !ok {
		return ""
	}
	rest = strings.TrimSpace(rest)
	if len(rest) >= 3 && strings.EqualFold(rest[:3], "url") {
		if after, found := strings.CutPrefix(strings.TrimSpace(rest[3:]), "="); found {
			rest = strings.TrimSpace(after)
		}
	}
	return strings.Trim(rest, `'"`)
}

// clip bounds a value the page wrote.
func clip(value string) string {
	value = strings.TrimSpace(value)
	if len(value) > maxPolicyLength {
		return value[:maxPolicyLength]
	}
	return value
}
