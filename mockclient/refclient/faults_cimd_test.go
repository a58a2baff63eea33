package refclient_test

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockclient/refclient"
	"github.com/mcpconform/mcpconform/mockserver"
)

// documentURL is the client ID metadata document the authorization server
// knows in these tests (it cannot fetch it: the host does not resolve).
const documentURL = "https://conformance-test.local/client-metadata.json"

// withDocument runs the client as one with a client ID metadata document.
func withDocument(s *mockserver.Server, faults ...fault.Name) error {
	return runWith(s, refclient.Config{Faults: faults, Context: map[string]any{"client_metadata_url": documentURL}})
}

// documentClient is the authorization server's copy of the document.
var documentClient = mockserver.WithClient(mockserver.Client{ID: documentURL, RedirectURIs: []string{"http://127.0.0.1/callback"}})

// How the reference client uses a client ID metadata document, and its
// faults there.
var _ = Describe("the reference client's client ID metadata document", func() {
	It("authorizes with the document URL as client_id, without registering, where the authorization server supports documents", func() {
		s := serve(mockserver.WithRequestCapture(), documentClient)
		Expect(withDocument(s)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/register")).To(BeEmpty())
		Expect(authorizationRequest(s).Get("client_id")).To(Equal(documentURL))
		Expect(tokenForms(s, "authorization_code")).To(ConsistOf(HaveKeyWithValue("client_id", ConsistOf(documentURL))))
	})

	It("registers where the authorization server does not advertise documents", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithoutClientIDMetadataDocuments())
		Expect(withDocument(s)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/register")).To(HaveLen(1))
		Expect(authorizationRequest(s).Get("client_id")).NotTo(Equal(documentURL))
	})

	It(string(fault.ClientCIMDRegisterAnyway)+" registers although the authorization server supports documents", func() {
		s := serve(mockserver.WithRequestCapture(), documentClient)
		Expect(withDocument(s, fault.ClientCIMDRegisterAnyway)).To(Succeed())
		Expect(requests(s, http.MethodPost, "/register")).To(HaveLen(1))
		Expect(authorizationRequest(s).Get("client_id")).NotTo(Equal(documentURL))
	})

	It(string(fault.ClientCIMDTokenWithoutID)+" leaves client_id out of the code exchange", func() {
		s := serve(mockserver.WithRequestCapture(), documentClient)
		Expect(withDocument(s, fault.ClientCIMDTokenWithoutID)).NotTo(Succeed())
		Expect(authorizationRequest(s).Get("client_id")).To(Equal(documentURL))
		Expect(tokenForms(s, "authorization_code")).To(ConsistOf(Not(HaveKey("client_id"))))
	})

	It(string(fault.ClientCIMDUnlistedRedirect)+" uses a redirect URI the document does not list", func() {
		s := serve(mockserver.WithRequestCapture(), documentClient)
		Expect(withDocument(s, fault.ClientCIMDUnlistedRedirect)).NotTo(Succeed())
		Expect(authorizationRequest(s).Get("redirect_uri")).To(HaveSuffix("/oauth/callback"))
		Expect(requests(s, http.MethodPost, "/token")).To(BeEmpty())
	})

	It(string(fault.ClientCIMDIgnoreSupportFlag)+" uses the document where the authorization server does not advertise them", func() {
		s := serve(mockserver.WithRequestCapture(), mockserver.WithoutClientIDMetadataDocuments())
		Expect(withDocument(s, fault.ClientCIMDIgnoreSupportFlag)).NotTo(Succeed())
		Expect(requests(s, http.MethodPost, "/register")).To(BeEmpty())
		Expect(authorizationRequest(s).Get("client_id")).To(Equal(documentURL))
	})
})
