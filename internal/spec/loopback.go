package spec

import (
	"net"
	"net/url"
	"strings"
)

// IsLoopbackHost reports whether host (a URL's Hostname) names this
// machine's loopback: "localhost" or a loopback IP address (RFC 8252 §7.3,
// §8.3).
func IsLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback()
}

// RedirectURIMatches reports whether requested is the registered redirect
// URI: the same string, except that a loopback IP redirect URI may name
// any port (OAuth 2.1 §8.4.2, RFC 8252 §7.3): native clients pick a free
// port at run time.
func RedirectURIMatches(registered, requested string) bool {
	if requested == registered {
		return true
	}
	reg, err := url.Parse(registered)
	if err != nil || reg.Scheme != "http" {
		return false
	}
	if ip := net.ParseIP(reg.Hostname()); ip == nil || !ip.IsLoopback() {
		return false
	}
	req, err := url.Parse(requested)
	if err != nil || req.Scheme != "http" || req.Hostname() != reg.Hostname() {
		return false
	}
	req.Host = reg.Host // the port, and nothing else, may differ
	return req.String() == registered
}
