package mockserver_test

import (
	"maps"
	"net/http"

	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
)

var rsMisuseFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.RSAcceptMalformedHeader: func(s *mockserver.Server) {
		reference := start()
		Expect(postMCP(reference, bearer(reference)+" extra").status).To(Equal(http.StatusUnauthorized))
		Expect(postMCP(s, bearer(s)+" extra").status).To(Equal(http.StatusOK))
		Expect(postMCP(s, "bearer "+tokenOf(s)).status).To(Equal(http.StatusOK))
		for _, authorization := range []string{"Bearer", "Bearer not-a-jwt extra"} {
			a := postMCP(s, authorization)
			Expect(a.status).To(Equal(http.StatusUnauthorized), authorization)
			Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(invalidTokenChallenge(s, spec.Latest)), authorization)
		}
	},
	fault.RSInvalidTokenNoErrorCode: func(s *mockserver.Server) {
		a := postMCP(s, "Bearer not-a-jwt")
		Expect(a.status).To(Equal(http.StatusUnauthorized))
		Expect(a.header.Values("WWW-Authenticate")).To(ConsistOf(noCredentialsChallenge(s)))
		Expect(postMCP(s, "").header.Values("WWW-Authenticate")).To(ConsistOf(noCredentialsChallenge(s)))
		Expect(postRPC(s, bearer(s), writeNoteCall).header.Values("WWW-Authenticate")).To(ConsistOf(stepUpChallenge(s)))
	},
}

func init() { maps.Copy(faultChecks, rsMisuseFaultChecks) }
