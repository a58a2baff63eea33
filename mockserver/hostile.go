package mockserver

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"time"
)

// Hostile answers a client must survive: each is bounded by the request
// context, so Close (which cancels every request context) ends them.

// hang never answers. When the client goes away or the server closes, it
// drops the connection: returning normally would send an empty 200.
func hang(_ http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
	panic(http.ErrAbortHandler)
}

const (
	hugeBodySize  = 20 << 20
	hugeChunkSize = 64 << 10
)

// hugeChunk is hugeChunkSize bytes of "0,0,0,...,0," so the body stays a
// valid JSON array of numbers however many chunks are sent.
var hugeChunk = bytes.Repeat([]byte("0,"), hugeChunkSize/2)

// streamHugeJSON sends a JSON array of about 20 MiB without a length, in
// chunks. It stops as soon as the client goes away or the server closes, and
// then drops the connection so a cut body never looks complete.
func streamHugeJSON(w http.ResponseWriter, r *http.Request) {
	// A slow reader blocks a write; cancelling the request must unblock it.
	control := http.NewResponseController(w)
	stop := context.AfterFunc(r.Context(), func() { control.SetWriteDeadline(time.Now()) })
	defer stop()

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte("[")); err != nil {
		panic(http.ErrAbortHandler)
	}
	for sent := 0; sent < hugeBodySize; sent += len(hugeChunk) {
		if r.Context().Err() != nil {
			panic(http.ErrAbortHandler)
		}
		if _, err := w.Write(hugeChunk); err != nil {
			panic(http.ErrAbortHandler)
		}
	}
	w.Write([]byte("0]"))
}

// redirectTo answers 302 to the requested path and query on origin: the
// server's own origin makes a loop, the "localhost" name of the same socket
// is a different host for every origin comparison.
func redirectTo(origin string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, origin+r.URL.RequestURI(), http.StatusFound)
	}
}

// arrivedOffhost reports whether a request came in through the "localhost"
// name, i.e. a client followed an off-host redirect.
func arrivedOffhost(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	return strings.EqualFold(host, "localhost")
}
