package client

import (
	"fmt"
	"regexp"

	. "github.com/onsi/ginkgo/v2"

	"github.com/mcpconform/mcpconform/mockclient"
	"github.com/mcpconform/mcpconform/suites/check"
)

var (
	// An S256 challenge is the base64url SHA-256 of the verifier, unpadded.
	s256Challenge = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	// RFC 7636 §4.1: 43 to 128 unreserved characters.
	verifierFormat = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)
)

func describePKCE(s *Session) {
	Describe("PKCE", func() {
		It("sends an S256 code challenge", check.ID("CL-PKCE-002"), func() {
			o := check.Need(s.authorizing("auth/dcr"))
			for _, r := range o.AuthorizationRequests() {
				q := r.URL.Query()
				if method := q.Get("code_challenge_method"); method != "S256" {
					Fail(fmt.Sprintf("the authorization request's code_challenge_method is %q: clients must use S256", method))
				}
				if !s256Challenge.MatchString(q.Get("code_challenge")) {
					Fail("the authorization request's code_challenge is not an S256 challenge (43 base64url characters)")
				}
			}
		})

		It("redeems each code with a fresh verifier matching its challenge", check.ID("CL-PKCE-003"), func() {
			flows := s.severalFlows()
			seen := map[string]string{}
			for _, o := range flows {
				check.Attach(o)
				challenges := map[string]bool{}
				for _, r := range o.AuthorizationRequests() {
					challenges[r.URL.Query().Get("code_challenge")] = true
				}
				for _, r := range codeExchanges(o) {
					verifier := r.Form().Get("code_verifier")
					if !verifierFormat.MatchString(verifier) {
						Fail(fmt.Sprintf("in %s the code_verifier is not 43-128 unreserved characters (%d characters)", o.Scenario.Name, len(verifier)))
					}
					if !challenges[mockclient.S256(verifier)] {
						Fail(fmt.Sprintf("in %s the code_verifier does not match the S256 challenge of the authorization request", o.Scenario.Name))
					}
					expectFresh(seen, verifier, o.Scenario.Name, "code_verifier")
				}
			}
		})
	})
}
