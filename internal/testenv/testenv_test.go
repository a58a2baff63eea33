package testenv_test

import (
	"net"
	"strconv"
	"testing"

	"github.com/mcpconform/mcpconform/internal/testenv"
)

func TestPickPortIsBindableAndBelowTheEphemeralRange(t *testing.T) {
	port, err := testenv.PickPort()
	if err != nil {
		t.Fatal(err)
	}
	if port < 20000 || port >= 32000 {
		t.Fatalf("port %d outside 20000-31999", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("picked port %d is not bindable: %v", port, err)
	}
	ln.Close()
}
