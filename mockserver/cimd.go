package mockserver

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document,
// MCP 2025-11-25): a client_id that is an https URL names a JSON document of
// the client's metadata, which the authorization server fetches.

func init() {
	registerFaults(
		Fault{fault.ASCIMDSkipClientIDCheck, "a client ID metadata document whose client_id differs from its URL is accepted", spec.Rev20251125},
		Fault{fault.ASCIMDFollowRedirects, "the client ID metadata document fetch follows redirects, to any host", spec.Rev20251125},
	)
}

const (
	metadataDocumentTimeout = 5 * time.Second
	// metadataDocumentTTL is how long a fetched client is kept: long enough
	// for one authorization and its token request, short enough that a
	// changed document takes effect soon.
	metadataDocumentTTL = time.Minute
)

// supportsClientIDMetadataDocuments matches client_id_metadata_document_supported
// in the authorization server metadata.
func (s *Server) supportsClientIDMetadataDocuments() bool {
	return s.revision.AtLeast(spec.Rev20251125) && !s.cfg.noCIMD && s.cfg.clientCredentialsOnly == ""
}

// WithoutClientIDMetadataDocuments leaves client_id_metadata_document_supported
// out of the metadata and treats a URL client_id as any unknown one: an
// authorization server that only knows the clients registered with it.
func WithoutClientIDMetadataDocuments() Option {
	return func(c *config) { c.noCIMD = true }
}

// isURLClientID reports whether a client_id is meant as a metadata document
// URL rather than an identifier the server issued.
func isURLClientID(clientID string) bool {
	lower := strings.ToLower(clientID)
	return strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")
}

// cachedMetadataDocumentClient is a client fetched before and still fresh.
func (s *Server) cachedMetadataDocumentClient(docURL string) (*client, bool) {
	c, ok := s.store.client(docURL)
	if !ok || c.MetadataURL == "" || time.Since(c.IssuedAt) >= metadataDocumentTTL {
		return nil, false
	}
	return c, true
}

// fetchMetadataDocumentClient fetches, checks and keeps the client a
// metadata document describes. Failures are never cached (draft §4.4).
func (s *Server) fetchMetadataDocumentClient(r *http.Request, docURL string) (*client, error) {
	if err := checkMetadataDocumentURL(docURL); err != nil {
		return nil, err
	}
	body, err := fetchMetadataDocument(r.Context(), docURL, s.faults[fault.ASCIMDFollowRedirects])
	if err != nil {
		return nil, err
	}
	decide(r, "fetched the client ID metadata document %s", docURL)
	c, err := metadataDocumentClient(docURL, body, s.faults[fault.ASCIMDSkipClientIDCheck])
	if err != nil {
		return nil, err
	}
	s.store.addClient(c)
	return c, nil
}

// checkMetadataDocumentURL applies the draft's §3 syntax rules, and the SSRF
// guard: https, or plain http only on a loopback host (for tests).
func checkMetadataDocumentURL(docURL string) error {
	u, err := url.Parse(docURL)
	if err != nil {
		return fmt.Errorf("mockserver: client_id %q is not a URL", docURL)
	}
	if !(u.Scheme == "https" && u.Host != "" || u.Scheme == "http" && isLoopbackHost(u.Hostname())) {
		return fmt.Errorf("mockserver: client_id %q must be an https URL", docURL)
	}
	if u.User != nil || strings.Contains(docURL, "#") {
		return fmt.Errorf("mockserver: client_id %q must carry neither credentials nor a fragment", docURL)
	}
	segments := strings.Split(u.Path, "/")
	if u.Path == "" || u.Path == "/" || slices.Contains(segments, ".") || slices.Contains(segments, "..") {
		return fmt.Errorf("mockserver: client_id %q needs a path without dot segments", docURL)
	}
	return nil
}

// metadataDocumentTransport connects to the document's host directly (no
// proxy). TLS is dialled apart so that plain http, and only it, is held to
// loopback addresses, whatever a name resolves to.
var metadataDocumentTransport = &http.Transport{
	DialContext:    (&net.Dialer{Timeout: metadataDocumentTimeout, Control: loopbackOnly}).DialContext,
	DialTLSContext: (&tls.Dialer{NetDialer: &net.Dialer{Timeout: metadataDocumentTimeout}}).DialContext,
	// One fetch a minute at most per client: nothing to keep open.
	DisableKeepAlives: true,
}

func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("mockserver: plain http only to loopback, not %s", address)
	}
	return nil
}

func fetchMetadataDocument(ctx context.Context, docURL string, followRedirects bool) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, metadataDocumentTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, docURL, nil)
	if err != nil {
		return nil, fmt.Errorf("mockserver: client ID metadata document request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	fetcher := &http.Client{Transport: metadataDocumentTransport}
	if !followRedirects {
		// A redirect could lead anywhere, internal hosts included.
		fetcher.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	resp, err := fetcher.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mockserver: fetch client ID metadata document: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mockserver: client ID metadata document %s answered %d, not 200", docURL, resp.StatusCode)
	}
	if mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mediaType != "application/json" {
		return nil, fmt.Errorf("mockserver: client ID metadata document %s is not application/json", docURL)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxClientMetadata+1))
	if err != nil {
		return nil, fmt.Errorf("mockserver: read client ID metadata document: %w", err)
	}
	if len(body) > maxClientMetadata {
		return nil, fmt.Errorf("mockserver: client ID metadata document %s exceeds %d bytes", docURL, maxClientMetadata)
	}
	return body, nil
}

// metadataDocument is client metadata plus what a document must carry and
// must not carry.
type metadataDocument struct {
	clientMetadata
	ClientID              string          `json:"client_id"`
	ClientSecret          json.RawMessage `json:"client_secret"`
	ClientSecretExpiresAt json.RawMessage `json:"client_secret_expires_at"`
}

// metadataDocumentClient checks a fetched document as registration would,
// plus the draft's rules: client_id equal to the URL, no shared secret.
func metadataDocumentClient(docURL string, body []byte, skipClientIDCheck bool) (*client, error) {
	var doc metadataDocument
	if refusal := decodeClientMetadata(body, &doc); refusal != nil {
		return nil, fmt.Errorf("mockserver: client ID metadata document: %s", refusal.reason)
	}
	if doc.ClientID != docURL && !skipClientIDCheck {
		return nil, fmt.Errorf("mockserver: client ID metadata document client_id %q differs from its URL %q", doc.ClientID, docURL)
	}
	if doc.ClientName == "" {
		return nil, errors.New("mockserver: client ID metadata document lacks client_name")
	}
	if doc.ClientSecret != nil || doc.ClientSecretExpiresAt != nil {
		return nil, errors.New("mockserver: a client ID metadata document must not carry a client secret")
	}
	switch doc.TokenEndpointAuthMethod {
	case "":
		doc.TokenEndpointAuthMethod = authNone // a document cannot hold a shared secret
	case authNone, authPrivateKeyJWT:
	default:
		return nil, fmt.Errorf("mockserver: client ID metadata document auth method %q: only none and private_key_jwt work without a shared secret", doc.TokenEndpointAuthMethod)
	}
	c, refusal := validateClientMetadata(doc.clientMetadata, nil)
	if refusal != nil {
		return nil, fmt.Errorf("mockserver: client ID metadata document: %s", refusal.reason)
	}
	c.ID, c.MetadataURL, c.IssuedAt = docURL, docURL, time.Now()
	return c, nil
}
