package refclient

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// callbackPath is the redirect URI's path on the loopback listener;
// unlistedCallbackPath the one of client.cimd.unlisted-redirect.
const (
	callbackPath         = "/callback"
	unlistedCallbackPath = "/oauth/callback"
)

// maxCallbacks bounds the authorization responses a flow takes: a real one,
// and any an attacker slips in before it.
const maxCallbacks = 8

// callbackShutdownGrace bounds how long Close waits for the answer to the
// callback to reach the user agent.
const callbackShutdownGrace = 2 * time.Second

// callback is the loopback redirect URI of a native client (RFC 8252 §7.3):
// it hands every authorization response it receives over, in order; the
// flow decides which one answers its request.
type callback struct {
	server      *http.Server
	redirectURI string
	responses   chan url.Values
}

// loopbackIP is where the callback listens, and how a correct redirect URI
// names it (RFC 8252 §8.3: the IP literal, not localhost).
const loopbackIP = "127.0.0.1"

// listenForCallback listens on a free port of loopbackIP for responses at
// path; the redirect URI names the listener by host (loopbackIP, or a name
// that resolves to it).
func listenForCallback(ctx context.Context, host, path string, openRedirect bool) (*callback, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(loopbackIP, "0"))
	if err != nil {
		return nil, fmt.Errorf("refclient: callback: listen: %w", err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String()) // a listener's address always splits
	cb := &callback{redirectURI: "http://" + net.JoinHostPort(host, port) + path, responses: make(chan url.Values, maxCallbacks)}
	mux := http.NewServeMux() // answers 404 for every other path
	mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		select {
		case cb.responses <- r.URL.Query():
		default: // a flood: the flow has more than it will look at
		}
		if next := r.URL.Query().Get("next"); openRedirect && next != "" {
			http.Redirect(w, r, next, http.StatusFound) // client.callback.open-redirect
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		// The page's URL holds the code: no link may carry it away.
		h.Set("Referrer-Policy", "no-referrer")
		io.WriteString(w, "The mcpconform reference client received the authorization response. You can close this window.\n")
	})
	cb.server = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go cb.server.Serve(ln)
	return cb, nil
}

// Close lets the answer to the callback reach the user agent, then stops
// listening.
func (cb *callback) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), callbackShutdownGrace)
	defer cancel()
	if err := cb.server.Shutdown(ctx); err != nil {
		return cb.server.Close()
	}
	return nil
}
