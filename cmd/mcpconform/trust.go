package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/mcpconform/mcpconform/mockserver/testissuer"
)

// trustFlags name the test issuer the target trusts, whose tokens the token
// claim checks mint.
type trustFlags struct {
	issuer, keyFile string
}

func (f *trustFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.issuer, "trusted-issuer", "", "loopback http URL of a test issuer the target is configured to trust "+
		"(e.g. "+testissuer.DefaultURL+"); served for the run, or used where `mcpconform mock as` serves it")
	fs.StringVar(&f.keyFile, "trusted-issuer-key", "", "PEM file of the trusted issuer's signing key, created when missing "+
		"(default: a fresh key each run, for targets that fetch the JWKS again on an unknown kid)")
}

// start returns the trusted issuer, serving, or nil when none is wanted.
// The bundled reference trusts one on a free port unless told otherwise.
func (f trustFlags) start(ctx context.Context, reference bool) (*testissuer.Issuer, error) {
	if f.issuer == "" && f.keyFile != "" {
		return nil, errors.New("--trusted-issuer-key needs --trusted-issuer")
	}
	issuerURL := f.issuer
	if issuerURL == "" {
		if !reference {
			return nil, nil
		}
		issuerURL = "http://127.0.0.1:0"
	}
	key, err := f.key()
	if err != nil {
		return nil, err
	}
	issuer, err := testissuer.New(issuerURL, key)
	if err != nil {
		return nil, err
	}
	if err := issuer.Attach(ctx); err != nil {
		return nil, err
	}
	return issuer, nil
}

func (f trustFlags) key() (*testissuer.Key, error) {
	if f.keyFile == "" {
		return testissuer.NewKey()
	}
	return testissuer.LoadKey(f.keyFile)
}

// describeIssuer tells the user what to configure the target with.
func describeIssuer(out io.Writer, issuer *testissuer.Issuer) {
	fmt.Fprintf(out, "trusted test issuer: %s (JWKS %s, metadata %s)\n", issuer.URL, issuer.JWKSURL(), issuer.MetadataURL())
}
