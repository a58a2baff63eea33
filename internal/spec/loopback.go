package spec

import (
	"net"
	"strings"
)

// IsLoopbackHost reports whether host (a URL's Hostname) names this
// machine's loopback: "localhost" or a loopback IP address (RFC 8252 §7.3,
// §8.3).
func IsLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback()
}
