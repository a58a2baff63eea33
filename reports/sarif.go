package reports

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// SARIFSchemaURI is the OASIS SARIF 2.1.0 schema results.sarif declares.
const SARIFSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// The SARIF 2.1.0 objects results.sarif uses (OASIS SARIF 2.1.0 §3).
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool              `json:"tool"`
	AutomationDetails sarifAutomationDetails `json:"automationDetails"`
	Invocations       []sarifInvocation      `json:"invocations"`
	Results           []sarifResult          `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifAutomationDetails struct {
	ID string `json:"id"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	HelpURI              string             `json:"helpUri,omitempty"`
	Help                 sarifHelp          `json:"help"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

// sarifRuleProps: tags and security-severity are what GitHub code scanning
// reads to label and rank an alert.
type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
	Level            string   `json:"mcpconform/level"`
	Severity         string   `json:"mcpconform/severity"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	ExitCode            int                 `json:"exitCode"`
	StartTimeUTC        string              `json:"startTimeUtc,omitempty"`
	EndTimeUTC          string              `json:"endTimeUtc,omitempty"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Kind                string             `json:"kind"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifResultProps struct {
	Status Status `json:"mcpconform/status"`
	// Gated is false for a failure the gate (--fail-on) leaves out.
	Gated bool `json:"mcpconform/gated"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation  `json:"physicalLocation"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

// informationURI is where mcpconform is documented.
const informationURI = "https://github.com/mcpconform/mcpconform"

// WriteSARIF writes r as a SARIF 2.1.0 log for code scanning: one rule per
// check, and one result per failed check (expected failures as results
// suppressed by the baseline), and per baseline entry that now passes.
// Code scanning needs a file location for each result. It is the baseline
// file when the run has one: the file in the repository a team edits to
// accept or track a finding, which code scanning resolves. Without one, it
// is the target's URL (server mode), which code scanning lists without a
// source snippet, or the client's program name (client mode). The target
// is also every result's logical location.
func WriteSARIF(w io.Writer, r *Results) error {
	verdict := Judge(r)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "mcpconform", Version: r.Tool.Version, InformationURI: informationURI,
			Rules: []sarifRule{}}},
		// One analysis per mode and revision: code scanning keeps their alerts apart.
		AutomationDetails: sarifAutomationDetails{ID: "mcpconform/" + r.Mode + "/" + r.SpecVersion + "/"},
		Invocations: []sarifInvocation{{
			ExecutionSuccessful: r.Error == "" && !r.Interrupted,
			ExitCode:            verdict.ExitCode,
			StartTimeUTC:        sarifTime(r.StartedAt),
			EndTimeUTC:          sarifTime(r.FinishedAt),
			Notifications:       sarifNotifications(r),
		}},
		Results: []sarifResult{},
	}
	for _, c := range r.Checks {
		index := len(run.Tool.Driver.Rules)
		rule := sarifRuleFor(c)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
		if result, ok := sarifResultFor(r, c, index, rule.DefaultConfiguration.Level); ok {
			run.Results = append(run.Results, result)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLog{Schema: SARIFSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("reports: writing results.sarif: %w", err)
	}
	return nil
}

// sarifLevel: a MUST broken is an error, a SHOULD a warning, a MAY a note.
func sarifLevel(level string) string {
	switch strings.ToUpper(level) {
	case "MUST":
		return "error"
	case "SHOULD":
		return "warning"
	}
	return "note"
}

// securitySeverity places a severity in the bands GitHub code scanning
// uses: critical over 9.0, high 7.0 to 8.9, medium 4.0 to 6.9, low below.
func securitySeverity(severity string) string {
	switch severity {
	case "critical":
		return "9.5"
	case "high":
		return "8.0"
	case "medium":
		return "5.5"
	}
	return "2.0"
}

func sarifRuleFor(c CheckResult) sarifRule {
	text := fmt.Sprintf("%s %s (%s, severity %s).", c.ID, c.Title, c.Level, c.Severity)
	help := sarifHelp{Text: text, Markdown: fmt.Sprintf("**%s** %s (%s, severity %s)", c.ID, c.Title, c.Level, c.Severity)}
	if len(c.Refs) > 0 {
		help.Text += "\nSpecification:"
		help.Markdown += "\n\nSpecification:\n"
	}
	for _, ref := range c.Refs {
		help.Text += "\n- " + ref.Label + ": " + ref.URL
		help.Markdown += "\n- [" + markdownEscaper.Replace(ref.Label) + "](" + ref.URL + ")"
	}
	rule := sarifRule{
		ID:                   c.ID,
		ShortDescription:     sarifText{Text: c.Title},
		FullDescription:      sarifText{Text: text},
		Help:                 help,
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(c.Level)},
		Properties: sarifRuleProps{
			Tags:             []string{"security", "mcp-authorization", c.Role},
			SecuritySeverity: securitySeverity(c.Severity),
			Level:            c.Level,
			Severity:         c.Severity,
		},
	}
	if len(c.Refs) > 0 {
		rule.HelpURI = c.Refs[0].URL
	}
	return rule
}

var markdownEscaper = strings.NewReplacer(`[`, `\[`, `]`, `\]`)

// sarifResultFor is the result of check c, if it has one: it failed
// (expected or not), or the baseline expects it to fail but it passed.
func sarifResultFor(r *Results, c CheckResult, ruleIndex int, level string) (sarifResult, bool) {
	result := sarifResult{
		RuleID:    c.ID,
		RuleIndex: ruleIndex,
		Kind:      "fail",
		Level:     level,
		Message:   sarifText{Text: c.Message},
		Locations: []sarifLocation{sarifLocationOf(r)},
		// The same check failing at the same target is the same alert.
		PartialFingerprints: map[string]string{"mcpconform/v1": c.ID + " " + r.Target},
		Properties:          sarifResultProps{Status: c.Status, Gated: true},
	}
	switch c.Status {
	case StatusFailed:
		result.Properties.Gated = r.Gate.Gates(c)
	case StatusExpectedFailure:
		result.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: c.BaselineReason}}
	case StatusUnexpectedPass:
		// The finding is in the baseline, not in the target.
		result.Level = "error"
	default:
		return sarifResult{}, false
	}
	if result.Message.Text == "" {
		result.Message.Text = c.ID + " " + c.Title + ": " + string(c.Status)
	}
	return result, true
}

// sarifLocationOf is where a result is reported: see WriteSARIF.
func sarifLocationOf(r *Results) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: sarifArtifact(r)}}}
	if r.Target != "" {
		loc.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: r.Target, Kind: "resource"}}
	}
	return loc
}

// sarifArtifact is the baseline file, else the target's URL, else (a
// client's command line is no URI) the name of the client's program.
func sarifArtifact(r *Results) string {
	if r.Config.Baseline != "" {
		return filepath.ToSlash(r.Config.Baseline)
	}
	if u, err := url.Parse(r.Target); err == nil && u.IsAbs() && u.Host != "" {
		return r.Target
	}
	program := "client"
	if fields := strings.Fields(r.Target); len(fields) > 0 {
		program = filepath.Base(strings.Trim(fields[0], `'"`))
	}
	return url.PathEscape(program)
}

// sarifNotifications report what kept the run from judging every check.
func sarifNotifications(r *Results) []sarifNotification {
	var out []sarifNotification
	if r.Error != "" {
		out = append(out, sarifNotification{Level: "error", Message: sarifText{Text: r.Error}})
	}
	if r.Interrupted {
		out = append(out, sarifNotification{Level: "warning",
			Message: sarifText{Text: "run stopped early (" + cmp.Or(r.StoppedBy, "interrupted") + "): checks not reached are not judged"}})
	}
	return out
}

func sarifTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
