package main

import (
	"context"
	"errors"

	"github.com/spf13/pflag"

	"github.com/mcpconform/mcpconform/internal/canary"
	"github.com/mcpconform/mcpconform/suites/server"
)

// canaryFlags name the canary upstream API the target is pointed at and the
// tool that makes it call there.
type canaryFlags struct {
	url, tool string
}

func (f *canaryFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.url, "canary", "", "loopback http URL to serve a canary upstream API at for the run; "+
		"the target's upstream API must be pointed there (e.g. http://127.0.0.1:9401)")
	fs.StringVar(&f.tool, "canary-tool", "", "the target's tool that calls its upstream API (with --canary)")
}

// referenceUpstreamTool is the bundled reference's tool that calls upstream.
const referenceUpstreamTool = "fetch_upstream"

// start serves the canary, or returns none when not asked for. The bundled
// reference gets one on a free port, with its tool.
func (f canaryFlags) start(ctx context.Context, reference bool) (server.Upstream, error) {
	rawURL, tool := f.url, f.tool
	switch {
	case rawURL == "" && tool == "" && !reference:
		return server.Upstream{}, nil
	case rawURL == "" && tool == "":
		rawURL, tool = "http://127.0.0.1:0", referenceUpstreamTool
	case rawURL == "" || tool == "":
		return server.Upstream{}, errors.New("--canary and --canary-tool go together")
	}
	c, err := canary.Serve(ctx, rawURL)
	if err != nil {
		return server.Upstream{}, err
	}
	return server.Upstream{Canary: c, Tool: tool}, nil
}
