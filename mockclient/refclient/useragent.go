package refclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
)

// userAgent is step g: it takes the authorization URL to the user agent,
// $BROWSER when set (as MCP clients open the system browser), else the
// client's own headless one, and waits for the response at the callback.
func (f *flow) userAgent(ctx context.Context, authorizationURL string, cb *callback) (url.Values, error) {
	wait, cancel := context.WithTimeout(ctx, callbackWait)
	defer cancel()
	if browser := os.Getenv("BROWSER"); browser != "" {
		return f.externalBrowser(ctx, wait, browser, authorizationURL, cb)
	}
	f.logf("user agent: built in")
	resp, err := f.http.Browse(wait, authorizationURL)
	select {
	case response := <-cb.responses:
		return response, nil
	default:
	}
	if err != nil {
		return nil, fmt.Errorf("refclient: user agent: %w", err)
	}
	return nil, fmt.Errorf("refclient: user agent: the authorization ended at %s with status %d, not at the callback", resp.URL, resp.Status)
}

// externalBrowser runs browser with the authorization URL as its only
// argument. A launcher may exit at once, handing the URL to a running
// browser, so only a failure ends the wait early. The browser lives on
// after the callback, but not after ctx.
func (f *flow) externalBrowser(ctx, wait context.Context, browser, authorizationURL string, cb *callback) (url.Values, error) {
	f.logf("user agent: $BROWSER %s", browser)
	cmd := exec.CommandContext(ctx, browser, authorizationURL)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("refclient: user agent: $BROWSER: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		select {
		case response := <-cb.responses:
			return response, nil
		case err := <-exited:
			if err == nil {
				exited = nil
				continue
			}
			select {
			case response := <-cb.responses: // it got there, then failed
				return response, nil
			default:
			}
			return nil, fmt.Errorf("refclient: user agent: $BROWSER %s failed before the callback: %w", browser, err)
		case <-wait.Done():
			if errors.Is(wait.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("refclient: user agent: no authorization response at the callback within %s", callbackWait)
			}
			return nil, fmt.Errorf("refclient: user agent: %w", wait.Err())
		}
	}
}
