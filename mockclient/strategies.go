package mockclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"
)

// How the suite gets through the authorization step, where a person
// usually signs in and consents. Each strategy takes the user agent from the
// authorization URL to the redirect back to the client, or to the page
// where the authorization server stopped (an error page), for the checks to
// judge.

// Strategy names, as --authorize takes them.
const (
	StrategyAuto    = "auto"
	StrategyForm    = "form"
	StrategyBrowser = "browser"
	StrategyCommand = "command"
	StrategyManual  = "manual"
)

// StrategyNames lists every strategy.
var StrategyNames = []string{StrategyAuto, StrategyForm, StrategyBrowser, StrategyCommand, StrategyManual}

// Strategy takes one authorization request to its end.
type Strategy interface {
	Authorize(ctx context.Context, c *Client, authorizationURL, redirectURI string) (*AuthorizationResult, error)
}

// How long one authorization may take by default: a browser or a command,
// and a person, who may have to find a second factor.
const (
	DefaultStrategyTimeout = 2 * time.Minute
	DefaultManualTimeout   = 10 * time.Minute
)

// StrategyConfig chooses and configures a strategy.
type StrategyConfig struct {
	Name string
	// Username and Password fill login forms (form and browser).
	Username, Password string
	// Command completes an authorization (command): run by sh -c with the
	// authorization URL in $MCPCONFORM_AUTHORIZATION_URL and $1.
	Command string
	// Timeout bounds one authorization of browser, command and manual;
	// DefaultStrategyTimeout (manual: DefaultManualTimeout) when zero.
	Timeout time.Duration
	// Prompt is where manual asks the person; io.Discard when nil.
	Prompt io.Writer
	// BrowserPath is the Chromium binary (browser); found on the PATH when
	// empty.
	BrowserPath string
	// InsecureSkipVerify makes the browser accept any certificate, as the
	// client does.
	InsecureSkipVerify bool
}

// NewStrategy makes the strategy cfg names. A strategy holding resources
// (a browser) implements io.Closer.
func NewStrategy(cfg StrategyConfig) (Strategy, error) {
	switch {
	case cfg.Timeout > 0:
	case cfg.Name == StrategyManual:
		cfg.Timeout = DefaultManualTimeout
	default:
		cfg.Timeout = DefaultStrategyTimeout
	}
	if cfg.Prompt == nil {
		cfg.Prompt = io.Discard
	}
	if cfg.Command != "" && cfg.Name != StrategyCommand {
		return nil, fmt.Errorf("mockclient: an authorization command needs the %s strategy, not %q", StrategyCommand, cfg.Name)
	}
	login := credentials{username: cfg.Username, password: cfg.Password}
	switch cfg.Name {
	case "", StrategyAuto:
		return Auto, nil
	case StrategyForm:
		return formStrategy{login}, nil
	case StrategyBrowser:
		path, err := browserPath(cfg.BrowserPath)
		if err != nil {
			return nil, err
		}
		return &browserStrategy{path: path, login: login, timeout: cfg.Timeout, insecure: cfg.InsecureSkipVerify}, nil
	case StrategyCommand:
		if cfg.Command == "" {
			return nil, fmt.Errorf("mockclient: the %s strategy needs a command to run", StrategyCommand)
		}
		return commandStrategy{command: cfg.Command, timeout: cfg.Timeout}, nil
	case StrategyManual:
		return Budget(manualStrategy{prompt: cfg.Prompt, timeout: cfg.Timeout}, 1, "the manual strategy authorizes once"), nil
	}
	return nil, fmt.Errorf("mockclient: unknown authorization strategy %q (one of %v)", cfg.Name, StrategyNames)
}

// Auto follows the authorization server's redirects to the redirect URI:
// for authorization servers that approve without a person (test mode).
var Auto Strategy = autoStrategy{}

type autoStrategy struct{}

func (autoStrategy) Authorize(ctx context.Context, c *Client, authorizationURL, redirectURI string) (*AuthorizationResult, error) {
	return c.walk(ctx, authorizationURL, redirectURI, nil)
}

// NotRunError marks a step the run's configuration cannot take, such as an
// authorization past the strategy's budget: it says nothing about the
// target, so the checks that need it are not run.
type NotRunError struct {
	Reason string
	Err    error // the cause, when there is one to test for
}

func (e *NotRunError) Error() string { return "mockclient: not run: " + e.Reason }
func (e *NotRunError) Unwrap() error { return e.Err }

// Budget lets n authorizations through s; every later one fails with a
// NotRunError giving reason.
func Budget(s Strategy, n int, reason string) Strategy {
	return &budget{next: s, left: n, reason: reason}
}

type budget struct {
	next   Strategy
	reason string
	mu     sync.Mutex
	left   int
}

func (b *budget) Authorize(ctx context.Context, c *Client, authorizationURL, redirectURI string) (*AuthorizationResult, error) {
	b.mu.Lock()
	spend := b.left > 0
	if spend {
		b.left--
	}
	b.mu.Unlock()
	if !spend {
		return nil, &NotRunError{Reason: b.reason}
	}
	return b.next.Authorize(ctx, c, authorizationURL, redirectURI)
}

// Limited reports whether s has a budget: the run should spend it where the
// most checks gain.
func Limited(s Strategy) bool {
	_, ok := s.(*budget)
	return ok
}

// CloseStrategy releases what s holds, if anything.
func CloseStrategy(s Strategy) error {
	if b, ok := s.(*budget); ok {
		s = b.next
	}
	if closer, ok := s.(io.Closer); ok {
		return closer.Close()
	}
	return nil
}

// credentials fill login forms.
type credentials struct{ username, password string }

// browserNames are the Chromium binaries the browser strategy looks for.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// browserPath is the Chromium to run: the one given, else the first found.
func browserPath(given string) (string, error) {
	if given != "" {
		path, err := exec.LookPath(given)
		if err != nil {
			return "", fmt.Errorf("mockclient: the browser strategy's browser %s: %w", given, err)
		}
		return path, nil
	}
	for _, name := range browserNames {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("mockclient: the browser strategy needs Chromium and found none on the PATH (Debian: apt-get install chromium)")
}

// AuthorizationLimited reports whether the client's strategy has a budget
// of authorizations.
func (c *Client) AuthorizationLimited() bool { return Limited(c.strategy) }
