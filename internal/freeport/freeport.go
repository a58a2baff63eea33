// Package freeport finds a loopback TCP port nothing listens on, for tests
// that must name a port before the process that binds it starts.
package freeport

import (
	"errors"
	"math/rand/v2"
	"net"
	"strconv"
)

// The range ports are picked from lies below Linux's ephemeral range
// (32768-60999), so that no outgoing connection takes the port in the
// moment between picking it and binding it.
const low, high = 20000, 32000

// Pick returns a port on 127.0.0.1 that was free when picked.
func Pick() (int, error) {
	for range 50 {
		port := low + rand.IntN(high-low)
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		ln.Close()
		return port, nil
	}
	return 0, errors.New("freeport: no free port on 127.0.0.1")
}
