package refclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"

	"github.com/mcpconform/mcpconform/internal/fault"
)

// answerCheck takes an authorization response for the pending request and
// returns its code, or says why the response does not answer it.
type answerCheck func(url.Values) (code string, err error)

// userAgent is step g: it takes the authorization URL to the user agent,
// $BROWSER when set (as MCP clients open the system browser), else the
// client's own headless one, and waits at the callback for the response
// that answers the request. Responses that do not (an attacker's injected
// one, say) are passed over; when the user agent is done and none did, the
// last one's problem is the answer.
func (f *flow) userAgent(ctx context.Context, authorizationURL string, cb *callback, check answerCheck) (string, error) {
	wait, cancel := context.WithTimeout(ctx, callbackWait)
	defer cancel()
	w := &callbackWaiter{cb: cb, check: check, flow: f}
	if browser := os.Getenv("BROWSER"); browser != "" {
		return f.externalBrowser(ctx, wait, browser, authorizationURL, w)
	}
	f.logf("user agent: built in")
	resp, err := f.http.Browse(wait, authorizationURL)
	if code, answered, checkErr := w.drain(); answered || checkErr != nil {
		return code, checkErr
	}
	if err != nil {
		return "", fmt.Errorf("refclient: user agent: %w", err)
	}
	return "", fmt.Errorf("refclient: user agent: the authorization ended at %s with status %d, not at the callback", resp.URL, resp.Status)
}

// externalBrowser runs browser with the authorization URL as its only
// argument. A launcher may exit at once, handing the URL to a running
// browser, so only a failure, or responses none of which answered, end the
// wait early. The browser lives on after the callback, but not after ctx.
func (f *flow) externalBrowser(ctx, wait context.Context, browser, authorizationURL string, w *callbackWaiter) (string, error) {
	f.logf("user agent: $BROWSER %s", browser)
	cmd := exec.CommandContext(ctx, browser, authorizationURL)
	if f.has(fault.ClientBrowserThroughShell) {
		cmd = exec.CommandContext(ctx, "/bin/sh", "-c", browser+" '"+authorizationURL+"'")
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("refclient: user agent: $BROWSER: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		select {
		case response := <-w.cb.responses:
			if code, err := w.take(response); err == nil || errors.Is(err, errFlowAbandoned) {
				return code, err
			}
		case err := <-exited:
			exited = nil
			if code, answered, checkErr := w.drain(); answered || checkErr != nil {
				return code, checkErr
			}
			if err != nil {
				return "", fmt.Errorf("refclient: user agent: $BROWSER %s failed before the callback: %w", browser, err)
			}
		case <-wait.Done():
			if errors.Is(wait.Err(), context.DeadlineExceeded) {
				return "", fmt.Errorf("refclient: user agent: no authorization response at the callback within %s", callbackWait)
			}
			return "", fmt.Errorf("refclient: user agent: %w", wait.Err())
		}
	}
}

// callbackWaiter judges the responses arriving at the callback.
type callbackWaiter struct {
	cb       *callback
	check    answerCheck
	flow     *flow
	rejected error // why the last response that did not answer was passed over
}

// errFlowAbandoned ends the wait: under client.callback.abort-on-error the
// first error response ends the flow, whatever its state.
var errFlowAbandoned = errors.New("refclient: the flow ended on an error response at the callback")

// take judges one response, remembering why it was passed over.
func (w *callbackWaiter) take(response url.Values) (string, error) {
	if response.Has("error") && w.flow.has(fault.ClientCallbackAbortOnError) {
		w.flow.logf("callback: error %q; ending the flow before comparing state (fault %s)", response.Get("error"), fault.ClientCallbackAbortOnError)
		return "", errFlowAbandoned
	}
	code, err := w.check(response)
	if err != nil {
		w.flow.logf("callback: passing over a response: %v", err)
		w.rejected = err
	}
	return code, err
}

// drain judges the responses already received: the code of the first that
// answers the request (answered), else why the last did not, else nothing;
// an abandoned flow (client.callback.abort-on-error) ends it at once.
func (w *callbackWaiter) drain() (code string, answered bool, err error) {
	for {
		select {
		case response := <-w.cb.responses:
			switch code, err := w.take(response); {
			case err == nil:
				return code, true, nil
			case errors.Is(err, errFlowAbandoned):
				return "", false, err
			}
		default:
			return "", false, w.rejected
		}
	}
}
