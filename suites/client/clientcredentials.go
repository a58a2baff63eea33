package client

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// The machine client the client credentials scenarios' authorization server
// knows, as MCP's OAuth client credentials extension has it: registered in
// advance, for the client_credentials grant alone.
const (
	machineClientID     = "mcpconform-machine-client"
	machineClientSecret = "mcpconform-machine-client-secret"
	grantClientCreds    = "client_credentials"
	// assertionTypeJWT is the client_assertion_type of a JWT client
	// assertion (RFC 7523 §2.2).
	assertionTypeJWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// assertionLeeway is the clock skew tolerated in a client assertion's
	// times, as the official conformance suite tolerates it.
	assertionLeeway = 30 * time.Second
)

const (
	scenarioCCBasic = "auth/client-credentials-basic"
	scenarioCCJWT   = "auth/client-credentials-jwt"
)

// clientCredentialsScenarios give the client credentials of its own, as the
// official conformance suite's scenarios of the same names do, from
// 2025-11-25, the first revision to refer to the extensions.
var clientCredentialsScenarios = []Scenario{
	{Name: scenarioCCBasic, Since: spec.Rev20251125,
		Description: "a machine client with a client secret (client_id and client_secret in the context); the authorization " +
			"server lists the client_credentials grant and client_secret_basic alone",
		Options: machineServer(mockserver.Client{ID: machineClientID, Secret: machineClientSecret}, "client_secret_basic"),
		Context: map[string]any{"client_id": machineClientID, "client_secret": machineClientSecret}},
	{Name: scenarioCCJWT, Since: spec.Rev20251125,
		Description: "a machine client with a private key made for the run (client_id, private_key_pem and signing_algorithm " +
			"ES256 in the context), its public key registered; the authorization server lists the client_credentials grant " +
			"and private_key_jwt alone",
		Prepare: machineClientKey},
}

// machineServer is an authorization server that knows c, for the client
// credentials grant alone, authenticating by method.
func machineServer(c mockserver.Client, method string) []mockserver.Option {
	c.AuthMethod, c.GrantTypes = method, []string{grantClientCreds}
	return []mockserver.Option{mockserver.WithClient(c), mockserver.WithoutDynamicRegistration(), mockserver.WithClientCredentialsOnly(method)}
}

// machineClientKey makes the machine client's ES256 key pair for one run:
// the authorization server gets the public key, the client the private key
// as PKCS #8 PEM.
func machineClientKey() ([]mockserver.Option, map[string]any, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("client: generate the machine client's key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("client: encode the machine client's key: %w", err)
	}
	jwks := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, Algorithm: string(jose.ES256), Use: "sig"}}}
	context := map[string]any{
		"client_id":         machineClientID,
		"private_key_pem":   string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"signing_algorithm": string(jose.ES256),
	}
	return machineServer(mockserver.Client{ID: machineClientID, JWKS: jwks}, "private_key_jwt"), context, nil
}

func describeClientCredentials(s *Session) {
	Describe("Client credentials", func() {
		It("asks for its token with the client_credentials grant", check.ID("CL-CC-001"), func() {
			for _, o := range s.machineRuns(scenarioCCBasic, scenarioCCJWT) {
				for i, r := range o.TokenRequests() {
					if grant := r.Form().Get("grant_type"); grant != grantClientCreds {
						Fail(fmt.Sprintf("in %s token request %d names grant_type %q: a client given credentials of its own by an "+
							"authorization server for machine clients asks with grant_type client_credentials (OAuth 2.1 §4.2, "+
							"MCP OAuth client credentials extension)", o.Scenario.Name, i+1, grant))
					}
				}
			}
		})

		It("sends no authorization request when it holds client credentials", check.ID("CL-CC-002"), func() {
			for _, o := range s.machineRuns(scenarioCCBasic, scenarioCCJWT) {
				expectNone(o.AuthorizationRequests(), "authorization", fmt.Sprintf("in %s the client holds credentials of its own "+
					"and the client credentials grant needs no user: it should send no authorization request, which puts a "+
					"browser in front of a user who may not be there (MCP OAuth client credentials extension, RFC 6749 §4.4)",
					o.Scenario.Name))
			}
		})

		It("authenticates with its client secret by HTTP Basic", check.ID("CL-CC-003"), func() {
			o := s.machineRuns(scenarioCCBasic)[0]
			id, _ := o.Context["client_id"].(string)
			secret, _ := o.Context["client_secret"].(string)
			for i, r := range o.TokenRequests() {
				if problem := basicAuthProblem(r, id, secret); problem != "" {
					Fail(fmt.Sprintf("in %s token request %d %s: the authorization server lists client_secret_basic alone, so a "+
						"client with a client secret authenticates by HTTP Basic with its client_id and client_secret, and by "+
						"nothing else (OAuth 2.1 §2.4.1, RFC 8414 §2, MCP OAuth client credentials extension)", o.Scenario.Name, i+1, problem))
				}
			}
		})

		It("names the JWT bearer client assertion type", check.ID("CL-CC-004"), func() {
			o := s.machineRuns(scenarioCCJWT)[0]
			for i, r := range o.TokenRequests() {
				form := r.Form()
				got, assertion := form.Get("client_assertion_type"), form.Get("client_assertion")
				if got != assertionTypeJWT || assertion == "" {
					missing := ""
					if assertion == "" {
						missing = " and no client_assertion"
					}
					Fail(fmt.Sprintf("in %s token request %d has client_assertion_type %q%s: a client authenticating by a JWT "+
						"sends it in client_assertion with client_assertion_type %s (RFC 7523 §2.2)",
						o.Scenario.Name, i+1, got, missing, assertionTypeJWT))
				}
			}
		})

		It("makes its client_id the iss and sub of its client assertion", check.ID("CL-CC-005"), func() {
			o, assertions := s.clientAssertions()
			id, _ := o.Context["client_id"].(string)
			for _, a := range assertions {
				if a.claims.Issuer != id || a.claims.Subject != id {
					Fail(fmt.Sprintf("in %s the client assertion of token request %d has iss %q and sub %q: both must be the "+
						"client_id %q (RFC 7523 §3)", o.Scenario.Name, a.request, a.claims.Issuer, a.claims.Subject, id))
				}
			}
		})

		It("addresses its client assertion to the authorization server and bounds it with exp", check.ID("CL-CC-006"), func() {
			o, assertions := s.clientAssertions()
			for _, a := range assertions {
				if problem := a.audienceOrTimeProblem(o.Issuer, o.Endpoints.Token); problem != "" {
					Fail(fmt.Sprintf("in %s the client assertion of token request %d %s (RFC 7523 §3)", o.Scenario.Name, a.request, problem))
				}
			}
		})

		It("signs its client assertion with the private key it was given", check.ID("CL-CC-007"), func() {
			o := s.machineRuns(scenarioCCJWT)[0]
			public, algorithm, err := contextPublicKey(o.Context)
			if err != nil {
				Fail(err.Error()) // the scenario's own context: a bug of mcpconform's
			}
			for i, r := range o.TokenRequests() {
				raw := r.Form().Get("client_assertion")
				if raw == "" {
					continue // CL-CC-004 judges a request without one
				}
				parsed, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{algorithm})
				if err == nil {
					err = parsed.Claims(public, &jwt.Claims{})
				}
				if err != nil {
					Fail(fmt.Sprintf("in %s the client assertion of token request %d does not verify as a JWT signed with %s by "+
						"the public key of the private key the context gave (%v): it must be signed with that key (RFC 7523 §3, "+
						"MCP OAuth client credentials extension)", o.Scenario.Name, i+1, algorithm, err))
				}
			}
		})
	})
}

// machineRuns are the observations of the named client credentials scenarios
// in which the client sent a token request: it took the extension up there.
// A client that did in none is not judged: the extension is optional.
func (s *Session) machineRuns(names ...string) []*Observation {
	var out []*Observation
	var endings []string
	for _, name := range names {
		o := check.Need(s.Observe(name))
		if len(o.TokenRequests()) == 0 {
			endings = append(endings, name+": "+o.Ending())
			continue
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		Skip(fmt.Sprintf("%sthe client sent no token request in %s: it did not take up the client credentials extension (%s)",
			check.NotRunPrefix, strings.Join(names, " or "), strings.Join(endings, "; ")))
	}
	return out
}

// basicAuthProblem says how request r fails to authenticate as id with
// secret by HTTP Basic alone, or "" when it does. It never quotes a secret.
func basicAuthProblem(r mockserver.CapturedRequest, id, secret string) string {
	inBody := r.Form().Has("client_secret") || r.Form().Has("client_assertion")
	if r.Header.Get("Authorization") == "" {
		if inBody {
			return "sends its credentials in the request body and no Authorization header"
		}
		return "sends no Authorization header"
	}
	user, password, ok := (&http.Request{Header: r.Header}).BasicAuth()
	if !ok {
		return "sends an Authorization header that is not HTTP Basic"
	}
	// Both parts are form-urlencoded before the Basic encoding (RFC 6749
	// §2.3.1).
	gotID, errID := url.QueryUnescape(user)
	gotSecret, errSecret := url.QueryUnescape(password)
	switch {
	case errID != nil || errSecret != nil:
		return "sends HTTP Basic credentials that are not form-urlencoded"
	case gotID != id:
		return fmt.Sprintf("authenticates by HTTP Basic as %q, not as the client_id %q the context gave", gotID, id)
	case gotSecret != secret:
		return "authenticates by HTTP Basic with another secret than the client_secret the context gave"
	case inBody:
		return "sends credentials in the request body too, a second authentication method (RFC 6749 §2.3)"
	}
	return ""
}

// clientAssertion is a client assertion a token request carried, its
// claims read without verifying them (CL-CC-007 judges the signature).
type clientAssertion struct {
	request int // the token request's number, from 1
	sent    time.Time
	claims  jwt.Claims
}

// audienceOrTimeProblem says how the assertion fails to name the
// authorization server as aud (its issuer, with or without a trailing
// slash, or its token endpoint) or to be valid when sent, within an exp; ""
// when it does neither.
func (a clientAssertion) audienceOrTimeProblem(issuer, tokenEndpoint string) string {
	audiences := []string{issuer, strings.TrimSuffix(issuer, "/") + "/", tokenEndpoint}
	switch {
	case !slices.ContainsFunc(audiences, a.claims.Audience.Contains):
		return fmt.Sprintf("has aud %q: it must name the authorization server, by its issuer %s or its token endpoint %s",
			[]string(a.claims.Audience), issuer, tokenEndpoint)
	case a.claims.Expiry == nil:
		return "has no exp: it must bound the time it can be used in"
	}
	if err := a.claims.ValidateWithLeeway(jwt.Expected{Time: a.sent}, assertionLeeway); err != nil {
		return fmt.Sprintf("is not valid when it was sent: %v", err)
	}
	return ""
}

// anyJWSAlgorithm lets a client assertion of any algorithm be read.
var anyJWSAlgorithm = []jose.SignatureAlgorithm{jose.ES256, jose.ES384, jose.ES512, jose.RS256, jose.RS384, jose.RS512,
	jose.PS256, jose.PS384, jose.PS512, jose.EdDSA, jose.HS256, jose.HS384, jose.HS512}

// clientAssertions are the readable client assertions of the JWT scenario's
// token requests; one that is not a JWT is CL-CC-007's to judge.
func (s *Session) clientAssertions() (*Observation, []clientAssertion) {
	o := s.machineRuns(scenarioCCJWT)[0]
	var out []clientAssertion
	for i, r := range o.TokenRequests() {
		parsed, err := jwt.ParseSigned(r.Form().Get("client_assertion"), anyJWSAlgorithm)
		if err != nil {
			continue
		}
		a := clientAssertion{request: i + 1, sent: r.Time}
		if parsed.UnsafeClaimsWithoutVerification(&a.claims) == nil {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		Skip(fmt.Sprintf("%sin %s no token request carried a client assertion that reads as a JWT (%s)",
			check.NotRunPrefix, o.Scenario.Name, o.Ending()))
	}
	return o, out
}

// contextPublicKey is the public key of the private key the context gave
// the client, and the algorithm it was told to sign with.
func contextPublicKey(clientContext map[string]any) (crypto.PublicKey, jose.SignatureAlgorithm, error) {
	encoded, _ := clientContext["private_key_pem"].(string)
	algorithm, _ := clientContext["signing_algorithm"].(string)
	block, _ := pem.Decode([]byte(encoded))
	if block == nil {
		return nil, "", fmt.Errorf("client: the context's private_key_pem is not PEM")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, "", fmt.Errorf("client: the context's private key: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, "", fmt.Errorf("client: the context's private key cannot sign")
	}
	return signer.Public(), jose.SignatureAlgorithm(algorithm), nil
}
