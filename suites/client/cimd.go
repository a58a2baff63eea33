package client

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/suites/check"
)

// cimdDocumentURL is the client ID metadata document of the CIMD
// scenarios: the official suite's, which its clients use unasked, and which
// the context names as client_metadata_url. It does not resolve: the
// authorization server knows its content instead.
const cimdDocumentURL = "https://conformance-test.local/client-metadata.json"

// cimdRedirectURIs are the redirect URIs that document lists: the callback
// on the loopback IP literal, any port (RFC 8252 §7.3), or on localhost.
var cimdRedirectURIs = []string{"http://127.0.0.1/callback", "http://localhost/callback"}

// cimdContext tells the client its document.
var cimdContext = map[string]any{"client_metadata_url": cimdDocumentURL}

// cimdScenarios give the client a client ID metadata document, at an
// authorization server that supports those or not (MCP 2025-11-25 on).
var cimdScenarios = []Scenario{
	{Name: "auth/basic-cimd", Since: spec.Rev20251125,
		Description: "the authorization server advertises client_id_metadata_document_supported and knows the client's document " +
			"(client_metadata_url in the context), which lists the loopback /callback redirect URIs",
		Options: []mockserver.Option{mockserver.WithClient(mockserver.Client{ID: cimdDocumentURL, RedirectURIs: cimdRedirectURIs})},
		Context: cimdContext},
	{Name: "auth/cimd-not-supported", Since: spec.Rev20251125,
		Description: "the client has a client ID metadata document (client_metadata_url in the context); the authorization " +
			"server does not advertise client_id_metadata_document_supported and offers dynamic registration",
		Options: []mockserver.Option{mockserver.WithoutClientIDMetadataDocuments()},
		Context: cimdContext},
}

func describeCIMD(s *Session) {
	Describe("Client ID metadata documents", func() {
		It("authorizes with its client ID metadata document URL as client_id, without registering, where the authorization server supports documents",
			check.ID("CL-CIMD-001"), func() {
				o := s.expectAnswered("auth/basic-cimd")
				if n := len(o.RegistrationRequests()); n > 0 {
					Fail(fmt.Sprintf("in auth/basic-cimd the client registered dynamically (%d request(s)) although it has a client ID "+
						"metadata document (client_metadata_url in MCP_CONFORMANCE_CONTEXT) and the authorization server advertises "+
						"client_id_metadata_document_supported: MCP's priority order puts the document before dynamic registration", n))
				}
				for i, r := range o.AuthorizationRequests() {
					if id := r.URL.Query().Get("client_id"); !isMetadataDocumentURL(id) {
						Fail(fmt.Sprintf("in auth/basic-cimd authorization request %d names client_id %q, not a client ID metadata "+
							"document URL (such as %s): where the authorization server advertises client_id_metadata_document_supported, "+
							"a client with a document should identify itself by its URL (MCP client ID metadata documents)", i+1, id, cimdDocumentURL))
					}
				}
			})

		It("names the same client_id in the code exchange as in the authorization request", check.ID("CL-CIMD-002"), func() {
			o, document := s.documentClient()
			exchanges := codeExchanges(o)
			switch {
			case len(exchanges) == 0 && document == cimdDocumentURL && len(unlistedRedirects(o)) > 0:
				Skip(check.PrerequisitePrefix + "in auth/basic-cimd the client asked for a redirect URI its client ID metadata document " +
					"does not list (CL-CIMD-003), and got no code")
			case len(exchanges) == 0:
				Skip(fmt.Sprintf("%sin auth/basic-cimd the client redeemed no code (%s)", check.NotRunPrefix, o.Ending()))
			}
			for i, r := range exchanges {
				if named := tokenRequestClientID(r); named != document {
					if named == "" {
						named = "no client at all (no client_id, HTTP Basic or client assertion)"
					} else {
						named = fmt.Sprintf("client_id %q", named)
					}
					Fail(fmt.Sprintf("in auth/basic-cimd the client authorized as %s and its code exchange %d names %s: a client that "+
						"does not authenticate names its client_id in the token request (RFC 6749 §4.1.3), here its document's URL", document, i+1, named))
				}
			}
		})

		It("uses a redirect URI its client ID metadata document lists", check.ID("CL-CIMD-003"), func() {
			o, document := s.documentClient()
			if document != cimdDocumentURL {
				Skip(fmt.Sprintf("%sin auth/basic-cimd the client used its own document %s, whose redirect URIs are not known here", check.NotRunPrefix, document))
			}
			if unlisted := unlistedRedirects(o); len(unlisted) > 0 {
				Fail(fmt.Sprintf("in auth/basic-cimd the client asked for the redirect URI(s) %s, which its client ID metadata document %s "+
					"does not list (it lists %s; a loopback IP literal may take any port): the authorization server must refuse them "+
					"(draft-ietf-oauth-client-id-metadata-document §8.1)", strings.Join(unlisted, ", "), document, strings.Join(cimdRedirectURIs, ", ")))
			}
		})

		It("registers instead where the authorization server does not advertise client ID metadata documents", check.ID("CL-CIMD-004"), func() {
			o := s.expectAnswered("auth/cimd-not-supported")
			for i, r := range o.AuthorizationRequests() {
				if id := r.URL.Query().Get("client_id"); isMetadataDocumentURL(id) {
					Fail(fmt.Sprintf("in auth/cimd-not-supported authorization request %d names its client ID metadata document %q as client_id, "+
						"although the authorization server does not advertise client_id_metadata_document_supported: such a server knows "+
						"no URL client_id, and MCP's priority order falls back to dynamic registration", i+1, id))
				}
			}
		})
	})
}

// documentClient is the CIMD scenario's observation when the client
// authorized there with a client ID metadata document, and that document's
// URL.
func (s *Session) documentClient() (*Observation, string) {
	o := s.expectAnswered("auth/basic-cimd")
	for _, r := range o.AuthorizationRequests() {
		if id := r.URL.Query().Get("client_id"); isMetadataDocumentURL(id) {
			return o, id
		}
	}
	Skip(check.PrerequisitePrefix + "in auth/basic-cimd the client did not authorize with a client ID metadata document (CL-CIMD-001)")
	return nil, ""
}

// unlistedRedirects are the redirect URIs the client asked for in o that
// the CIMD scenario's document does not list.
func unlistedRedirects(o *Observation) []string {
	var out []string
	for _, r := range o.AuthorizationRequests() {
		sent := r.URL.Query().Get("redirect_uri")
		if !slices.ContainsFunc(cimdRedirectURIs, func(listed string) bool { return redirectListed(listed, sent) }) && !slices.Contains(out, sent) {
			out = append(out, sent)
		}
	}
	return out
}

// isMetadataDocumentURL reports whether a client_id has the form of a
// client ID metadata document URL: https with a path
// (draft-ietf-oauth-client-id-metadata-document §3).
func isMetadataDocumentURL(clientID string) bool {
	u, err := url.Parse(clientID)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.Path != "" && u.Path != "/"
}

// redirectListed reports whether sent is the listed redirect URI: the same
// string, except that a loopback IP literal may take any port (RFC 8252
// §7.3), as authorization servers compare them.
func redirectListed(listed, sent string) bool {
	if sent == listed {
		return true
	}
	l, err := url.Parse(listed)
	if err != nil || l.Scheme != "http" || !isLoopbackIP(l.Hostname()) {
		return false
	}
	u, err := url.Parse(sent)
	if err != nil || u.Scheme != "http" || u.Hostname() != l.Hostname() {
		return false
	}
	u.Host = l.Host
	return u.String() == listed
}

// tokenRequestClientID is the client a token request names: its client_id,
// else the HTTP Basic user, else the subject of its client assertion
// (RFC 7523 §3); "" when it names none.
func tokenRequestClientID(r mockserver.CapturedRequest) string {
	form := r.Form()
	if id := form.Get("client_id"); id != "" {
		return id
	}
	if user := basicUser(r.Header.Get("Authorization")); user != "" {
		return user
	}
	return assertionSubject(form.Get("client_assertion"))
}

// basicUser is the user of an HTTP Basic Authorization header.
func basicUser(authorization string) string {
	user, _ := basicCredentials(authorization)
	return user
}

// basicPassword is the password of an HTTP Basic Authorization header.
func basicPassword(authorization string) string {
	_, password := basicCredentials(authorization)
	return password
}

// basicCredentials are the user and password of an HTTP Basic
// Authorization header, each form-decoded (RFC 6749 §2.3.1); empty for any
// other header.
func basicCredentials(authorization string) (user, password string) {
	scheme, credentials, _ := strings.Cut(authorization, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return "", ""
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(credentials))
	if err != nil {
		return "", ""
	}
	user, password, _ = strings.Cut(string(decoded), ":")
	return formDecoded(user), formDecoded(password)
}

func formDecoded(s string) string {
	if decoded, err := url.QueryUnescape(s); err == nil {
		return decoded
	}
	return s
}

// assertionSubject is the sub claim of a JWT client assertion, unverified:
// only which client it names matters here.
func assertionSubject(assertion string) string {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Subject string `json:"sub"`
	}
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return claims.Subject
}
