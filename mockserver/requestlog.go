package mockserver

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// requestLog writes one line per request: method, path and status. The
// query is left out because clients may put tokens there.
type requestLog struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *requestLog) wrap(next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		// Deferred so that aborted answers (hangs, cut streams) are logged too.
		defer l.write(r, rec)
		next.ServeHTTP(rec, r)
	})
}

func (l *requestLog) write(r *http.Request, rec *statusRecorder) {
	status := "-" // the handler never answered (a hang)
	if rec.status != 0 {
		status = strconv.Itoa(rec.status)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s %s %s\n", r.Method, r.URL.Path, status)
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
