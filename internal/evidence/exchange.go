// Package evidence records the HTTP exchanges a check makes, with secrets
// redacted before anything is stored, so every verdict can show its proof.
package evidence

import (
	"net/http"
	"slices"
	"time"
)

// Exchange is one recorded HTTP request and its response (or the error that
// replaced it). Headers and bodies are redacted and truncated when recorded.
type Exchange struct {
	Time            time.Time   `json:"time"`
	Method          string      `json:"method"`
	URL             string      `json:"url"`
	RequestHeaders  http.Header `json:"requestHeaders,omitempty"`
	RequestBody     string      `json:"requestBody,omitempty"`
	Status          int         `json:"status,omitempty"`
	ResponseHeaders http.Header `json:"responseHeaders,omitempty"`
	ResponseBody    string      `json:"responseBody,omitempty"`
	// Truncated says the recorded response body is a prefix of what was read.
	Truncated bool `json:"truncated,omitempty"`
	// HeadersTruncated says some response headers were left out or cut.
	HeadersTruncated bool   `json:"headersTruncated,omitempty"`
	DurationMS       int64  `json:"durationMs"`
	Error            string `json:"error,omitempty"`
}

// Key tells exchanges apart: a step's evidence is attached by every check
// that builds on it, sometimes twice, and has the same key each time.
func (e Exchange) Key() string {
	return e.Time.String() + e.Method + e.URL
}

// Redact is e with text applied to every string it recorded: the final pass
// with every secret the run learned, some of them only after e was recorded
// (a code in a redirect's body is known once the redirect is followed).
func (e Exchange) Redact(text func(string) string) Exchange {
	e.URL, e.RequestBody, e.ResponseBody, e.Error = text(e.URL), text(e.RequestBody), text(e.ResponseBody), text(e.Error)
	e.RequestHeaders, e.ResponseHeaders = redactHeaderValues(e.RequestHeaders, text), redactHeaderValues(e.ResponseHeaders, text)
	return e
}

func redactHeaderValues(h http.Header, text func(string) string) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			out[k] = append(out[k], text(v))
		}
	}
	return out
}

// LimitHeader is h cut to about max bytes of names and values, in name
// order so the cut is the same on every run; truncated says something was
// left out. A hostile target's megabytes of headers stay out of evidence.
func LimitHeader(h http.Header, max int) (limited http.Header, truncated bool) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	left := max
	for _, name := range names {
		for _, v := range h[name] {
			if left <= len(name) {
				return limited, true
			}
			left -= len(name)
			if len(v) > left {
				v, truncated = v[:left], true
			}
			left -= len(v)
			if limited == nil {
				limited = http.Header{}
			}
			limited[name] = append(limited[name], v)
		}
	}
	return limited, truncated
}
