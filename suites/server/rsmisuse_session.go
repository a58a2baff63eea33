package server

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockclient"
)

// The steps the token misuse checks share: a token the MCP endpoint is
// shown to accept, the parts to forge variants of it from, and a tool call
// with a token lacking the scope the tool needs.

// StepUp names a tool that needs a scope beyond the one to connect with:
// the scope checks call it with a token lacking that scope.
type StepUp struct {
	Tool, Scope string
	Arguments   map[string]any
}

// ReferenceStepUp is the bundled reference's such tool, tried where a
// target names none and lists it.
var ReferenceStepUp = StepUp{Tool: "write_note", Scope: "mcp:write", Arguments: map[string]any{"text": "mcpconform scope probe"}}

// acceptedToken is the standard flow's access token with the proof that the
// MCP endpoint checks tokens at all: it refuses a request without one and
// serves this one. Only then does refusing a forgery of it mean something.
type acceptedToken struct {
	*flow
	Unauthenticated, Accepted *mockclient.Response
}

// Evidence is the flow and both MCP requests; nil-safe.
func (a *acceptedToken) Evidence() []evidence.Exchange {
	if a == nil {
		return nil
	}
	out := a.flow.Evidence()
	out = append(out, a.Unauthenticated.Evidence()...)
	return append(out, a.Accepted.Evidence()...)
}

// AcceptedToken runs the standard flow (or takes the configured token) and
// shows the MCP endpoint refusing a request without a token and serving
// that token, once per run.
func (s *Session) AcceptedToken(ctx context.Context) (*acceptedToken, error) {
	return s.accepted.Do(func() (*acceptedToken, error) {
		a := &acceptedToken{}
		var err error
		if a.flow, err = s.UsableToken(ctx); err != nil {
			return a, err
		}
		if a.Unauthenticated, err = s.discovery.Unauthenticated(ctx); err != nil {
			return a, err
		}
		if a.Unauthenticated.Status != http.StatusUnauthorized {
			return a, fmt.Errorf("server: the MCP endpoint answered %d to a request without a token, not 401", a.Unauthenticated.Status)
		}
		if a.Accepted, err = s.CallMCP(ctx, "Bearer "+a.AccessToken()); err != nil {
			return a, err
		}
		if a.Accepted.Status != http.StatusOK {
			return a, fmt.Errorf("server: the MCP endpoint answered %d to the access token its authorization server issued", a.Accepted.Status)
		}
		return a, nil
	})
}

// OtherResourceFlow runs the standard flow of the public client for the
// other resource the user named (--other-resource) instead of the MCP
// server. It is not run without one, or where the authorization server
// issues no token for it: then nothing shows how the MCP server treats it.
func (s *Session) OtherResourceFlow(ctx context.Context) (*flow, error) {
	if s.otherResource == "" {
		return nil, &mockclient.NotRunError{Reason: "no other resource named: --other-resource URL names a second resource " +
			"the authorization server issues tokens for"}
	}
	forOther := setParam("resource", s.otherResource)
	f := &flow{}
	var err error
	if f.Client, err = s.PublicClient(ctx); err != nil {
		return f, err
	}
	if f.Authorization, err = s.Authorize(ctx, f.Client, forOther); err != nil {
		return f, err
	}
	if _, err := f.Authorization.Code(); err != nil {
		return f, &mockclient.NotRunError{Reason: fmt.Sprintf("asked to authorize for --other-resource %s, the authorization server %s",
			s.otherResource, authorizationOutcome(f.Authorization))}
	}
	if f.OAuthAnswer, err = s.Redeem(ctx, f.Client, f.Authorization, forOther); err != nil {
		return f, err
	}
	if !accessTokenIssued(f.OAuthAnswer) {
		return f, &mockclient.NotRunError{Reason: fmt.Sprintf("the token endpoint answered %s to the code exchange for --other-resource %s",
			tokenOutcome(f.OAuthAnswer), s.otherResource)}
	}
	return f, nil
}

// CallMCPWithQueryToken sends an MCP initialize request with token in the
// access_token query parameter and no Authorization header.
func (s *Session) CallMCPWithQueryToken(ctx context.Context, token string) (*mockclient.Response, error) {
	target, err := url.Parse(s.discovery.MCPURL)
	if err != nil {
		return nil, fmt.Errorf("server: MCP URL: %w", err)
	}
	query := target.Query()
	query.Set("access_token", token)
	target.RawQuery = query.Encode()
	return s.client.Do(ctx, http.MethodPost, target.String(), mcpHeader(""), mockclient.InitializeRequest(s.discovery.Revision))
}

// mcpHeader is what every MCP POST carries, with the Authorization header
// value ("" for none).
func mcpHeader(authorization string) http.Header {
	header := http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json, text/event-stream"}}
	if authorization != "" {
		header.Set("Authorization", authorization)
	}
	return header
}

// issuedJWT is an access token as its authorization server issued it,
// split into its parts, so that a forgery changes exactly one thing.
type issuedJWT struct {
	header                        map[string]json.RawMessage
	encodedHeader, encodedPayload string
	signature                     string
	payload                       []byte
}

// parseIssuedJWT splits a compact JWS with a JSON header and JSON claims; ok
// is false for anything else, an opaque token.
func parseIssuedJWT(token string) (t *issuedJWT, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, false
	}
	t = &issuedJWT{encodedHeader: parts[0], encodedPayload: parts[1], signature: parts[2]}
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(header, &t.header) != nil {
		return nil, false
	}
	var claims map[string]json.RawMessage
	if t.payload, err = base64.RawURLEncoding.DecodeString(parts[1]); err != nil || json.Unmarshal(t.payload, &claims) != nil {
		return nil, false
	}
	return t, true
}

// headerString is a string member of the JOSE header, "" when absent.
func (t *issuedJWT) headerString(name string) string {
	var value string
	_ = json.Unmarshal(t.header[name], &value)
	return value
}

// Algorithm is the alg the authorization server signed with.
func (t *issuedJWT) Algorithm() string { return t.headerString("alg") }

// KeyID is the kid of the authorization server's key, "" when absent.
func (t *issuedJWT) KeyID() string { return t.headerString("kid") }

// Unsigned is the token with alg none and an empty signature; the header
// keeps only its typ.
func (t *issuedJWT) Unsigned() (string, error) {
	header := map[string]json.RawMessage{"alg": json.RawMessage(`"none"`)}
	if typ, ok := t.header["typ"]; ok {
		header["typ"] = typ
	}
	raw, err := json.Marshal(header)
	if err != nil {
		return "", fmt.Errorf("server: encode header: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw) + "." + t.encodedPayload + ".", nil
}

// SignedBy is the token's claims signed with key under alg, its header kept
// but for alg; with embedJWK the header carries key's public half in place
// of the kid.
func (t *issuedJWT) SignedBy(alg jose.SignatureAlgorithm, key any, embedJWK bool) (string, error) {
	opts := &jose.SignerOptions{EmbedJWK: embedJWK}
	for name, value := range t.header {
		if name == "alg" || name == "jwk" || (embedJWK && name == "kid") {
			continue
		}
		opts.WithHeader(jose.HeaderKey(name), value)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		return "", fmt.Errorf("server: signer: %w", err)
	}
	signed, err := signer.Sign(t.payload)
	if err != nil {
		return "", fmt.Errorf("server: sign: %w", err)
	}
	return signed.CompactSerialize()
}

// WithLongerLife is the token with its exp a day later and its header and
// signature as issued.
func (t *issuedJWT) WithLongerLife() (string, error) {
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(t.payload, &claims); err != nil {
		return "", fmt.Errorf("server: claims: %w", err)
	}
	expiry := time.Now().Unix() // kept when exp is absent or not an integer
	_ = json.Unmarshal(claims["exp"], &expiry)
	claims["exp"] = json.RawMessage(fmt.Sprint(expiry + int64((24 * time.Hour).Seconds())))
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("server: encode claims: %w", err)
	}
	return t.encodedHeader + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + t.signature, nil
}

// SignedByAttacker is the token's claims signed by a fresh key of the kind
// its issuer uses; with embedJWK the header carries that key.
func (t *issuedJWT) SignedByAttacker(embedJWK bool) (string, error) {
	alg, key, err := attackerKey(t.Algorithm())
	if err != nil {
		return "", err
	}
	return t.SignedBy(alg, key, embedJWK)
}

// attackerKey is a fresh key of the kind alg names and the algorithm to
// sign with: the authorization server's own where the suite can make such
// a key, else ES256.
func attackerKey(alg string) (jose.SignatureAlgorithm, crypto.Signer, error) {
	var key crypto.Signer
	var err error
	switch jose.SignatureAlgorithm(alg) {
	case jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case jose.ES384:
		key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case jose.ES512:
		key, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case jose.EdDSA:
		_, key, err = ed25519.GenerateKey(rand.Reader)
	default:
		alg = string(jose.ES256)
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		return "", nil, fmt.Errorf("server: generate a key: %w", err)
	}
	return jose.SignatureAlgorithm(alg), key, nil
}

// publishedKey is a signing key the authorization server publishes, as the
// PEM text of its PKIX form: what an HS256 confusion attack keys its MAC with.
type publishedKey struct {
	*mockclient.Response // the JWKS
	PEM                  []byte
}

// PublishedKey fetches the JWKS at jwksURI and returns the key named kid,
// or with no kid (or no key of that name) the first signing key.
func (s *Session) PublishedKey(ctx context.Context, jwksURI, kid string) (*publishedKey, error) {
	resp, err := s.client.Get(ctx, jwksURI, http.Header{"Accept": {"application/json"}})
	key := &publishedKey{Response: resp}
	if err != nil {
		return key, err
	}
	if resp.Status != http.StatusOK {
		return key, fmt.Errorf("server: the JWKS at %s answered %d", jwksURI, resp.Status)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(resp.Body, &set); err != nil {
		return key, fmt.Errorf("server: the JWKS at %s: %w", jwksURI, err)
	}
	candidates := set.Key(kid)
	if len(candidates) == 0 {
		candidates = slices.DeleteFunc(set.Keys, func(k jose.JSONWebKey) bool { return k.Use == "enc" })
	}
	if len(candidates) == 0 {
		return key, fmt.Errorf("server: the JWKS at %s has no signing key", jwksURI)
	}
	der, err := x509.MarshalPKIXPublicKey(candidates[0].Public().Key)
	if err != nil {
		return key, fmt.Errorf("server: encode the published key: %w", err)
	}
	key.PEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	return key, nil
}

// stepUpCall is a call of s.stepUpProbe.Tool with a token granted every advertised
// scope but s.stepUpProbe.Scope, in an MCP session opened with that token.
type stepUpCall struct {
	Grant        *flow
	Conversation *mcpConversation
	// Call is the answer to the tool call.
	Call *mockclient.Response
	// NotRun, when set, says why this target offers nothing to try.
	NotRun string
}

// Evidence is the grant, the MCP session and the call; nil-safe.
func (c *stepUpCall) Evidence() []evidence.Exchange {
	if c == nil {
		return nil
	}
	return append(c.Grant.Evidence(), c.Conversation.Evidence()...)
}

// StepUpCall obtains a token without s.stepUpProbe.Scope and calls s.stepUpProbe.Tool with
// it, once per run.
func (s *Session) StepUpCall(ctx context.Context) (*stepUpCall, error) {
	return s.stepUp.Do(func() (*stepUpCall, error) {
		c := &stepUpCall{}
		e, err := s.Endpoints(ctx)
		if err != nil {
			return c, err
		}
		scope := slices.DeleteFunc(strings.Fields(e.Scope), func(sc string) bool { return sc == s.stepUpProbe.Scope })
		c.Grant, err = s.CodeFlow(ctx, func(q url.Values) {
			if len(scope) == 0 {
				q.Del("scope")
			} else {
				q.Set("scope", strings.Join(scope, " "))
			}
		})
		if err != nil {
			return c, err
		}
		if slices.Contains(strings.Fields(c.Grant.String("scope")), s.stepUpProbe.Scope) {
			c.NotRun = "the authorization server granted " + s.stepUpProbe.Scope + " unasked: no token without it to try"
			return c, nil
		}
		if c.Conversation, err = s.openMCP(ctx, "Bearer "+c.Grant.AccessToken()); err != nil {
			return c, err
		}
		tools, err := c.Conversation.ToolNames(ctx)
		if err != nil {
			return c, err
		}
		if !slices.Contains(tools, s.stepUpProbe.Tool) {
			c.NotRun = "the server lists no " + s.stepUpProbe.Tool + " tool, the one known to need " + s.stepUpProbe.Scope +
				" (name one of its tools with --step-up-tool and --step-up-scope)"
			return c, nil
		}
		c.Call, err = c.Conversation.CallTool(ctx, s.stepUpProbe.Tool, s.stepUpProbe.Arguments)
		return c, err
	})
}

// mcpConversation is an MCP session as a client holds it after initialize:
// later requests carry the session ID and protocol version the server chose.
type mcpConversation struct {
	client                     *mockclient.Client
	url                        string // the MCP endpoint
	authorization              string
	sessionID, protocolVersion string
	lastID                     int
	responses                  []*mockclient.Response
}

// Evidence is every request of the session; nil-safe.
func (c *mcpConversation) Evidence() []evidence.Exchange {
	if c == nil {
		return nil
	}
	var out []evidence.Exchange
	for _, r := range c.responses {
		out = append(out, r.Evidence()...)
	}
	return out
}

// maxToolPages bounds how many tools/list pages a target can make the
// suite read.
const maxToolPages = 10

// openMCP initializes an MCP session with the given Authorization value.
func (s *Session) openMCP(ctx context.Context, authorization string) (*mcpConversation, error) {
	c := &mcpConversation{client: s.client, url: s.discovery.MCPURL, authorization: authorization, lastID: 1} // initialize is id 1
	var initialized struct {
		ProtocolVersion string `json:"protocolVersion"`
	}
	resp, err := c.request(ctx, "initialize", mockclient.InitializeRequest(s.discovery.Revision), &initialized)
	if err != nil {
		return c, err
	}
	c.sessionID = resp.Header.Get("Mcp-Session-Id")
	if s.discovery.Revision.AtLeast(spec.Rev20250618) {
		c.protocolVersion = initialized.ProtocolVersion
	}
	notified, err := c.post(ctx, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	if err != nil {
		return c, err
	}
	if notified.Status/100 != 2 {
		return c, fmt.Errorf("server: the MCP endpoint answered %d to notifications/initialized", notified.Status)
	}
	return c, nil
}

// last is the answer to the session's latest request; nil before any.
func (c *mcpConversation) last() *mockclient.Response {
	if len(c.responses) == 0 {
		return nil
	}
	return c.responses[len(c.responses)-1]
}

func (c *mcpConversation) nextID() int {
	c.lastID++
	return c.lastID
}

// post sends one JSON-RPC message in the session.
func (c *mcpConversation) post(ctx context.Context, body string) (*mockclient.Response, error) {
	header := mcpHeader(c.authorization)
	if c.sessionID != "" {
		header.Set("Mcp-Session-Id", c.sessionID)
	}
	if c.protocolVersion != "" {
		header.Set("MCP-Protocol-Version", c.protocolVersion)
	}
	resp, err := c.client.Do(ctx, http.MethodPost, c.url, header, body)
	c.responses = append(c.responses, resp)
	return resp, err
}

// request sends the JSON-RPC request body and decodes its result into
// result; method names it in errors.
func (c *mcpConversation) request(ctx context.Context, method, body string, result any) (*mockclient.Response, error) {
	resp, err := c.post(ctx, body)
	if err != nil {
		return resp, err
	}
	if resp.Status != http.StatusOK {
		return resp, fmt.Errorf("server: the MCP endpoint answered %d to %s", resp.Status, method)
	}
	return resp, rpcResult(resp, result)
}

// ToolNames lists the tools the server offers, following up to
// maxToolPages pages.
func (c *mcpConversation) ToolNames(ctx context.Context) ([]string, error) {
	var names []string
	params := map[string]any{}
	for range maxToolPages {
		body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.nextID(), "method": "tools/list", "params": params})
		if err != nil {
			return names, fmt.Errorf("server: encode tools/list: %w", err)
		}
		var page struct {
			Tools []struct {
				Name string `json:"name"`
			} `json:"tools"`
			NextCursor string `json:"nextCursor"`
		}
		if _, err := c.request(ctx, "tools/list", string(body), &page); err != nil {
			return names, err
		}
		for _, t := range page.Tools {
			names = append(names, t.Name)
		}
		if page.NextCursor == "" {
			break
		}
		params = map[string]any{"cursor": page.NextCursor}
	}
	return names, nil
}

// ListToolsWithoutToken sends tools/list in the session, its session ID
// and protocol version included, without the Authorization header.
func (c *mcpConversation) ListToolsWithoutToken(ctx context.Context) (*mockclient.Response, error) {
	held := c.authorization
	c.authorization = ""
	defer func() { c.authorization = held }()
	return c.post(ctx, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/list","params":{}}`, c.nextID()))
}

// rpcResult decodes the result of the JSON-RPC response in an answer sent
// as JSON or as a stream of server-sent events.
func rpcResult(resp *mockclient.Response, result any) error {
	messages := [][]byte{resp.Body}
	if resp.ContentType() == "text/event-stream" {
		messages = eventData(resp.Body)
	}
	for _, m := range messages {
		var reply struct {
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if json.Unmarshal(m, &reply) != nil {
			continue
		}
		if reply.Error != nil {
			return fmt.Errorf("server: JSON-RPC error %d: %s", reply.Error.Code, reply.Error.Message)
		}
		if reply.Result != nil {
			return json.Unmarshal(reply.Result, result)
		}
	}
	return errors.New("server: the MCP endpoint answered without a JSON-RPC response")
}

// eventData is the data of each event in a server-sent event stream.
func eventData(stream []byte) [][]byte {
	var events [][]byte
	var data []byte
	for line := range bytes.Lines(stream) {
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0 && data != nil:
			events, data = append(events, data), nil
		case bytes.HasPrefix(line, []byte("data:")):
			if data == nil {
				data = []byte{}
			} else {
				data = append(data, '\n')
			}
			data = append(data, bytes.TrimPrefix(bytes.TrimPrefix(line, []byte("data:")), []byte(" "))...)
		}
	}
	if data != nil {
		events = append(events, data)
	}
	return events
}
