// Package testissuer is an authorization server whose one job is to be
// trusted: the MCP server under test is configured to accept its tokens, so
// the suite can mint exactly the token each check needs (expired, for
// another audience, from another issuer...), which a real authorization
// server will not issue on request.
//
// It publishes RFC 8414 metadata and a JWKS, issues nothing, and signs with
// an ES256 key kept in a file so that a target caching the JWKS keeps
// trusting it from one run to the next.
package testissuer

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	_ "crypto/sha256" // registers crypto.SHA256 for key thumbprints
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/mcpconform/mcpconform/internal/spec"
)

const (
	// DefaultURL is the issuer a target is told to trust when the user
	// names none: a fixed loopback address, so configuring it is one line.
	DefaultURL = "http://127.0.0.1:9400"
	// JWKSPath is where the JWKS lives below the issuer URL.
	JWKSPath = "/jwks"

	algorithm = jose.ES256
	tokenType = "at+jwt" // RFC 9068 §2.1
	// lifetime is how long a valid minted token lasts.
	lifetime = 5 * time.Minute
	// probeTimeout bounds the look at an issuer someone else serves.
	probeTimeout = 5 * time.Second
	maxJWKS      = 64 << 10
)

// Key is the issuer's signing key and the kid it is published under.
type Key struct {
	private *ecdsa.PrivateKey
	ID      string
}

// NewKey makes a fresh key; its kid is its RFC 7638 thumbprint.
func NewKey() (*Key, error) {
	private, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("testissuer: generate key: %w", err)
	}
	return keyOf(private)
}

func keyOf(private *ecdsa.PrivateKey) (*Key, error) {
	thumbprint, err := (&jose.JSONWebKey{Key: &private.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("testissuer: key thumbprint: %w", err)
	}
	return &Key{private: private, ID: base64.RawURLEncoding.EncodeToString(thumbprint)}, nil
}

// LoadKey reads the PKCS #8 PEM key at path, making and saving a fresh one
// (readable by its owner only) when there is no file.
func LoadKey(path string) (*Key, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("testissuer: key file: %w", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("testissuer: %s holds no PKCS #8 private key", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("testissuer: %s: %w", path, err)
	}
	private, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || private.Curve != elliptic.P256() {
		return nil, fmt.Errorf("testissuer: %s is not a P-256 key", path)
	}
	return keyOf(private)
}

func createKey(path string) (*Key, error) {
	key, err := NewKey()
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key.private)
	if err != nil {
		return nil, fmt.Errorf("testissuer: encode key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("testissuer: key file: %w", err)
	}
	if err := errors.Join(pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}), f.Close()); err != nil {
		return nil, fmt.Errorf("testissuer: write key file: %w", err)
	}
	return key, nil
}

// JWKS is the public half of the key as a JWK set.
func (k *Key) JWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &k.private.PublicKey, KeyID: k.ID, Algorithm: string(algorithm), Use: "sig",
	}}}
}

// Issuer is a test issuer at URL signing with its key; Close stops it when
// this process serves it.
type Issuer struct {
	URL string
	key *Key
	srv *http.Server
}

// ParseURL checks that issuer is an http(s) URL on a loopback host with an
// explicit port and no query or fragment: the suite serves it itself.
func ParseURL(issuer string) (*url.URL, error) {
	u, err := url.Parse(issuer)
	if err != nil {
		return nil, fmt.Errorf("testissuer: issuer URL: %w", err)
	}
	switch {
	case u.Scheme != "http":
		return nil, fmt.Errorf("testissuer: issuer %s: the test issuer serves plain http on loopback", issuer)
	case !spec.IsLoopbackHost(u.Hostname()):
		return nil, fmt.Errorf("testissuer: issuer %s is not on a loopback host", issuer)
	case u.Port() == "":
		return nil, fmt.Errorf("testissuer: issuer %s names no port", issuer)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return nil, fmt.Errorf("testissuer: issuer %s has a query, fragment or user info", issuer)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// New is the issuer at issuerURL with key, not yet served.
func New(issuerURL string, key *Key) (*Issuer, error) {
	u, err := ParseURL(issuerURL)
	if err != nil {
		return nil, err
	}
	return &Issuer{URL: u.String(), key: key}, nil
}

// JWKSURL is where the issuer publishes its key.
func (i *Issuer) JWKSURL() string { return i.URL + JWKSPath }

// MetadataURL is its RFC 8414 metadata URL (well-known part inserted
// before the issuer's path).
func (i *Issuer) MetadataURL() string {
	u, _ := url.Parse(i.URL) // parsed in New
	u.Path = "/.well-known/oauth-authorization-server" + u.Path
	return u.String()
}

// Handler serves the metadata and the JWKS.
func (i *Issuer) Handler() http.Handler {
	mux := http.NewServeMux()
	metadata := map[string]any{
		"issuer":                                i.URL,
		"jwks_uri":                              i.JWKSURL(),
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"none"},
		// It issues nothing: these name where it would.
		"authorization_endpoint": i.URL + "/authorize",
		"token_endpoint":         i.URL + "/token",
	}
	path := func(full string) string { u, _ := url.Parse(full); return u.Path }
	mux.HandleFunc("GET "+path(i.MetadataURL()), serveJSON(metadata))
	mux.HandleFunc("GET "+path(i.JWKSURL()), serveJSON(i.key.JWKS()))
	for _, endpoint := range []string{"/authorize", "/token"} {
		mux.HandleFunc(path(i.URL+endpoint), func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "testissuer: this issuer only signs tokens the test suite mints", http.StatusNotImplemented)
		})
	}
	return mux
}

func serveJSON(v any) http.HandlerFunc {
	body, err := json.Marshal(v)
	return func(w http.ResponseWriter, _ *http.Request) {
		if err != nil {
			http.Error(w, "testissuer: encode: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
}

// Serve makes the issuer answer at its URL until ctx ends or Close; port 0
// picks a free port and URL says which.
func (i *Issuer) Serve(ctx context.Context) error {
	u, _ := url.Parse(i.URL)
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", u.Host)
	if err != nil {
		return fmt.Errorf("testissuer: serve %s: %w", i.URL, err)
	}
	u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	i.URL = u.String()
	i.srv = &http.Server{Handler: i.Handler(), ReadHeaderTimeout: probeTimeout}
	go i.srv.Serve(ln)
	context.AfterFunc(ctx, func() { i.Close() })
	return nil
}

// Attach serves the issuer, or, when its address is taken by a test issuer
// publishing this very key (one `mcpconform mock as` serves), uses that.
func (i *Issuer) Attach(ctx context.Context) error {
	err := i.Serve(ctx)
	if err != nil && !errors.Is(err, syscall.EADDRINUSE) {
		return err
	}
	if err != nil {
		if publishErr := i.publishedElsewhere(ctx); publishErr != nil {
			return fmt.Errorf("%w (%w)", err, publishErr)
		}
	}
	return nil
}

// publishedElsewhere says whether the JWKS at the issuer's URL lists this
// issuer's key.
func (i *Issuer) publishedElsewhere(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, i.JWKSURL(), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("nothing answers at %s: %w", i.JWKSURL(), err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKS)).Decode(&set); err != nil || len(set.Key(i.key.ID)) == 0 {
		return fmt.Errorf("%s does not publish key %s: is `mcpconform mock as` running with another key file?", i.JWKSURL(), i.key.ID)
	}
	return nil
}

// Close stops serving; it does nothing when another process serves.
func (i *Issuer) Close() error {
	if i.srv == nil {
		return nil
	}
	return i.srv.Close()
}

// Token is what a minted access token says (RFC 9068 §2.2).
type Token struct {
	Issuer    string
	Audience  []string
	Scope     string
	Subject   string
	ClientID  string
	IssuedAt  time.Time
	NotBefore time.Time // zero: no nbf claim
	Expiry    time.Time
}

// Valid is a token a target trusting this issuer accepts for audience with
// scope: issued now, valid for five minutes.
func (i *Issuer) Valid(audience, scope string) Token {
	now := time.Now()
	return Token{Issuer: i.URL, Audience: []string{audience}, Scope: scope, Subject: "mcpconform-test-user",
		ClientID: "mcpconform", IssuedAt: now, Expiry: now.Add(lifetime)}
}

// Mint signs t with the issuer's key, published under its kid.
func (i *Issuer) Mint(t Token) (string, error) { return sign(i.key, t) }

// MintWithUnpublishedKey signs t with a fresh key the issuer never
// publishes, under a kid of its own.
func (i *Issuer) MintWithUnpublishedKey(t Token) (string, error) {
	key, err := NewKey()
	if err != nil {
		return "", err
	}
	return sign(key, t)
}

func sign(key *Key, t Token) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: algorithm, Key: jose.JSONWebKey{Key: key.private, KeyID: key.ID}},
		(&jose.SignerOptions{}).WithType(tokenType))
	if err != nil {
		return "", fmt.Errorf("testissuer: signer: %w", err)
	}
	id := make([]byte, 16)
	rand.Read(id)
	claims := struct {
		jwt.Claims
		Scope    string `json:"scope,omitempty"`
		ClientID string `json:"client_id,omitempty"`
	}{
		Claims: jwt.Claims{Issuer: t.Issuer, Subject: t.Subject, Audience: jwt.Audience(t.Audience),
			IssuedAt: jwt.NewNumericDate(t.IssuedAt), Expiry: jwt.NewNumericDate(t.Expiry),
			ID: base64.RawURLEncoding.EncodeToString(id)},
		Scope: t.Scope, ClientID: t.ClientID,
	}
	if !t.NotBefore.IsZero() {
		claims.NotBefore = jwt.NewNumericDate(t.NotBefore)
	}
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("testissuer: sign: %w", err)
	}
	return token, nil
}
