package mockserver

import (
	"net/http"
	"sync/atomic"
)

// Busy is how a busy endpoint answers: a rate limit (429) or a server
// unavailable for a while (503), neither of which judges the request.
type Busy struct {
	Status     int    // 429 or 503
	RetryAfter string // the Retry-After header; none when empty
	// Alternate answers only every other request so, the first included;
	// else every request is.
	Alternate bool
}

// WithBusyTokenEndpoint makes the token endpoint answer as busy says.
func WithBusyTokenEndpoint(busy Busy) Option {
	return func(c *config) { c.busyToken = &busyState{Busy: busy} }
}

type busyState struct {
	Busy
	answered atomic.Int64
}

// answerBusy answers r as busy when b says so; it reports whether it
// answered. A nil b is never busy.
func (b *busyState) answerBusy(w http.ResponseWriter, r *http.Request) bool {
	if b == nil || (b.Alternate && b.answered.Add(1)%2 == 0) {
		return false
	}
	decide(r, "busy: %d", b.Status)
	if b.RetryAfter != "" {
		w.Header().Set("Retry-After", b.RetryAfter)
	}
	http.Error(w, http.StatusText(b.Status), b.Status)
	return true
}
