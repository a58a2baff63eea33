package evidence

import (
	"sort"
	"strings"
)

// Curl renders the (already redacted) request as a curl command line that
// reproduces it once the redacted values are filled in.
func (e Exchange) Curl() string {
	var b strings.Builder
	b.WriteString("curl -sS -i")
	if e.Method != "" && e.Method != "GET" {
		b.WriteString(" -X " + e.Method)
	}
	keys := make([]string, 0, len(e.RequestHeaders))
	for k := range e.RequestHeaders {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if skipInCurl[k] {
			continue
		}
		for _, v := range e.RequestHeaders[k] {
			b.WriteString(" -H " + shellQuote(k+": "+v))
		}
	}
	if e.RequestBody != "" {
		b.WriteString(" --data-raw " + shellQuote(e.RequestBody))
	}
	b.WriteString(" " + shellQuote(e.URL))
	return b.String()
}

// Headers curl sets by itself.
var skipInCurl = map[string]bool{"User-Agent": true, "Accept-Encoding": true, "Content-Length": true}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
