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

// callbackFaults are the reference client's faults at its callback page.
type callbackFaults struct {
	// openRedirect: client.callback.open-redirect.
	openRedirect bool
	// thirdPartyResources: client.callback.third-party-resources.
	thirdPartyResources bool
}

// thirdPartyScript is what client.callback.third-party-resources' page
// loads: a host under .test resolves nowhere, and a browser with nobody at
// it fetches no subresource anyway.
const thirdPartyScript = "https://analytics.mcpconform-thirdparty.test/t.js"

// loopbackIP is where the callback listens, and how a correct redirect URI
// names it (RFC 8252 §8.3: the IP literal, not localhost).
const loopbackIP = "127.0.0.1"

// listenForCallback listens on a free port of loopbackIP for responses at
// path; the redirect URI names the listener by host (loopbackIP, or a name
// that resolves to it).
func listenForCallback(ctx context.Context, host, path string, faults callbackFaults) (*callback, error) {
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
		if next := r.URL.Query().Get("next"); faults.openRedirect && next != "" {
			http.Redirect(w, r, next, http.StatusFound) // client.callback.open-redirect
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		if faults.thirdPartyResources {
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Referrer-Policy", "unsafe-url")
			io.WriteString(w, `<!DOCTYPE html><title>Signed in</title><script src="`+thirdPartyScript+`"></script>`+
				"<p>"+callbackPageText+"</p>\n")
			return
		}
		// The page's URL holds the code: it names no other origin, and no
		// request from it carries the URL away (RFC 9700 §4.2.4).
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Referrer-Policy", "no-referrer")
		io.WriteString(w, callbackPageText+"\n")
	})
	cb.server = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go cb.server.Serve(ln)
	return cb, nil
}

// callbackPageText is what the page at the callback says.
const callbackPageText = "The mcpconform reference client received the authorization response. You can close this window."

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
