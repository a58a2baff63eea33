package selftest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/mockserver"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/check"
)

// A trial is one run of the binary against the reference target, judged
// without Gomega so that trials can run side by side.
type trial struct {
	name     string
	revision spec.Revision
	opts     []mockserver.Option
	expected []string // the checks that must fail; every other passes
	args     []string // flags of the server command beyond the target's
	// client: a client-mode trial of the reference client with clientFaults.
	client       bool
	clientFaults []fault.Name
}

// runTrial starts the reference over HTTPS, trusting the test issuer and
// pointed at a canary, runs the suite against it as a user configures it
// and returns every way the outcome differs from the trial's expectation;
// a client trial runs client mode on the reference client instead.
func runTrial(t trial) []string {
	if t.client {
		return runClientTrial(t)
	}
	dir, err := os.MkdirTemp("", "mcpconform-trial-")
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", t.name, err)}
	}
	defer os.RemoveAll(dir)
	srv, caFile, counterparts, err := configuredTarget(t.revision, dir, t.opts...)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", t.name, err)}
	}
	defer srv.Close()
	args := append([]string{"server", "--url", srv.MCPURL(), "--spec-version", string(t.revision),
		"--timeout", hostileTimeout, "--ca-file", caFile}, counterparts...)
	res, code, err := runAndRead(dir, append(args, t.args...)...)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", t.name, err)}
	}
	return judge(t, res, code)
}

// runAndRead runs the binary with args to completion (a minute at most),
// its reports going to dir, and reads the results with the exit code.
func runAndRead(dir string, args ...string) (*reports.Results, int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, append(args, "--report-dir", dir)...)
	cmd.Env = append(os.Environ(), "MCPCONFORM_INITIAL_ACCESS_TOKEN="+initialAccessToken)
	output, runErr := cmd.CombinedOutput()
	var exit *exec.ExitError
	code := 0
	if errors.As(runErr, &exit) {
		code = exit.ExitCode()
	} else if runErr != nil {
		return nil, 0, fmt.Errorf("run: %w", runErr)
	}
	res, err := readResultsFile(dir)
	if err != nil {
		return nil, code, fmt.Errorf("%w\n%s", err, output)
	}
	return res, code, nil
}

func readResultsFile(dir string) (*reports.Results, error) {
	f, err := os.Open(filepath.Join(dir, reports.ResultsFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return reports.ReadJSON(f)
}

// judge lists how res differs from what the trial expects: exactly the
// expected checks failed, each with a reason and evidence; every other
// check passed, in server mode with the exchanges it judged as evidence
// (a pass without them judged nothing), or was skipped because a step it
// builds on failed; the exit code says so.
func judge(t trial, res *reports.Results, code int) []string {
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, t.name+": "+fmt.Sprintf(format, args...))
	}
	var failed []string
	for _, c := range res.Checks {
		switch c.Status {
		case reports.StatusFailed:
			failed = append(failed, c.ID)
			if strings.TrimSpace(c.Message) == "" || len(c.Evidence) == 0 {
				bad("%s failed without a reason or evidence", c.ID)
			}
		case reports.StatusSkipped:
			if len(t.expected) == 0 || !strings.HasPrefix(c.Message, check.PrerequisitePrefix) {
				bad("%s skipped: %s", c.ID, c.Message)
			}
		case reports.StatusPassed:
			// Client checks judge what a scenario saw, which may be
			// nothing on the wire (a handshake broken off, a page read).
			if !t.client && len(c.Evidence) == 0 {
				bad("%s passed without evidence of the exchange it judged", c.ID)
			}
		}
	}
	slices.Sort(failed)
	expected := slices.Sorted(slices.Values(t.expected))
	if !slices.Equal(failed, expected) {
		messages := map[string]string{}
		for _, c := range res.Checks {
			if c.Message != "" {
				messages[c.ID] = c.Message
			}
		}
		detail, _ := json.MarshalIndent(messages, "", "  ")
		bad("failed %v, want %v; messages: %s", failed, expected, detail)
	}
	if want := len(catalog.Filter{Revision: t.revision, Roles: t.roles()}.Select()); len(res.Checks) != want {
		bad("%d checks reported, want %d", len(res.Checks), want)
	}
	wantCode := reports.ExitOK
	if len(expected) > 0 {
		wantCode = reports.ExitFailures
	}
	if code != wantCode {
		bad("exit code %d, want %d", code, wantCode)
	}
	return problems
}

// runTrials runs trials a few at a time (the machine has two cores; each
// trial is a process plus an in-process reference) and collects every
// problem.
func runTrials(trials []trial, workers int) []string {
	results := make(chan []string)
	queue := make(chan trial)
	for range workers {
		go func() {
			for t := range queue {
				results <- runTrial(t)
			}
		}()
	}
	go func() {
		for _, t := range trials {
			queue <- t
		}
		close(queue)
	}()
	var problems []string
	for range trials {
		problems = append(problems, <-results...)
	}
	return problems
}

// clientChecks and serverChecks are the checks of each mode.
func clientChecks() []catalog.Check { return checksOf(spec.RoleClient) }
func serverChecks() []catalog.Check { return checksOf(spec.RoleAS, spec.RoleRS) }

func checksOf(roles ...spec.Role) []catalog.Check {
	return slices.DeleteFunc(catalog.All(), func(c catalog.Check) bool { return !slices.Contains(roles, c.Role) })
}

// roles are the roles a trial's mode judges.
func (t trial) roles() []spec.Role {
	if t.client {
		return []spec.Role{spec.RoleClient}
	}
	return []spec.Role{spec.RoleAS, spec.RoleRS}
}
