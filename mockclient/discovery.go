package mockclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/oauthex"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/internal/spec"
)

// Discovery walks MCP authorization discovery for one MCP server the way a
// client of the chosen revision does. Each step runs once and is remembered,
// so every check that needs it sees the same exchange.
type Discovery struct {
	Revision spec.Revision
	MCPURL   string
	client   *Client

	probe       Memo[*Response]
	prm         Memo[*Document]
	prmInserted Memo[*Document]
	serverMeta  Memo[*ServerMetadata]
}

// ServerMetadata is the authorization server metadata found for an issuer.
type ServerMetadata struct {
	*Document
	// ExpectedIssuer is the issuer the document was looked up for.
	ExpectedIssuer string
	// OpenID says the document came from OpenID Connect discovery.
	OpenID bool
	// Attempts are the candidate fetches in the order tried.
	Attempts []*Document
}

// NewDiscovery prepares discovery of the MCP server at mcpURL.
func NewDiscovery(c *Client, rev spec.Revision, mcpURL string) *Discovery {
	c.NameOrigins(mcpURL)
	return &Discovery{Revision: rev, MCPURL: mcpURL, client: c}
}

// initializeRequest is the first message any MCP client sends.
const initializeRequest = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},"clientInfo":{"name":"mcpconform","version":"1"}}}`

// Unauthenticated sends an MCP initialize request without credentials.
func (d *Discovery) Unauthenticated(ctx context.Context) (*Response, error) {
	return d.probe.Do(func() (*Response, error) {
		header := http.Header{
			"Content-Type": {"application/json"},
			"Accept":       {"application/json, text/event-stream"},
		}
		return d.client.Do(ctx, http.MethodPost, d.MCPURL, header, InitializeRequest(d.Revision))
	})
}

// Challenge is the Bearer challenge of a 401 and the response it came in.
type Challenge struct {
	Params   map[string]string
	Response *Response
}

// Evidence is the response that carried the challenge; nil-safe.
func (c *Challenge) Evidence() []evidence.Exchange {
	if c == nil {
		return nil
	}
	return c.Response.Evidence()
}

// BearerChallenge returns the Bearer challenge of the unauthenticated
// request's 401, or an error saying why there is none.
func (d *Discovery) BearerChallenge(ctx context.Context) (*Challenge, error) {
	resp, err := d.Unauthenticated(ctx)
	out := &Challenge{Response: resp}
	if err != nil {
		return out, err
	}
	if resp.Status != http.StatusUnauthorized {
		return out, fmt.Errorf("mockclient: unauthenticated request answered %d, not 401", resp.Status)
	}
	bearer, err := ParseBearerChallenge(resp.Header.Values("WWW-Authenticate"))
	if err != nil {
		return out, err
	}
	out.Params = bearer.Params
	return out, nil
}

// ParseBearerChallenge finds the Bearer challenge among WWW-Authenticate values.
func ParseBearerChallenge(values []string) (ch *oauthex.Challenge, err error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("mockclient: 401 without WWW-Authenticate")
	}
	defer func() {
		// The parser reads target input; a panic there is the target's malformed header.
		if r := recover(); r != nil {
			ch, err = nil, fmt.Errorf("mockclient: unparseable WWW-Authenticate %q", values)
		}
	}()
	challenges, err := oauthex.ParseWWWAuthenticate(values)
	if err != nil {
		return nil, fmt.Errorf("mockclient: parse WWW-Authenticate: %w", err)
	}
	for i := range challenges {
		if strings.EqualFold(challenges[i].Scheme, "bearer") {
			return &challenges[i], nil
		}
	}
	return nil, fmt.Errorf("mockclient: no Bearer challenge in %q", values)
}

// ProtectedResourceMetadata finds the RFC 9728 document where a client of the
// revision looks: the challenge's resource_metadata URL if there is one, else
// the path-inserted well-known URL, and from 2025-11-25 also the root one.
// The authorization servers it lists are named for the authorization step.
func (d *Discovery) ProtectedResourceMetadata(ctx context.Context) (*Document, error) {
	return d.prm.Do(func() (*Document, error) {
		doc, err := d.protectedResourceMetadata(ctx)
		if err == nil {
			servers, _ := doc.Strings("authorization_servers")
			d.client.NameOrigins(servers...)
		}
		return doc, err
	})
}

func (d *Discovery) protectedResourceMetadata(ctx context.Context) (*Document, error) {
	if ch, err := d.BearerChallenge(ctx); err == nil && ch.Params["resource_metadata"] != "" {
		return d.client.GetDocument(ctx, ch.Params["resource_metadata"])
	}
	inserted, err := spec.InsertWellKnown(d.MCPURL, spec.SuffixProtectedResource)
	if err != nil {
		return nil, err
	}
	doc, err := d.PathInsertedMetadata(ctx)
	if err == nil || !d.Revision.FallsBackToRootMetadata() {
		return doc, err
	}
	root, rootErr := spec.RootWellKnown(d.MCPURL, spec.SuffixProtectedResource)
	if rootErr != nil || root == inserted {
		return nil, err
	}
	rootDoc, rootErr := d.client.GetDocument(ctx, root)
	if rootErr != nil {
		return nil, fmt.Errorf("%w; root fallback: %w", err, rootErr)
	}
	return rootDoc, nil
}

// PathInsertedMetadata fetches the RFC 9728 well-known URL formed by path
// insertion, reusing the discovery fetch when it was the same URL.
func (d *Discovery) PathInsertedMetadata(ctx context.Context) (*Document, error) {
	return d.prmInserted.Do(func() (*Document, error) {
		inserted, err := spec.InsertWellKnown(d.MCPURL, spec.SuffixProtectedResource)
		if err != nil {
			return nil, err
		}
		if ch, chErr := d.BearerChallenge(ctx); chErr == nil && ch.Params["resource_metadata"] == inserted {
			return d.ProtectedResourceMetadata(ctx)
		}
		return d.client.GetDocument(ctx, inserted)
	})
}

// AuthorizationServerMetadata finds the metadata of the Issuer. Candidates are tried in the revision's order and the
// first JSON object answered with 200 wins.
func (d *Discovery) AuthorizationServerMetadata(ctx context.Context) (*ServerMetadata, error) {
	return d.serverMeta.Do(func() (*ServerMetadata, error) {
		issuer, candidates, err := d.metadataCandidates(ctx)
		if err != nil {
			return nil, err
		}
		meta := &ServerMetadata{ExpectedIssuer: issuer}
		var errs []string
		var unreachable, refused []error
		for _, c := range candidates {
			doc, err := d.client.GetDocument(ctx, c.URL)
			meta.Attempts = append(meta.Attempts, doc)
			if err != nil {
				errs = append(errs, err.Error())
				switch {
				case errors.Is(err, ErrUnreachable):
					unreachable = append(unreachable, err)
				case errors.Is(err, ErrEgressRefused):
					refused = append(refused, err)
				}
				continue
			}
			meta.Document, meta.OpenID = doc, c.OpenID
			d.client.NameOrigins(endpointsOf(doc)...)
			return meta, nil
		}
		switch {
		case len(unreachable) > 0 && len(unreachable) == len(candidates):
			return meta, fmt.Errorf("mockclient: authorization server %s: %w", issuer, unreachable[0])
		case len(refused) > 0 && len(refused) == len(candidates):
			return meta, refused[0] // not looked at, so not judged
		}
		return meta, fmt.Errorf("mockclient: no authorization server metadata for issuer %s: %s", issuer, strings.Join(errs, "; "))
	})
}

// endpointsOf is the issuer and every endpoint that authorization server
// metadata names (its members named *_endpoint).
func endpointsOf(meta *Document) []string {
	var out []string
	for name := range meta.Members {
		if name == "issuer" || strings.HasSuffix(name, "_endpoint") {
			if value, ok := meta.String(name); ok {
				out = append(out, value)
			}
		}
	}
	return out
}

// Issuer is the authorization server to look up: the first one the protected
// resource metadata lists, or (2025-03-26) the MCP server's own origin.
func (d *Discovery) Issuer(ctx context.Context) (string, error) {
	if !d.Revision.UsesProtectedResourceMetadata() {
		return spec.Origin(d.MCPURL)
	}
	prm, err := d.ProtectedResourceMetadata(ctx)
	if err != nil {
		return "", fmt.Errorf("mockclient: protected resource metadata unavailable: %w", err)
	}
	servers, ok := prm.Strings("authorization_servers")
	if !ok || len(servers) == 0 {
		return "", fmt.Errorf("mockclient: protected resource metadata lists no authorization_servers")
	}
	return servers[0], nil
}

func (d *Discovery) metadataCandidates(ctx context.Context) (string, []spec.MetadataCandidate, error) {
	issuer, err := d.Issuer(ctx)
	if err != nil {
		return "", nil, err
	}
	if !d.Revision.UsesProtectedResourceMetadata() {
		url, err := spec.LegacyMetadataURL(d.MCPURL)
		return issuer, []spec.MetadataCandidate{{URL: url}}, err
	}
	candidates, err := d.Revision.AuthorizationServerMetadataURLs(issuer)
	return issuer, candidates, err
}

// InitializeRequest is the MCP initialize message a client of revision r
// sends first; draft speaks the newest dated protocol version.
func InitializeRequest(r spec.Revision) string {
	version := string(r)
	if r == spec.RevDraft {
		version = string(spec.Latest)
	}
	return fmt.Sprintf(initializeRequest, version)
}

// Memo runs a step once and remembers its outcome, so every check that
// builds on it sees the same exchange.
type Memo[T any] struct {
	once  sync.Once
	value T
	err   error
}

// Do runs f the first time and returns its outcome every time.
func (s *Memo[T]) Do(f func() (T, error)) (T, error) {
	s.once.Do(func() { s.value, s.err = f() })
	return s.value, s.err
}

// Evidence is every candidate fetch; nil-safe.
func (m *ServerMetadata) Evidence() []evidence.Exchange {
	if m == nil {
		return nil
	}
	var out []evidence.Exchange
	for _, a := range m.Attempts {
		out = append(out, a.Evidence()...)
	}
	return out
}
