package mockserver

import (
	"fmt"
	"net"
	"slices"
)

// WithAddress has the MCP server listen on addr, a loopback IP and port,
// instead of a free port: a client told the URL beforehand, as a container
// image's is, needs it fixed. The authorization server keeps a free port
// from 2025-06-18 on (before, it is the MCP server).
func WithAddress(addr string) Option {
	return func(c *config) { c.address = addr }
}

// listenAddresses are the n listeners' addresses, the MCP server's first.
// They stay on loopback: a target with faults is no service for others.
func (c config) listenAddresses(n int) ([]string, error) {
	addrs := slices.Repeat([]string{"127.0.0.1:0"}, n)
	if c.address == "" {
		return addrs, nil
	}
	host, _, err := net.SplitHostPort(c.address)
	if err != nil {
		return nil, fmt.Errorf("mockserver: address: %w", err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.Equal(net.IPv4(127, 0, 0, 1)) {
		return nil, fmt.Errorf("mockserver: address %s: the reference listens on 127.0.0.1 only", c.address)
	}
	addrs[0] = c.address
	return addrs, nil
}
