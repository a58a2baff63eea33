package selftest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/check"
)

// metadataNamingTarget is an MCP server whose protected resource metadata
// names a cloud metadata service as its authorization server.
func metadataNamingTarget() string {
	mcp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := "http://" + r.Host
		if strings.HasPrefix(r.URL.Path, "/.well-known/oauth-protected-resource") {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"resource": origin + "/mcp",
				"authorization_servers": []string{"http://169.254.169.254/latest/meta-data"}})
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="`+origin+`/.well-known/oauth-protected-resource/mcp"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	DeferCleanup(mcp.Close)
	return mcp.URL + "/mcp"
}

var _ = Describe("The command line's egress", func() {
	It("does not connect to the cloud metadata service a target names: its checks are not run, saying how to allow it", func() {
		session, dir := mcpconform("server", "--url", metadataNamingTarget(), "--focus", "AS-META-001,AS-META-004")
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		res := readResults(dir)
		Expect(res.Checks).To(HaveLen(2))
		for _, c := range res.Checks {
			Expect(c.Status).To(Equal(reports.StatusSkipped), c.ID)
			Expect(c.Message).To(And(HavePrefix(check.NotRunPrefix),
				ContainSubstring("169.254.169.254 is a link-local or cloud metadata address (--allow-private-egress allows it)")), c.ID)
			for _, ex := range c.Evidence {
				Expect(ex.ResponseBody).To(BeEmpty(), c.ID)
			}
		}
	})
})
