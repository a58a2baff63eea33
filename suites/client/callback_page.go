package client

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mcpconform/mcpconform/mockclient"
)

// How the page at a client's redirect URI, whose URL carries the code and
// state, could hand them to other origins (RFC 9700 §4.2.1, §4.2.4), by
// the referrer policies of the Referrer Policy specification.

// fullURLPolicies send the page's whole URL, query and all, to other
// origins; no-referrer-when-downgrade too, as a loopback http page has
// nothing to downgrade from.
var fullURLPolicies = []string{"unsafe-url", "no-referrer-when-downgrade"}

// referrerPolicies are the policies browsers know: any other token is
// ignored.
var referrerPolicies = []string{"no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
	"strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"}

// legacyMetaPolicies are the older <meta name="referrer"> values HTML maps
// to policies ("default" to the browsers' default).
var legacyMetaPolicies = map[string]string{
	"never": "no-referrer", "default": defaultReferrerPolicy, "always": "unsafe-url",
	"origin-when-crossorigin": "origin-when-cross-origin",
}

// defaultReferrerPolicy is the browsers' policy for a page that sets none:
// only the origin goes to other origins.
const defaultReferrerPolicy = "strict-origin-when-cross-origin"

// documentPolicy is the policy page sets for the requests it starts: its
// last <meta name="referrer"> a browser knows, else the last token of its
// Referrer-Policy header a browser knows, else the default.
func documentPolicy(page mockclient.Page) string {
	meta := strings.ToLower(page.MetaReferrer)
	if legacy, ok := legacyMetaPolicies[meta]; ok {
		meta = legacy
	}
	if slices.Contains(referrerPolicies, meta) {
		return meta
	}
	policy := defaultReferrerPolicy
	for token := range strings.SplitSeq(page.ReferrerPolicy, ",") {
		if token = strings.TrimSpace(token); slices.Contains(referrerPolicies, token) {
			policy = token
		}
	}
	return policy
}

// referencePolicy is the policy of ref's request: its element's own when a
// browser knows it, else the page's.
func referencePolicy(ref mockclient.Reference, page mockclient.Page) string {
	if own := strings.ToLower(ref.ReferrerPolicy); slices.Contains(referrerPolicies, own) {
		return own
	}
	return documentPolicy(page)
}

// callbackPageLeaks says how page hands its URL to other origins: every
// resource of another origin it loads (a script reads the URL, and any
// request may carry it as Referer), and every link to another origin a
// policy lets the whole URL follow; none for a page that loads nothing
// from elsewhere and links out at most under a policy sending the origin.
func callbackPageLeaks(page mockclient.Page) []string {
	var out []string
	for _, ref := range page.CrossOrigin {
		policy := referencePolicy(ref, page)
		switch {
		case ref.Loads:
			out = append(out, fmt.Sprintf("it loads %s from %s", ref.Where, ref.Origin))
		case slices.Contains(fullURLPolicies, policy):
			out = append(out, fmt.Sprintf("its %s to %s sends the whole URL there under referrer policy %s", ref.Where, ref.Origin, policy))
		}
	}
	return out
}
