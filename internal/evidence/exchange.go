// Package evidence records the HTTP exchanges a check makes, with secrets
// redacted before anything is stored, so every verdict can show its proof.
package evidence

import (
	"net/http"
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
	Truncated  bool   `json:"truncated,omitempty"`
	DurationMS int64  `json:"durationMs"`
	Error      string `json:"error,omitempty"`
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
