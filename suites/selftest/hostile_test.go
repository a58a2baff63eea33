package selftest_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

// serveHostile starts a loopback target that answers every request with
// headerBytes of headers and bodyBytes of body, a 401 pointing at its own
// metadata, and returns its MCP URL.
func serveHostile(headerBytes, bodyBytes int) string {
	GinkgoHelper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	origin := "http://" + listener.Addr().String()
	value := strings.Repeat("a", 8<<10)
	chunk := []byte(strings.Repeat("x", 64<<10))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range headerBytes / len(value) {
			w.Header().Add(fmt.Sprintf("X-Pad-%d", i), value)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="`+origin+`/.well-known/oauth-protected-resource/mcp"`)
		w.WriteHeader(http.StatusUnauthorized)
		for sent := 0; sent < bodyBytes; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})}
	go srv.Serve(listener)
	DeferCleanup(srv.Close)
	return origin + "/mcp"
}

// hostileEscapes are a terminal's clear-screen, colour and window-title
// sequences, as a target's OAuth error code and description carry them.
const (
	hostileErrorCode   = "\x1b[2J\x1b[32mPASS\x1b[0m"
	hostileDescription = "\x1b]0;pwned\x07\x9b31m"
)

// serveEscapingTarget starts a loopback target whose metadata is in order
// and registers any client, but whose authorization and token endpoints
// answer with terminal escape sequences in their OAuth errors; it returns
// its MCP URL.
func serveEscapingTarget() string {
	GinkgoHelper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	origin := "http://" + listener.Addr().String()
	oauthError, err := json.Marshal(map[string]string{"error": hostileErrorCode, "error_description": hostileDescription})
	Expect(err).NotTo(HaveOccurred())
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/mcp":
			w.Header().Set("WWW-Authenticate", `Bearer error="`+hostileErrorCode+`", resource_metadata="`+origin+`/.well-known/oauth-protected-resource/mcp"`)
			w.WriteHeader(http.StatusUnauthorized)
		case "/.well-known/oauth-protected-resource/mcp":
			json.NewEncoder(w).Encode(map[string]any{"resource": origin + "/mcp", "authorization_servers": []string{origin}})
		case "/.well-known/oauth-authorization-server":
			json.NewEncoder(w).Encode(map[string]any{"issuer": origin, "authorization_endpoint": origin + "/authorize",
				"token_endpoint": origin + "/token", "registration_endpoint": origin + "/register",
				"response_types_supported": []string{"code"}, "code_challenge_methods_supported": []string{"S256"}})
		case "/register":
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(map[string]any{"client_id": "hostile-client", "client_secret": "hostile-secret"})
		case "/authorize":
			callback := r.URL.Query().Get("redirect_uri") + "?" + url.Values{"error": {hostileErrorCode},
				"error_description": {hostileDescription}, "state": {r.URL.Query().Get("state")}}.Encode()
			http.Redirect(w, r, callback, http.StatusFound)
		default:
			w.WriteHeader(http.StatusBadRequest)
			w.Write(oauthError)
		}
	})}
	go srv.Serve(listener)
	DeferCleanup(srv.Close)
	return origin + "/mcp"
}

var _ = Describe("A hostile server target", func() {
	It("has its escape sequences shown escaped on the console and in the HTML report", func() {
		session, dir := mcpconform("server", "--url", serveEscapingTarget(), "--timeout", hostileTimeout)
		Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
		console := string(session.Out.Contents()) + string(session.Err.Contents())
		Expect(console).To(ContainSubstring(`error=\x1b[2J\x1b[32mPASS\x1b[0m \x1b]0;pwned\x07\x9b31m`), "the target's authorization error is shown, escaped")
		page, err := os.ReadFile(filepath.Join(dir, "report.html"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(page)).To(ContainSubstring(`error=\x1b[2J\x1b[32mPASS\x1b[0m \x1b]0;pwned\x07\x9b31m`))
		for name, text := range map[string]string{"console": console, "report.html": string(page)} {
			Expect(text).NotTo(ContainSubstring("\x1b"), "%s holds a raw ESC", name)
			Expect(text).NotTo(ContainSubstring("\x07"), "%s holds a raw BEL", name)
			Expect(text).NotTo(ContainSubstring("\u009b"), "%s holds a raw CSI", name)
		}
	})

	It("ends every check failed or not run, with a reason, in bounded memory", func() {
		mcpURL := serveHostile(9<<20+512<<10, 4<<20)
		dir := GinkgoT().TempDir()
		stdout, err := os.Create(filepath.Join(dir, "stdout.txt"))
		Expect(err).NotTo(HaveOccurred())
		defer stdout.Close()
		cmd := exec.Command(binary, "server", "--url", mcpURL, "--timeout", hostileTimeout, "--report-dir", dir)
		cmd.Stdout, cmd.Stderr = stdout, GinkgoWriter
		started := time.Now()
		err = cmd.Run()
		Expect(time.Since(started)).To(BeNumerically("<", time.Minute))
		var exit *exec.ExitError
		Expect(err).To(BeAssignableToTypeOf(exit), "the run must end with the failures' exit code")
		Expect(cmd.ProcessState.ExitCode()).To(Equal(reports.ExitFailures))

		peakKB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // kilobytes on Linux
		Expect(peakKB).To(BeNumerically("<", 200<<10), "peak RSS %d MB", peakKB>>10)
		AddReportEntry("peak RSS (MB)", peakKB>>10)

		res := readResults(dir)
		Expect(res.Checks).NotTo(BeEmpty())
		for _, c := range res.Checks {
			Expect(c.Status).To(BeElementOf(reports.StatusFailed, reports.StatusSkipped), "%s passed against a target that answers nothing usable", c.ID)
			Expect(c.Message).NotTo(BeEmpty(), "%s gives no reason", c.ID)
			for _, ex := range c.Evidence {
				Expect(len(fmt.Sprint(ex.ResponseHeaders))).To(BeNumerically("<", 16<<10), "%s keeps the target's headers whole", c.ID)
			}
		}
		Expect(res.Checks[0].Message).To(ContainSubstring("headers exceeded"), "the reason names the headers")
	})
})
