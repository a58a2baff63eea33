package mockclient

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

// The OAuth steps of an MCP client, each one a request the suite can send
// as a conforming client would or bent to probe the server. Every answer is
// returned raw (status, OAuth error code) for the checks to judge.

// OAuthAnswer is an OAuth endpoint's JSON answer.
type OAuthAnswer struct {
	*Response
	// Members of the JSON object body; nil when the body was not one.
	Members map[string]json.RawMessage
}

// Error is the OAuth error code of the answer ("" when there is none).
func (a *OAuthAnswer) Error() string {
	var code string
	if a != nil && a.Members != nil {
		json.Unmarshal(a.Members["error"], &code)
	}
	return code
}

// String reads a string member.
func (a *OAuthAnswer) String(name string) string {
	var v string
	if a != nil && a.Members != nil {
		json.Unmarshal(a.Members[name], &v)
	}
	return v
}

// Evidence is the exchange behind the answer; nil-safe.
func (a *OAuthAnswer) Evidence() []evidence.Exchange {
	if a == nil {
		return nil
	}
	return a.Response.Evidence()
}

// Register sends an RFC 7591 registration request with the given client
// metadata, with initialAccessToken as Bearer credential when not empty.
func (c *Client) Register(ctx context.Context, endpoint string, metadata map[string]any, initialAccessToken string) (*OAuthAnswer, error) {
	body, err := json.Marshal(metadata)
	if err != nil {
		return nil, fmt.Errorf("mockclient: encode client metadata: %w", err)
	}
	header := http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}
	if initialAccessToken != "" {
		header.Set("Authorization", "Bearer "+initialAccessToken)
	}
	answer, err := c.oauthJSON(ctx, http.MethodPost, endpoint, header, string(body))
	if err == nil {
		c.redactor.AddClient(answer.String("client_id"), answer.String("client_secret"))
		c.redactor.Add(answer.String("registration_access_token"))
	}
	return answer, err
}

// ClientAuth is how a token request authenticates its client.
type ClientAuth struct {
	Method string // none, client_secret_basic, client_secret_post or private_key_jwt
	ID     string
	Secret string
	// Assertion is private_key_jwt's signed JWT, which names the client
	// itself (RFC 7523 §2.2, §3).
	Assertion string
	// AssertionType is its client_assertion_type; ClientAssertionTypeJWT
	// when empty.
	AssertionType string
}

// ClientAssertionTypeJWT is the client_assertion_type of a JWT client
// assertion (RFC 7523 §2.2).
const ClientAssertionTypeJWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// TokenRequest posts form to the token endpoint, authenticating as auth.
func (c *Client) TokenRequest(ctx context.Context, endpoint string, form url.Values, auth ClientAuth) (*OAuthAnswer, error) {
	form = cloneValues(form)
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"}}
	switch auth.Method {
	case "client_secret_basic":
		c.redactor.AddClient(auth.ID, auth.Secret) // a target may echo the credentials
		// RFC 6749 §2.3.1: both parts form-urlencoded before Basic encoding.
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString(
			[]byte(url.QueryEscape(auth.ID)+":"+url.QueryEscape(auth.Secret))))
	case "client_secret_post":
		form.Set("client_id", auth.ID)
		form.Set("client_secret", auth.Secret)
	case "private_key_jwt":
		form.Set("client_assertion_type", cmp.Or(auth.AssertionType, ClientAssertionTypeJWT))
		form.Set("client_assertion", auth.Assertion)
	default:
		if auth.ID != "" {
			form.Set("client_id", auth.ID)
		}
	}
	answer, err := c.oauthJSON(ctx, http.MethodPost, endpoint, header, form.Encode())
	if err == nil {
		c.redactor.Add(answer.String("access_token"), answer.String("refresh_token"))
	}
	return answer, err
}

func (c *Client) oauthJSON(ctx context.Context, method, endpoint string, header http.Header, body string) (*OAuthAnswer, error) {
	resp, err := c.Do(ctx, method, endpoint, header, body)
	answer := &OAuthAnswer{Response: resp}
	if err != nil {
		return answer, err
	}
	answer.Members, _ = ParseDocument(resp.Body)
	return answer, nil
}

// AuthorizationResult is where an authorization request ended: the redirect
// to the client's redirect URI, or an answer that was not one.
type AuthorizationResult struct {
	Response *Response
	// Callback is the redirect to the redirect URI, with its parameters;
	// nil when the server answered otherwise (an error page, say).
	Callback *url.URL
}

// Params are the callback's query parameters (code, state, iss or error).
func (r *AuthorizationResult) Params() url.Values {
	if r == nil || r.Callback == nil {
		return nil
	}
	return r.Callback.Query()
}

// Evidence is every hop of the authorization request; nil-safe.
func (r *AuthorizationResult) Evidence() []evidence.Exchange {
	if r == nil {
		return nil
	}
	return r.Response.Evidence()
}

// Authorize sends the authorization request and takes it, with the
// client's strategy (Auto unless Options.Authorize names another), to the
// redirect back to redirectURI or to the answer where it stopped.
func (c *Client) Authorize(ctx context.Context, authorizationURL, redirectURI string) (*AuthorizationResult, error) {
	return c.strategy.Authorize(ctx, c, authorizationURL, redirectURI)
}

// ErrNoCode: the authorization did not end in a callback with a code.
var ErrNoCode = errors.New("authorization did not return a code")

// Code returns the authorization code of a callback, or why there is none.
func (r *AuthorizationResult) Code() (string, error) {
	params := r.Params()
	switch {
	case r == nil:
		return "", fmt.Errorf("mockclient: %w: no authorization request was sent", ErrNoCode)
	case params == nil && r.Response.Status == 0:
		return "", fmt.Errorf("mockclient: %w: the user agent was not sent back to the client", ErrNoCode) // a command's or a person's
	case params == nil:
		return "", fmt.Errorf("mockclient: %w: answered %d without redirecting to the client", ErrNoCode, r.Response.Status)
	case params.Get("error") != "":
		return "", fmt.Errorf("mockclient: %w: error=%s %s", ErrNoCode, params.Get("error"), params.Get("error_description"))
	case params.Get("code") == "":
		return "", fmt.Errorf("mockclient: %w: the callback has no code", ErrNoCode)
	}
	return params.Get("code"), nil
}

// sameEndpoint compares a redirect target with the redirect URI, ignoring
// the query the server added.
func sameEndpoint(target *url.URL, redirectURI string) bool {
	want, err := url.Parse(redirectURI)
	if err != nil {
		return false
	}
	return strings.EqualFold(target.Scheme, want.Scheme) && strings.EqualFold(target.Host, want.Host) && target.Path == want.Path
}

// NewVerifier makes a PKCE code verifier (RFC 7636 §4.1): 43 characters.
func NewVerifier() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// S256 is the RFC 7636 §4.2 S256 challenge of verifier.
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// AuthorizationURL adds params to the authorization endpoint URL.
func AuthorizationURL(endpoint string, params url.Values) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("mockclient: authorization endpoint %q: %w", endpoint, err)
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
