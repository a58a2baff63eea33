package refclient_test

import (
	"net/http"
	"os"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// What the reference client makes of a hostile server's URLs and
// certificate, and its faults there.
var _ = Describe("the reference client against hostile servers", func() {
	// shellServer advertises an authorization endpoint carrying a shell
	// command; the reference opens it through a $BROWSER that changes
	// nothing.
	shellServer := func() *mockserver.Server {
		GinkgoHelper()
		tamper("mcpconform-nothing-to-change")
		s := serve(mockserver.WithShellCommandInAuthorizationEndpoint())
		DeferCleanup(func() { os.Remove(s.ShellMarker()) })
		return s
	}

	It("hands $BROWSER the authorization URL as one argument, so no shell command in it runs", func() {
		s := shellServer()
		Expect(runClient(s)).To(Succeed())
		Expect(s.ShellMarker()).NotTo(BeAnExistingFile())
		Expect(mcpAfterToken(s)).NotTo(BeEmpty())
	})

	It(string(fault.ClientBrowserThroughShell)+" runs the shell command the authorization URL carries", func() {
		s := shellServer()
		runClient(s, fault.ClientBrowserThroughShell)
		Expect(s.ShellMarker()).To(BeAnExistingFile())
	})

	It("refuses a javascript: authorization endpoint; "+string(fault.ClientAnyEndpointScheme)+" hands it to $BROWSER", func() {
		s := serve(mockserver.WithScriptAuthorizationEndpoint())
		Expect(runClient(s)).To(MatchError(refclient.ErrRefused))
		expectNoAuthorizationRequest(s)

		tamper("mcpconform-nothing-to-change")
		s = serve(mockserver.WithScriptAuthorizationEndpoint())
		err := runClient(s, fault.ClientAnyEndpointScheme)
		Expect(err).To(MatchError(ContainSubstring("$BROWSER")), "the browser cannot open it")
		Expect(err).NotTo(MatchError(refclient.ErrRefused))
	})

	It("refuses a plain-http authorization endpoint off loopback; "+string(fault.ClientPlainHTTPEndpoints)+" hands it to $BROWSER", func() {
		s := serve(mockserver.WithPlainHTTPAuthorizationEndpoint())
		Expect(runClient(s)).To(MatchError(refclient.ErrRefused))
		expectNoAuthorizationRequest(s)

		tamper("mcpconform-nothing-to-change")
		s = serve(mockserver.WithPlainHTTPAuthorizationEndpoint())
		err := runClient(s, fault.ClientPlainHTTPEndpoints)
		Expect(err).To(MatchError(ContainSubstring("$BROWSER")), "the browser cannot reach it")
		Expect(err).NotTo(MatchError(refclient.ErrRefused))

		s = serve(mockserver.WithScriptAuthorizationEndpoint())
		Expect(runClient(s, fault.ClientPlainHTTPEndpoints)).To(MatchError(refclient.ErrRefused), "other schemes are still refused")
	})

	It("refuses a certificate no trusted CA issued; "+string(fault.ClientSkipCertificateVerify)+" accepts it", func() {
		s := serve(mockserver.WithTLS(), mockserver.WithRequestCapture())
		Expect(runClient(s)).To(MatchError(ContainSubstring("certificate")))
		Expect(s.Requests()).To(BeEmpty())
		Expect(s.Connections()).To(BeNumerically(">", 0))

		s = serve(mockserver.WithTLS())
		Expect(runClient(s, fault.ClientSkipCertificateVerify)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/token")).To(HaveLen(1))
	})
})
