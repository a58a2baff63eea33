package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/url"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// PKCE (RFC 7636) as OAuth 2.1 requires it: a challenge on every
// authorization request, S256 only, the verifier checked at the token
// endpoint.

const (
	pkceS256      = "S256"
	pkcePlain     = "plain"
	pkceMinLength = 43
	pkceMaxLength = 128
)

// PKCE faults.
func init() {
	registerFaults(
		Fault{fault.ASPKCEOptional, "authorization requests without code_challenge are accepted; their code is redeemed without code_verifier", spec.Rev20250326},
		Fault{fault.ASPKCEAcceptPlain, "code_challenge_method=plain is accepted and the code_verifier compared with the challenge as plain", spec.Rev20250326},
		Fault{fault.ASPKCEAcceptMissingVerifier, "a token request without code_verifier is accepted for a code issued with a challenge", spec.Rev20250326},
		Fault{fault.ASPKCEAcceptVerifierWithoutChallenge, "a code_verifier sent for a code issued without challenge is ignored instead of rejected (RFC 9700 §4.8.2); no effect without as.pkce.optional", spec.Rev20250326},
		Fault{fault.ASPKCEAcceptWrongVerifier, "the code_verifier is not compared with the code_challenge (its format still is checked)", spec.Rev20250326},
		Fault{fault.ASPKCEAcceptChallengeAsVerifier, "the code_challenge value itself is accepted as code_verifier", spec.Rev20250326},
		Fault{fault.ASPKCEAcceptUnknownMethod, "a code_challenge_method it does not know is taken for S256 instead of refused", spec.Rev20250326},
		Fault{fault.ASPKCEAdvertisedPlainRefused, "code_challenge_methods_supported lists plain beside S256, but plain is refused as before", spec.Rev20250326},
		Fault{fault.ASPKCEAcceptBadVerifierFormat, "a code_verifier that is not 43-128 characters of [A-Za-z0-9-._~] is accepted when it matches the challenge", spec.Rev20250326},
	)
}

// advertisedChallengeMethods are the metadata's code_challenge_methods_supported.
func (s *Server) advertisedChallengeMethods() []string {
	if s.faults[fault.ASPKCEAdvertisedPlainRefused] {
		return []string{pkceS256, pkcePlain}
	}
	return []string{pkceS256}
}

// wellFormedPKCEValue reports whether v is 43 to 128 unreserved characters,
// the syntax of both code_verifier and code_challenge (RFC 7636 §4.1, §4.2).
func wellFormedPKCEValue(v string) bool {
	if len(v) < pkceMinLength || len(v) > pkceMaxLength {
		return false
	}
	for _, r := range v {
		unreserved := r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' ||
			r == '-' || r == '.' || r == '_' || r == '~'
		if !unreserved {
			return false
		}
	}
	return true
}

// s256Challenge is BASE64URL(SHA256(verifier)) (RFC 7636 §4.2).
func s256Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizationChallenge checks the PKCE parameters of an authorization
// request and returns the challenge and method to bind to the code; both
// are empty when as.pkce.optional let a request without challenge through.
func (s *Server) authorizationChallenge(q url.Values) (challenge, method string, err *oauthError) {
	challenge, method = q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "" && s.faults[fault.ASPKCEOptional]:
		return "", "", nil
	case challenge == "":
		return "", "", oauthErrorf(oauthInvalidRequest, "code_challenge required (PKCE)")
	case !wellFormedPKCEValue(challenge):
		return "", "", oauthErrorf(oauthInvalidRequest, "code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~]")
	case method == pkceS256, method == pkcePlain && s.faults[fault.ASPKCEAcceptPlain]:
		return challenge, method, nil
	case method != "" && method != pkcePlain && s.faults[fault.ASPKCEAcceptUnknownMethod]:
		return challenge, pkceS256, nil
	case method == "":
		// RFC 7636 §4.3: no method means plain, which is not offered.
		return "", "", oauthErrorf(oauthInvalidRequest, "code_challenge_method required: only S256 is supported")
	default:
		return "", "", oauthErrorf(oauthInvalidRequest, "code_challenge_method must be S256")
	}
}

// checkVerifier checks a token request's code_verifier against the code's
// challenge (RFC 7636 §4.6). A verifier for a code issued without challenge
// is refused too: accepting it is the PKCE downgrade of RFC 9700 §4.8.2.
func (s *Server) checkVerifier(code *authorizationCode, verifier string) *oauthError {
	if code.CodeChallenge == "" {
		if verifier != "" && !s.faults[fault.ASPKCEAcceptVerifierWithoutChallenge] {
			return oauthErrorf(oauthInvalidGrant, "code_verifier sent but the authorization request had no code_challenge")
		}
		return nil
	}
	switch {
	case verifier == "" && s.faults[fault.ASPKCEAcceptMissingVerifier]:
		return nil
	case verifier == "":
		return oauthErrorf(oauthInvalidGrant, "code_verifier required: the authorization request had a code_challenge")
	case !wellFormedPKCEValue(verifier) && !s.faults[fault.ASPKCEAcceptBadVerifierFormat]:
		return oauthErrorf(oauthInvalidGrant, "code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]")
	case s.faults[fault.ASPKCEAcceptWrongVerifier]:
		return nil
	case verifier == code.CodeChallenge && s.faults[fault.ASPKCEAcceptChallengeAsVerifier]:
		return nil
	}
	expected := verifier
	if code.CodeChallengeMethod == pkceS256 {
		expected = s256Challenge(verifier)
	}
	if subtle.ConstantTimeCompare([]byte(expected), []byte(code.CodeChallenge)) != 1 {
		return oauthErrorf(oauthInvalidGrant, "code_verifier does not match the code_challenge")
	}
	return nil
}
