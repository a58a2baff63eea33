package client

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/mcpconform/mcpconform/mockserver"
)

// basicRequest is a captured token request with an Authorization header
// value and a form body.
func basicRequest(authorization string, form url.Values) mockserver.CapturedRequest {
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	if authorization != "" {
		header.Set("Authorization", authorization)
	}
	return mockserver.CapturedRequest{Method: http.MethodPost, Header: header, Body: form.Encode(), URL: &url.URL{Path: "/token"}}
}

func basicHeader(user, password string) string {
	r := &http.Request{Header: http.Header{}}
	r.SetBasicAuth(user, password)
	return r.Header.Get("Authorization")
}

func TestBasicAuthProblem(t *testing.T) {
	const id, secret = "machine client", "s3cret:+/"
	form := url.Values{"grant_type": {"client_credentials"}}
	tests := []struct {
		name    string
		request mockserver.CapturedRequest
		want    string // a word of the problem; "" for none
	}{
		{"form-urlencoded parts", basicRequest(basicHeader(url.QueryEscape(id), url.QueryEscape(secret)), form), ""},
		{"client_id in the body too", basicRequest(basicHeader(url.QueryEscape(id), url.QueryEscape(secret)),
			url.Values{"grant_type": {"client_credentials"}, "client_id": {id}}), ""},
		{"secret in the body", basicRequest("", url.Values{"client_id": {id}, "client_secret": {secret}}), "body"},
		{"no credentials", basicRequest("", form), "no Authorization"},
		{"Bearer", basicRequest("Bearer x", form), "not HTTP Basic"},
		{"another client", basicRequest(basicHeader("other", url.QueryEscape(secret)), form), `"other"`},
		{"another secret", basicRequest(basicHeader(url.QueryEscape(id), "wrong"), form), "another secret"},
		{"both methods", basicRequest(basicHeader(url.QueryEscape(id), url.QueryEscape(secret)),
			url.Values{"client_secret": {secret}}), "second authentication method"},
	}
	for _, tt := range tests {
		got := basicAuthProblem(tt.request, id, secret)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%s: problem %q, want one saying %q", tt.name, got, tt.want)
		}
		if strings.Contains(got, secret) {
			t.Errorf("%s: the problem quotes the secret: %q", tt.name, got)
		}
	}
}

func TestAudienceOrTimeProblem(t *testing.T) {
	const issuer, tokenEndpoint = "http://127.0.0.1:1/oauth", "http://127.0.0.1:1/oauth/token"
	sent := time.Now()
	assertion := func(audience []string, expiry *jwt.NumericDate) clientAssertion {
		return clientAssertion{request: 1, sent: sent, claims: jwt.Claims{Audience: audience, Expiry: expiry}}
	}
	later := jwt.NewNumericDate(sent.Add(time.Minute))
	tests := []struct {
		name      string
		assertion clientAssertion
		want      string
	}{
		{"the issuer", assertion([]string{issuer}, later), ""},
		{"the issuer with a trailing slash", assertion([]string{issuer + "/"}, later), ""},
		{"the token endpoint among others", assertion([]string{"https://elsewhere.example", tokenEndpoint}, later), ""},
		{"the MCP server", assertion([]string{"http://127.0.0.1:2/mcp"}, later), "aud"},
		{"no exp", assertion([]string{issuer}, nil), "no exp"},
		{"expired", assertion([]string{issuer}, jwt.NewNumericDate(sent.Add(-time.Minute))), "not valid"},
	}
	for _, tt := range tests {
		got := tt.assertion.audienceOrTimeProblem(issuer, tokenEndpoint)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%s: problem %q, want one saying %q", tt.name, got, tt.want)
		}
	}
}
