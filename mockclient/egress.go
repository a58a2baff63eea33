package mockclient

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"sync"
	"syscall"
)

// Where the suite connects. A target is untrusted: it may name, or redirect
// to, a cloud metadata service, and what that answers would land in the
// reports. The check is made on the address actually dialled, after DNS, so
// neither a host name resolving there nor a redirect gets around it.

// refusedPrefixes are link-local addresses, where cloud metadata services
// and other host-local services live, and the metadata addresses outside
// them (AWS's IPv6 one, Alibaba Cloud's).
var refusedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("fd00:ec2::254/128"),
	netip.MustParsePrefix("100.100.100.200/32"),
}

// ErrEgressRefused marks a connection the suite refused to open: to a
// link-local or cloud metadata address, without --allow-private-egress.
var ErrEgressRefused = errors.New("connection refused by mcpconform")

// egressGuard decides, at dial time, which addresses the client connects to.
type egressGuard struct {
	allowPrivate bool
	// connecting, when set (tests), is told of every connection let
	// through, before it is opened; an error stops it.
	connecting func(address string) error
}

// control is the dialer's hook, called with the resolved address before
// connecting.
func (g *egressGuard) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("mockclient: dial address %q: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("mockclient: dial address %q: %w", address, err)
	}
	if !g.allowPrivate && refusedAddress(ip) {
		return fmt.Errorf("%w: %s is a link-local or cloud metadata address (--allow-private-egress allows it)", ErrEgressRefused, host)
	}
	if g.connecting != nil {
		return g.connecting(address)
	}
	return nil
}

// refusedAddress reports whether ip is link-local or a metadata address,
// also as an IPv4-mapped IPv6 address.
func refusedAddress(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	for _, p := range refusedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// namedOrigins are the origins the target named for the authorization step:
// its own, its authorization servers', their endpoints'. The user agent
// strategies follow redirects only within them and the redirect URI's.
type namedOrigins struct {
	mu  sync.Mutex
	set map[string]bool
}

// add names the origins of urls; what does not parse as an absolute URL
// names nothing.
func (n *namedOrigins) add(urls ...string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		if n.set == nil {
			n.set = map[string]bool{}
		}
		n.set[origin(u)] = true
	}
}

func (n *namedOrigins) has(u *url.URL) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.set[origin(u)]
}

// NameOrigins adds the origins of urls to those the target named, which
// the authorization step may visit.
func (c *Client) NameOrigins(urls ...string) { c.named.add(urls...) }

// mayVisit reports whether the user agent may go to target during an
// authorization that started at start and returns to redirectURI.
func (c *Client) mayVisit(target *url.URL, start, redirectURI string) bool {
	if c.named.has(target) {
		return true
	}
	for _, raw := range []string{start, redirectURI} {
		if u, err := url.Parse(raw); err == nil && origin(u) == origin(target) {
			return true
		}
	}
	return false
}

// unnamedOrigin is why an authorization stops at a redirect to an origin
// the target never named: the checks that need it are not run.
func (c *Client) unnamedOrigin(from, target *url.URL) error {
	return &NotRunError{Reason: fmt.Sprintf("the authorization step at %s redirected to %s, an origin neither the MCP server, "+
		"its protected resource metadata nor its authorization server metadata names; the suite does not follow it "+
		"(--allow-origin allows it)",
		c.redactor.URL(from.String()), c.redactor.URL(origin(target)))}
}
