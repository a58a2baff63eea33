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
