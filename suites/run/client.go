package run

import (
	"context"
	"io"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/client"
)

// ClientConfig is a client-mode run.
type ClientConfig struct {
	Filter   catalog.Filter
	Launcher client.Launcher
	// Serve, when set, serves the scenarios for a client a person points at
	// them, instead of launching one.
	Serve *client.Serving
	// Parallel is how many scenarios run at once.
	Parallel int
	Progress io.Writer // one line per check as it completes
	// Baseline words the progress lines, as ServerConfig.Baseline does.
	Baseline reports.Baseline
	Verbose  bool // Ginkgo's own output too
	Version  string
	// Redactor, when set, gathers every secret the run learns.
	Redactor *evidence.Redactor
}

// Client runs the client-mode checks the filter selects: each scenario they
// judge runs the client once against its own counterparts, then the checks
// judge what the counterparts saw.
func Client(ctx context.Context, cfg ClientConfig) (*reports.Results, error) {
	selected, err := selectChecks(cfg.Filter)
	if err != nil {
		return nil, err
	}
	redactor := cfg.Redactor
	if redactor == nil {
		redactor = &evidence.Redactor{}
	}
	target := cfg.Launcher.Command
	if cfg.Serve != nil {
		target = "served scenarios"
	}
	res := newResults("client", target, cfg.Filter, cfg.Version)
	defer func() {
		res.FinishedAt = time.Now().UTC()
		res.Summarize()
	}()
	observed := client.Observe(ctx, client.Config{Launcher: cfg.Launcher, Revision: cfg.Filter.Revision,
		Parallel: cfg.Parallel, Redactor: redactor, Serve: cfg.Serve}, scenariosOf(selected, cfg.Filter))
	declared().client.Use(cfg.Filter.Revision, observed)
	report := execute(ctx, cfg.Filter, newProgress(cfg.Progress, cfg.Baseline, selected), cfg.Verbose, redactor.Text)
	res.Checks, res.Interrupted = results(report, cfg.Filter.Revision, selected, redactor.Text)
	res.Interrupted = res.Interrupted || ctx.Err() != nil
	return res, nil
}

// ClientScenarios are the scenarios the checks filter selects judge: what
// a client-mode run with it starts.
func ClientScenarios(filter catalog.Filter) []client.Scenario {
	return scenariosOf(filter.Select(), filter)
}

// scenariosOf are the scenarios the checks judge, in the filter's revision.
func scenariosOf(checks []catalog.Check, filter catalog.Filter) []client.Scenario {
	var out []client.Scenario
	seen := map[string]bool{}
	for _, c := range checks {
		for _, name := range c.Scenarios {
			sc, ok := client.LookupScenario(name)
			if ok && !seen[name] && sc.AppliesTo(filter.Revision) {
				seen[name] = true
				out = append(out, sc)
			}
		}
	}
	return out
}
