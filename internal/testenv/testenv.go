// Package testenv holds what the test suites share about the machine they
// run on: loopback ports to name before something binds them, and the
// browser the browser strategy needs.
package testenv

import (
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
)

// Ports are picked below Linux's ephemeral range (32768-60999), so that no
// outgoing connection takes one in the moment between picking and binding.
const lowPort, highPort = 20000, 32000

// PickPort returns a port on 127.0.0.1 that was free when picked; it needs
// no Ginkgo, for code running outside a spec's goroutine.
func PickPort() (int, error) {
	for range 50 {
		port := lowPort + rand.IntN(highPort-lowPort)
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		ln.Close()
		return port, nil
	}
	return 0, errors.New("testenv: no free port on 127.0.0.1")
}

// FreePort is PickPort inside a spec.
func FreePort() int {
	GinkgoHelper()
	port, err := PickPort()
	Expect(err).NotTo(HaveOccurred())
	return port
}

// RequireBrowser fails the spec without Chromium, unless
// MCPCONFORM_SKIP_BROWSER=1 says to skip instead.
func RequireBrowser() {
	GinkgoHelper()
	_, err := mockclient.NewStrategy(mockclient.StrategyConfig{Name: mockclient.StrategyBrowser})
	if err == nil {
		return
	}
	if os.Getenv("MCPCONFORM_SKIP_BROWSER") == "1" {
		Skip("MCPCONFORM_SKIP_BROWSER=1 and " + err.Error())
	}
	Fail(err.Error() + "\ninstall Chromium (.ci/run does), or set MCPCONFORM_SKIP_BROWSER=1 to skip this test")
}
