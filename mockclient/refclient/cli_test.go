package refclient_test

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// The command line, with the binary built once: `mcpconform mock client`
// and `mcpconform browse` as $BROWSER.
var _ = Describe("the mcpconform binary", Ordered, func() {
	var bin, browser string

	BeforeAll(func() {
		dir, err := os.MkdirTemp("", "refclient-cli")
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(os.RemoveAll, dir)
		bin = filepath.Join(dir, "mcpconform")
		out, err := exec.Command("go", "build", "-o", bin, "github.com/mcpconform/mcpconform/cmd/mcpconform").CombinedOutput()
		Expect(err).NotTo(HaveOccurred(), string(out))
		// $BROWSER is run with the URL as its only argument.
		browser = filepath.Join(dir, "browser")
		Expect(os.WriteFile(browser, []byte("#!/bin/sh\nexec '"+bin+"' browse \"$1\"\n"), 0o755)).To(Succeed())
	})

	// mcpconform runs the binary with env added and returns its exit code
	// and stderr.
	mcpconform := func(env []string, args ...string) (int, string) {
		GinkgoHelper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if exit, ok := errors.AsType[*exec.ExitError](err); ok {
			return exit.ExitCode(), stderr.String()
		}
		Expect(err).NotTo(HaveOccurred())
		return 0, stderr.String()
	}

	It("authorizes through $BROWSER running mcpconform browse", func() {
		s := serve()
		setenv("BROWSER", browser)
		Expect(runClient(s)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It("fails at once when $BROWSER fails", func() {
		s := serve()
		setenv("BROWSER", browser)
		// The authorization server answers an unknown client with a 400
		// page, not a redirect: browse exits 1.
		err := runWith(s, refclient.Config{Context: map[string]any{"client_id": "unknown-client"}})
		Expect(err).To(MatchError(ContainSubstring("$BROWSER " + browser + " failed before the callback")))
		expectNoTokenRequest(s)
	})

	It("browse reports where it ended", func() {
		s := serve()
		code, stderr := mcpconform(nil, "browse", s.MCPURL())
		Expect(code).To(Equal(1))
		Expect(stderr).To(ContainSubstring("401 Unauthorized at " + s.MCPURL()))
		code, stderr = mcpconform(nil, "browse", s.IssuerURL()+"/jwks")
		Expect(code).To(Equal(0))
		Expect(stderr).To(ContainSubstring("200 OK"))
	})

	It("mock client succeeds with a pre-registered client from the context, logging to stderr", func() {
		s := serve(mockserver.WithClient(mockserver.Client{ID: "pre-registered", RedirectURIs: []string{"http://127.0.0.1/callback"}}))
		code, stderr := mcpconform([]string{`MCP_CONFORMANCE_CONTEXT={"client_id":"pre-registered"}`, "MCP_CONFORMANCE_SCENARIO=auth"},
			"mock", "client", s.MCPURL())
		Expect(code).To(Equal(0), stderr)
		Expect(stderr).To(ContainSubstring("refclient: mcp session: "))
		Expect(requests(s, http.MethodPost, "/register")).To(BeEmpty())
	})

	It("mock client exits 1 with one line on a refusal", func() {
		s := serve(mockserver.WithFaults("as.metadata.issuer-mismatch"))
		code, stderr := mcpconform(nil, "mock", "client", "--fault", string(fault.ClientNoState), s.MCPURL())
		Expect(code).To(Equal(1))
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		Expect(lines[len(lines)-1]).To(HavePrefix("mcpconform: refclient: refusing: authorization server metadata at "))
	})

	It("mock client lists its faults and refuses unknown ones", func() {
		out, err := exec.Command(bin, "mock", "client", "--list-faults").Output()
		Expect(err).NotTo(HaveOccurred())
		for _, f := range fault.ClientFaults {
			Expect(string(out)).To(ContainSubstring(string(f.Name) + " "))
		}
		code, stderr := mcpconform(nil, "mock", "client", "--fault", "client.nope", "http://127.0.0.1:1/mcp")
		Expect(code).To(Equal(2))
		Expect(stderr).To(ContainSubstring(`unknown client fault "client.nope"`))
		code, _ = mcpconform([]string{"MCP_CONFORMANCE_CONTEXT=[1"}, "mock", "client", "http://127.0.0.1:1/mcp")
		Expect(code).To(Equal(2))
	})
})
