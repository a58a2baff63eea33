package mockserver

import (
	"strings"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

func init() {
	registerFaults(
		Fault{fault.RSAcceptMalformedHeader,
			"a Bearer header carrying more than one word is accepted: the first word after the scheme is taken as the token",
			spec.Rev20250326},
		Fault{fault.RSInvalidTokenNoErrorCode,
			`a refused access token gets a 401 challenge without error="invalid_token"`, spec.Rev20250326},
	)
}

// headerToken is the token the MCP endpoint takes from the Bearer header's
// credentials: all of them, or under rs.accept-malformed-header the first
// word, as a lenient parser does.
func (s *Server) headerToken(credentials string) string {
	words := strings.Fields(credentials)
	if !s.faults[fault.RSAcceptMalformedHeader] || len(words) == 0 {
		return credentials
	}
	return words[0]
}

// invalidTokenCode is the error code of the challenge to a refused token.
func (s *Server) invalidTokenCode() string {
	if s.faults[fault.RSInvalidTokenNoErrorCode] {
		return ""
	}
	return errInvalidToken
}
