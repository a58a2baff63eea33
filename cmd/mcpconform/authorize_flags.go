package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/run"
)

// Secrets of the authorization step come from the environment, never from
// flags, which show in process lists and shell history.
const (
	usernameEnv     = "MCPCONFORM_USERNAME"
	passwordEnv     = "MCPCONFORM_PASSWORD"
	clientSecretEnv = "MCPCONFORM_CLIENT_SECRET"
	accessTokenEnv  = "MCPCONFORM_ACCESS_TOKEN"
)

// clientAuthMethods are the ways a configured client can authenticate.
var clientAuthMethods = []string{"none", "client_secret_basic", "client_secret_post"}

// authorizeFlags choose how the run gets through the authorization step
// and what it falls back on.
type authorizeFlags struct {
	strategy, command    string
	timeout              time.Duration
	clientID, clientAuth string
	allowedOrigins       []string
}

func (f *authorizeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.strategy, "authorize", mockclient.StrategyAuto, "how to get through the authorization step: "+
		strings.Join(mockclient.StrategyNames, ", ")+" (form and browser sign in as "+usernameEnv+" with "+passwordEnv+")")
	fs.StringVar(&f.command, "authorize-command", "", "with --authorize command: a shell command that completes an authorization; "+
		"it gets the authorization URL in $MCPCONFORM_AUTHORIZATION_URL and $1")
	fs.DurationVar(&f.timeout, "authorize-timeout", 0, "limit for one authorization by a browser, a command or a person "+
		fmt.Sprintf("(default %s, manual %s)", mockclient.DefaultStrategyTimeout, mockclient.DefaultManualTimeout))
	fs.StringVar(&f.clientID, "client-id", "", "a client registered in advance, used where the authorization server offers no "+
		"dynamic registration (its secret in "+clientSecretEnv+")")
	fs.StringSliceVar(&f.allowedOrigins, "allow-origin", nil, "an origin the authorization step may also visit, such as an "+
		"identity provider the authorization server sends users to (repeatable; by default only origins the target names)")
	fs.StringVar(&f.clientAuth, "client-auth", "", "how that client authenticates: "+strings.Join(clientAuthMethods, ", ")+
		" (default: none without a secret, client_secret_basic with one)")
}

// authorizeSettings are what the flags and the environment make of a run's
// authorization step.
type authorizeSettings struct {
	strategy       mockclient.Strategy
	allowedOrigins []string
	login          mockserver.LoginForm // what the bundled reference asks for
	client         mockclient.ClientAuth
	accessToken    string
}

// settings checks the flags against the environment and builds the
// strategy; prompt is where the manual strategy asks. For the bundled
// reference (bundled), form and browser sign in to a login page with the
// given credentials or, without any, with fresh ones.
func (f authorizeFlags) settings(prompt io.Writer, insecure, bundled bool) (*authorizeSettings, error) {
	s := &authorizeSettings{accessToken: os.Getenv(accessTokenEnv),
		client: mockclient.ClientAuth{ID: f.clientID, Method: f.clientAuth, Secret: os.Getenv(clientSecretEnv)}}
	if err := s.checkClient(); err != nil {
		return nil, &run.UsageError{Err: err}
	}
	for _, raw := range f.allowedOrigins {
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, &run.UsageError{Err: fmt.Errorf("--allow-origin %q is not an http or https URL", raw)}
		}
	}
	s.allowedOrigins = f.allowedOrigins
	username, password := os.Getenv(usernameEnv), os.Getenv(passwordEnv)
	signsIn := f.strategy == mockclient.StrategyForm || f.strategy == mockclient.StrategyBrowser
	if bundled && signsIn && username == "" && password == "" {
		username, password = "reference-user-"+rand.Text()[:6], rand.Text()
	}
	if bundled && username != "" && f.strategy != mockclient.StrategyAuto {
		s.login = mockserver.LoginForm{Username: username, Password: password, Scripted: f.strategy == mockclient.StrategyBrowser}
	}
	// Chromium cannot be given the bundled reference's CA, made at start for
	// a target in this process on loopback: it accepts that one unchecked.
	strategy, err := mockclient.NewStrategy(mockclient.StrategyConfig{Name: f.strategy, Username: username, Password: password,
		Command: f.command, Timeout: f.timeout, Prompt: prompt, InsecureSkipVerify: insecure || bundled})
	if err != nil {
		return nil, &run.UsageError{Err: err}
	}
	s.strategy = strategy
	return s, nil
}

// checkClient completes the configured client's method and refuses a
// client that cannot authenticate as configured.
func (s *authorizeSettings) checkClient() error {
	c := &s.client
	if c.ID == "" {
		if c.Method != "" || c.Secret != "" {
			return fmt.Errorf("--client-auth and %s need --client-id", clientSecretEnv)
		}
		return nil
	}
	if c.Method == "" {
		c.Method = "none"
		if c.Secret != "" {
			c.Method = "client_secret_basic"
		}
	}
	switch {
	case !slices.Contains(clientAuthMethods, c.Method):
		return fmt.Errorf("--client-auth %q is not one of %s", c.Method, strings.Join(clientAuthMethods, ", "))
	case c.Method == "none" && c.Secret != "":
		return fmt.Errorf("--client-auth none takes no secret, but %s is set", clientSecretEnv)
	case c.Method != "none" && c.Secret == "":
		return errors.New("--client-auth " + c.Method + " needs the client secret in " + clientSecretEnv)
	}
	return nil
}

// apply puts the settings into the run's configuration.
func (s *authorizeSettings) apply(cfg run.ServerConfig) run.ServerConfig {
	cfg.Authorize, cfg.Preregistered, cfg.AccessToken = s.strategy, s.client, s.accessToken
	cfg.AllowedOrigins = s.allowedOrigins
	cfg.Secrets = append(cfg.Secrets, s.login.Username, s.login.Password, os.Getenv(usernameEnv), os.Getenv(passwordEnv))
	return cfg
}
