package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mcpconform/mcpconform/mockclient"
)

// Environment of the official MCP conformance suite's client runner: a
// client wired for it runs here unchanged.
const (
	EnvScenario = "MCP_CONFORMANCE_SCENARIO"
	EnvContext  = "MCP_CONFORMANCE_CONTEXT"
	// EnvBrowseLog names the file `mcpconform browse` records each URL it
	// is asked to open in, one JSON string a line: what the client handed
	// its $BROWSER; and, after one that ended at the client's redirect
	// URI, that page, a BrowsedCallbackPage.
	EnvBrowseLog = "MCPCONFORM_BROWSE_LOG"
)

// BrowsedCallbackPage is a browse log line: the page a browse ended on at
// the client's redirect URI (mockclient.CallbackPage).
type BrowsedCallbackPage struct {
	Page *mockclient.Page `json:"callback_page"`
}

// HelperEnv is the environment of mcpconform's own short-lived helper
// processes (the bundled reference client, browse): testcontainers-go's
// package init lists every process on the machine through gopsutil, which
// none of them needs, and a HOST_PROC pointing nowhere makes that list
// empty. Under a parallel run it was a quarter of their CPU time.
const HelperEnv = "HOST_PROC=/nonexistent"

// HelperCommand is a shell command line running words (this binary's, one
// word each) as such a helper.
func HelperCommand(words ...string) string {
	return "env " + HelperEnv + " " + strings.Join(words, " ")
}

// maxOutput bounds how much of the client's output a scenario keeps (the
// end of it, where the reason of a failure usually is).
const maxOutput = 32 << 10

// Launcher runs the client under test once per scenario.
type Launcher struct {
	// Command is a shell command line; the MCP server URL is appended as
	// its last argument.
	Command string
	// URLEnv, when set, names an environment variable that carries the URL
	// instead of the last argument.
	URLEnv string
	// Env is added to the inherited environment (BROWSER, say).
	Env []string
	// TimeLimit bounds one run of the client; its process group is killed
	// when it is reached.
	TimeLimit time.Duration
}

// Outcome is how one run of the client ended.
type Outcome struct {
	ExitCode int    // -1 when it did not exit by itself
	Served   bool   // the scenario was served, not launched (Serving)
	TimedOut bool   // killed at the time limit
	Err      string // it could not be started, or was cut short by the run's end
	Output   string // the end of its stdout and stderr, unredacted
	Duration time.Duration
}

// Launch runs the client against mcpURL for scenario, with extra in
// MCP_CONFORMANCE_CONTEXT and env added to its environment, and waits for
// it, at most the time limit.
func (l Launcher) Launch(ctx context.Context, scenario, mcpURL string, extra map[string]any, env ...string) Outcome {
	contextJSON, err := json.Marshal(withName(extra, scenario))
	if err != nil {
		return Outcome{ExitCode: -1, Err: fmt.Sprintf("client: encode context: %v", err)}
	}
	limited, cancel := contextWithLimit(ctx, l.TimeLimit)
	defer cancel()
	// exec keeps the client's own process the group leader's only child,
	// and "$@" passes the URL as one argument whatever it holds.
	args := []string{"-c", "exec " + l.Command + ` "$@"`, "mcpconform-client", mcpURL}
	if l.URLEnv != "" {
		args = []string{"-c", "exec " + l.Command}
	}
	cmd := exec.CommandContext(limited, "/bin/sh", args...)
	cmd.Env = append(os.Environ(), l.Env...)
	cmd.Env = append(cmd.Env, env...)
	cmd.Env = append(cmd.Env, EnvScenario+"="+scenario, EnvContext+"="+string(contextJSON))
	if l.URLEnv != "" {
		cmd.Env = append(cmd.Env, l.URLEnv+"="+mcpURL)
	}
	out := &tailBuffer{limit: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A hung client is killed with everything it started; descendants that
	// keep its output open get a moment, then are cut off.
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	started := time.Now()
	err = cmd.Run()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what it left running in the background
	}
	o := Outcome{ExitCode: -1, Output: out.String(), Duration: time.Since(started)}
	if cmd.ProcessState != nil && cmd.ProcessState.Exited() {
		o.ExitCode = cmd.ProcessState.ExitCode()
	}
	switch {
	case errors.Is(limited.Err(), context.DeadlineExceeded) && ctx.Err() == nil:
		o.TimedOut = true
	case ctx.Err() != nil:
		o.Err = "client: the run ended before the client did"
	case err != nil && cmd.ProcessState == nil:
		o.Err = fmt.Sprintf("client: start %q: %v", l.Command, err)
	}
	return o
}

func withName(extra map[string]any, scenario string) map[string]any {
	out := map[string]any{"name": scenario}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func contextWithLimit(ctx context.Context, limit time.Duration) (context.Context, context.CancelFunc) {
	if limit <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, limit)
}

// tailBuffer keeps the last limit bytes written to it.
type tailBuffer struct {
	mu    sync.Mutex
	limit int
	buf   []byte
	cut   bool
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.limit; over > 0 {
		b.buf, b.cut = append(b.buf[:0], b.buf[over:]...), true
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cut {
		return "[...]\n" + string(b.buf)
	}
	return string(b.buf)
}
