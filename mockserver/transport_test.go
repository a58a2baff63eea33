package mockserver_test

import (
	"maps"
	"net/http"
	"strings"

	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

var transportFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASPlainHTTP: func(*mockserver.Server) {
		s := start(mockserver.WithTLS(), mockserver.WithFaults(fault.ASPlainHTTP))
		Expect(s.MCPURL()).To(HavePrefix("https://"), "the MCP endpoint keeps TLS")
		Expect(s.IssuerURL()).To(HavePrefix("http://"))
		metadata := get(strings.Replace(s.IssuerURL(), "/oauth", rfc8414+"/oauth", 1))
		Expect(metadata.status).To(Equal(http.StatusOK), "served over plain http")
		Expect(metadata.json()).To(HaveKeyWithValue("token_endpoint", HavePrefix("http://")))
		Expect(start(mockserver.WithTLS()).IssuerURL()).To(HavePrefix("https://"))
	},
}

func init() { maps.Copy(faultChecks, transportFaultChecks) }
