package mockclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

// The browser strategy: headless Chromium is the user agent, so login
// pages that need JavaScript work too. It fills and submits forms by the
// form strategy's rules and stops the navigation to the redirect URI inside
// the browser: the code never leaves it for whatever listens on that port.
// One browser and one tab serve the whole run (a new tab costs up to a
// second), so a sign-in's session cookie holds for later authorizations, as
// in a person's browser.

// formSettle is how long a page without a form to submit is watched for a
// script to build one before it counts as where the authorization ended.
const formSettle = time.Second

type browserStrategy struct {
	path     string
	login    credentials
	timeout  time.Duration
	insecure bool

	mu      sync.Mutex
	browser context.Context // the running browser's tab; nil until the first authorization
	stop    context.CancelFunc
	output  cappedBuffer // Chromium's own output, for a failure to start
	busy    sync.Mutex   // one authorization at a time in the tab
}

// start runs the browser once for the whole run.
func (s *browserStrategy) start(c *Client) (context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.browser != nil {
		return s.browser, nil
	}
	s.output.limit = maxCommandOutput
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(s.path), chromedp.CombinedOutput(&s.output))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses root with its sandbox
	}
	if s.insecure {
		opts = append(opts, chromedp.IgnoreCertErrors)
	}
	allocator, stopAllocator := chromedp.NewExecAllocator(c.run, opts...)
	browser, stopBrowser := chromedp.NewContext(allocator)
	stop := func() { stopBrowser(); stopAllocator() }
	if err := chromedp.Do(browser); err != nil {
		stop()
		return nil, fmt.Errorf("mockclient: start the browser %s: %v: %s", s.path, err, c.RedactText(lastLines(s.output.String(), 5)))
	}
	s.browser, s.stop = browser, stop
	return browser, nil
}

// Close stops the browser.
func (s *browserStrategy) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop != nil {
		s.stop()
		s.browser, s.stop = nil, nil
	}
	return nil
}

func (s *browserStrategy) Authorize(ctx context.Context, c *Client, authorizationURL, redirectURI string) (*AuthorizationResult, error) {
	tab, err := s.start(c)
	if err != nil {
		return nil, err
	}
	s.busy.Lock()
	defer s.busy.Unlock()
	defer leavePage(tab)
	// Everything the trip starts in the tab ends with ctx.
	ctx, cancel := withCancelOf(ctx, tab, s.timeout)
	defer cancel()
	trip := &browserTrip{client: c, start: authorizationURL, redirectURI: redirectURI, password: s.login.password, timeout: s.timeout,
		out:    &AuthorizationResult{Response: &Response{}},
		landed: make(chan struct{}), loads: make(chan struct{}, 16), requests: map[network.RequestID]int{}}
	if err := chromedp.Listen(ctx, trip.observe); err != nil {
		return nil, s.failed(c, ctx, "open a tab", err)
	}
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	documents := []*fetch.RequestPattern{{URLPattern: "*", ResourceType: network.ResourceTypeDocument}}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: documents}); err != nil {
		return nil, s.failed(c, ctx, "intercept navigations", err)
	}
	go trip.release(ctx, paused)
	go chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: authorizationURL}) // the events tell how it went

	pages, signedIn, loaded := 0, false, false
	for {
		if !loaded {
			select {
			case <-trip.loads:
			case <-trip.landed:
			case <-ctx.Done():
				return trip.result(), c.waitError(ctx, "the browser", s.timeout)
			}
		}
		if trip.hasLanded() {
			return trip.result(), trip.stopped()
		}
		kind, err := trip.submitForm(ctx, s.login, !signedIn)
		loaded = kind == navigatedAway
		switch {
		case err != nil:
			return trip.result(), err
		case kind == navigatedAway:
			continue
		case kind == noForm:
			return trip.result(), nil // a page with nothing to submit, such as an error
		}
		if pages++; pages > maxFormPages {
			return trip.result(), fmt.Errorf("mockclient: no redirect to the client after %d forms", maxFormPages)
		}
		signedIn = signedIn || kind == loginForm
	}
}

// withCancelOf derives from the tab a context that ends after limit or
// with ctx, whichever comes first.
func withCancelOf(ctx, tab context.Context, limit time.Duration) (context.Context, context.CancelFunc) {
	trip, cancel := context.WithTimeout(tab, limit)
	stop := context.AfterFunc(ctx, cancel)
	return trip, func() { stop(); cancel() }
}

// leavePageTimeout bounds the navigation that ends an authorization.
const leavePageTimeout = 5 * time.Second

// leavePage ends whatever the tab was doing, so that nothing of one
// authorization reaches the next.
func leavePage(tab context.Context) {
	ctx, cancel := context.WithTimeout(tab, leavePageTimeout)
	defer cancel()
	chromedp.Do(ctx, chromedp.Navigate("about:blank"))
}

// failed explains an error of the browser itself, with the end of its
// output.
func (s *browserStrategy) failed(c *Client, ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		return c.waitError(ctx, "the browser", s.timeout)
	}
	return fmt.Errorf("mockclient: the browser could not %s: %v: %s", what, err, c.RedactText(lastLines(s.output.String(), 5)))
}

// browserTrip is one authorization in a tab: the documents it loaded, as
// evidence, and where it ended.
type browserTrip struct {
	client             *Client
	start, redirectURI string
	password           string
	timeout            time.Duration
	landed             chan struct{} // closed at the callback, or where the trip was stopped
	land               sync.Once
	loads              chan struct{}

	mu       sync.Mutex
	out      *AuthorizationResult
	requests map[network.RequestID]int // the exchange of each request's latest hop
	refused  error                     // why the trip was stopped, if it was
}

// observe records the documents the tab loads. It runs in the browser's
// event loop, so it only notes and signals: result redacts.
func (t *browserTrip) observe(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Type != network.ResourceTypeDocument {
			return
		}
		if i, ok := t.requests[ev.RequestID]; ok && ev.RedirectResponse != nil {
			t.answered(i, ev.RedirectResponse)
		}
		t.out.Response.Exchanges = append(t.out.Response.Exchanges, evidence.Exchange{
			Time: time.Now().UTC(), Method: ev.Request.Method, URL: ev.Request.URL,
		})
		t.requests[ev.RequestID] = len(t.out.Response.Exchanges) - 1
	case *network.EventResponseReceived:
		if i, ok := t.requests[ev.RequestID]; ok && ev.Type == network.ResourceTypeDocument {
			t.answered(i, ev.Response)
		}
	case *network.EventLoadingFailed:
		if i, ok := t.requests[ev.RequestID]; ok && ev.Type == network.ResourceTypeDocument {
			t.out.Response.Exchanges[i].Error = ev.ErrorText
		}
	case *page.EventLoadEventFired:
		select {
		case t.loads <- struct{}{}:
		default:
		}
	}
}

// answered notes a document's answer on its exchange and as the latest.
func (t *browserTrip) answered(i int, resp *network.Response) {
	header := http.Header{}
	for name, value := range resp.Headers {
		header.Add(name, fmt.Sprint(value))
	}
	ex := &t.out.Response.Exchanges[i]
	ex.Status, ex.ResponseHeaders = int(resp.Status), header
	ex.DurationMS = time.Since(ex.Time).Milliseconds()
	t.out.Response.Status, t.out.Response.Header, t.out.Response.URL = int(resp.Status), header, resp.URL
}

// release lets every paused document request go on, except the one to the
// redirect URI: its URL is the callback, and the tab gets a page saying so;
// and those the suite does not send (refusal): the trip stops there.
func (t *browserTrip) release(tab context.Context, paused iter.Seq2[fetch.EventRequestPaused, error]) {
	for ev, err := range paused {
		if err != nil {
			return
		}
		target, parseErr := url.Parse(ev.Request.URL)
		if parseErr == nil {
			if refused := t.refusal(target, ev.Request); refused != nil {
				t.mu.Lock()
				t.refused = refused
				t.mu.Unlock()
				t.land.Do(func() { close(t.landed) })
				chromedp.Call(tab, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
				continue
			}
		}
		if parseErr != nil || !sameEndpoint(target, t.redirectURI) {
			chromedp.Call(tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			continue
		}
		t.mu.Lock()
		t.out.Callback = target
		t.mu.Unlock()
		t.land.Do(func() { close(t.landed) })
		chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: http.StatusOK,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
			Body:            []byte("<!doctype html><title>mcpconform</title><p>mcpconform received the authorization response.</p>")})
	}
}

// refusal says why the tab may not load target, nil when it may: an
// origin the target never named, a link-local or metadata address (the
// Go client's dial guard does not see the browser's connections), or the
// password posted to an origin other than the login page's.
func (t *browserTrip) refusal(target *url.URL, req *network.Request) error {
	t.mu.Lock()
	page, _ := url.Parse(t.out.Response.URL) // the latest document: the login page, or its own origin's answer to the post
	t.mu.Unlock()
	from := page
	if from == nil || from.Host == "" {
		from, _ = url.Parse(t.start)
	}
	if ip, err := netip.ParseAddr(target.Hostname()); err == nil && refusedAddress(ip) && !t.client.egress.allowPrivate {
		return &NotRunError{Reason: fmt.Sprintf("the authorization step at %s led the browser to %s, a link-local or cloud metadata address (--allow-private-egress allows it)",
			t.client.redactor.URL(from.String()), t.client.redactor.URL(origin(target))), Err: ErrEgressRefused}
	}
	if !t.client.mayVisit(target, t.start, t.redirectURI) {
		return t.client.unnamedOrigin(from, target)
	}
	if page != nil && page.Host != "" && origin(target) != origin(page) && carriesPassword(req, t.password) {
		return fmt.Errorf("mockclient: the password of the login form at %s would go to another origin, %s: the suite does not send it there",
			origin(page), t.client.redactor.URL(origin(target)))
	}
	return nil
}

// carriesPassword reports whether the body of req holds password, as a
// form sends it.
func carriesPassword(req *network.Request, password string) bool {
	if password == "" || !req.HasPostData {
		return false
	}
	for _, entry := range req.PostDataEntries {
		if bytes.Contains(entry.Bytes, []byte(url.QueryEscape(password))) || bytes.Contains(entry.Bytes, []byte(password)) {
			return true
		}
	}
	return false
}

// stopped is why the trip was stopped before the redirect URI; nil when
// it was not.
func (t *browserTrip) stopped() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.refused
}

func (t *browserTrip) hasLanded() bool {
	select {
	case <-t.landed:
		return true
	default:
		return false
	}
}

// result is a redacted copy of where the trip is: the tab may still send
// events.
func (t *browserTrip) result() *AuthorizationResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.client.redactor
	if t.out.Callback != nil {
		r.Add(t.out.Callback.Query().Get("code"))
	}
	out := *t.out
	response := *t.out.Response
	response.Exchanges = slices.Clone(response.Exchanges)
	for i, ex := range response.Exchanges {
		response.Exchanges[i].URL, response.Exchanges[i].ResponseHeaders = r.URL(ex.URL), r.Header(ex.ResponseHeaders)
	}
	out.Response = &response
	return &out
}

// navigatedAway: the tab left the page before a form was found on it.
const navigatedAway formKind = -1

// submitForm fills and submits the page's form as the form strategy would;
// noForm when the page has none, after formSettle for a script to build
// one; navigatedAway when the tab left the page meanwhile. allowLogin false makes a login form an error: it came back after
// signing in.
func (t *browserTrip) submitForm(ctx context.Context, login credentials, allowLogin bool) (formKind, error) {
	args, err := json.Marshal([]any{login.username, login.password, allowLogin})
	if err != nil {
		return noForm, fmt.Errorf("mockclient: encode the credentials: %w", err)
	}
	settled := time.After(formSettle)
	for {
		found, err := chromedp.Run(ctx, chromedp.Evaluate[string](browserFillScript+".apply(null, "+string(args)+")"))
		if err != nil {
			if ctx.Err() != nil {
				return noForm, t.client.waitError(ctx, "the browser", t.timeout)
			}
			return noForm, fmt.Errorf("mockclient: the browser could not read the page: %w", err)
		}
		page := t.result().Response.URL
		switch found {
		case "login":
			return loginForm, nil
		case "identifier":
			return identifierForm, nil
		case "consent":
			return consentForm, nil
		case "credentials":
			return noForm, fmt.Errorf("mockclient: the login form at %s %w", t.client.redactor.URL(page), errNoCredentials)
		case "login-again":
			return noForm, fmt.Errorf("mockclient: the login form at %s came back after signing in: are MCPCONFORM_USERNAME and MCPCONFORM_PASSWORD right?", t.client.redactor.URL(page))
		}
		select {
		case <-t.landed:
			return navigatedAway, nil
		case <-t.loads:
			return navigatedAway, nil
		case <-settled:
			return noForm, nil
		case <-ctx.Done():
			return noForm, t.client.waitError(ctx, "the browser", t.timeout)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// browserFillScript follows the form strategy's rules (htmlform.go) in the
// page: the first login form, else the first username step, else the first
// consent form; the username in the last text field before the first
// password field, the password in every password field; the first button
// that does not decline pressed, or the form submitted. It answers what it
// submitted: login, identifier, consent; or none, credentials (missing),
// login-again (a login form when allowLogin is false).
const browserFillScript = `(function (username, password, allowLogin) {
  const declining = /deny|cancel|reject|decline|refuse|abort|disallow/i;
  const isText = e => e.tagName === 'INPUT' && (e.type === 'text' || e.type === 'email');
  const isPassword = e => e.tagName === 'INPUT' && e.type === 'password';
  const submits = f => Array.from(f.elements).filter(e =>
    (e.tagName === 'BUTTON' || e.tagName === 'INPUT') && (e.type === 'submit' || e.type === 'image'));
  const approve = f => submits(f).find(b => !declining.test([b.name, b.value, b.textContent].join(' ')));
  const kind = f => {
    const button = approve(f);
    if (!button && submits(f).length > 0) return '';
    const fields = Array.from(f.elements);
    if (fields.some(isPassword)) return 'login';
    const texts = fields.filter(isText).length;
    if (texts === 1) return 'identifier';
    if (texts === 0 && button) return 'consent';
    return '';
  };
  let form, found = 'none';
  for (const want of ['login', 'identifier', 'consent']) {
    form = Array.from(document.forms).find(f => kind(f) === want);
    if (form) { found = want; break; }
  }
  if (!form) return 'none';
  if (found === 'login' && !allowLogin) return 'login-again';
  const fields = Array.from(form.elements);
  let user = null;
  for (const e of fields) {
    if (isPassword(e)) break;
    if (isText(e)) user = e;
  }
  if ((found === 'login' && !password) || (user && !username)) return 'credentials';
  const set = (e, v) => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(e, v);
    e.dispatchEvent(new Event('input', {bubbles: true}));
    e.dispatchEvent(new Event('change', {bubbles: true}));
  };
  if (user) set(user, username);
  fields.filter(isPassword).forEach(e => set(e, password));
  const button = approve(form);
  if (button) button.click(); else form.requestSubmit();
  return found;
})`
