package mockserver

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

// Event is one request the target received and what it decided: the
// evidence client-mode checks judge from. Secrets never reach it: the query
// is redacted and no header or body is kept.
type Event struct {
	Time     time.Time `json:"time"`
	Method   string    `json:"method"`
	Host     string    `json:"host"`
	Path     string    `json:"path"`
	Query    string    `json:"query,omitempty"`
	Status   int       `json:"status"` // 0: never answered (a hang)
	Decision string    `json:"decision,omitempty"`
}

// requestLog keeps every Event in order and, when asked, writes one line
// per request.
type requestLog struct {
	mu       sync.Mutex
	w        io.Writer
	events   []Event
	redactor evidence.Redactor
	capture  bool // WithRequestCapture
	captured []CapturedRequest
}

type decisionKey struct{}

// decide notes what the handler decided about r; the notes of one request
// are joined in its Event. Say why, never echo a secret.
func decide(r *http.Request, format string, args ...any) {
	if notes, ok := r.Context().Value(decisionKey{}).(*[]string); ok {
		*notes = append(*notes, fmt.Sprintf(format, args...))
	}
}

func (l *requestLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		notes := &[]string{}
		r = r.WithContext(context.WithValue(r.Context(), decisionKey{}, notes))
		ev := Event{Time: time.Now().UTC(), Method: r.Method, Host: r.Host, Path: r.URL.Path}
		var captured *CapturedRequest
		if l.capture {
			c := capture(r)
			captured = &c
		}
		if r.URL.RawQuery != "" {
			ev.Query = strings.TrimPrefix(l.redactor.URL("?"+r.URL.RawQuery), "?")
		}
		// Deferred so that aborted answers (hangs, cut streams) are logged too.
		defer func() {
			ev.Status, ev.Decision = rec.status, strings.Join(*notes, "; ")
			if captured != nil {
				captured.Challenges = rec.Header().Values("WWW-Authenticate")
			}
			l.add(ev, captured)
		}()
		next.ServeHTTP(rec, r)
	})
}

func (l *requestLog) add(ev Event, captured *CapturedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, ev)
	if captured != nil && len(l.captured) < maxCapturedRequests {
		captured.Status, captured.Decision = ev.Status, ev.Decision
		l.captured = append(l.captured, *captured)
	}
	if l.w == nil {
		return
	}
	status := "-"
	if ev.Status != 0 {
		status = strconv.Itoa(ev.Status)
	}
	line := fmt.Sprintf("%s %s %s", ev.Method, ev.Path, status)
	if ev.Decision != "" {
		line += " " + ev.Decision
	}
	fmt.Fprintln(l.w, line)
}

// Events returns every request received so far, in order.
func (s *Server) Events() []Event {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return append([]Event(nil), s.log.events...)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes, write
// deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
