package reports_test

import (
	"net/http"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/reports"
)

const hostileBody = `<script>alert(1)</script>`

var fixtureStart = time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC)

// fixtureResults is a server run with one check of every status.
func fixtureResults() *reports.Results {
	r := &reports.Results{
		SchemaVersion: reports.SchemaVersion,
		Tool:          reports.Tool{Name: "mcpconform", Version: "v0.1.0"},
		Mode:          "server",
		Target:        "https://mcp.example.com/mcp",
		SpecVersion:   "2025-11-25",
		StartedAt:     fixtureStart,
		Config: reports.Config{Roles: []string{"as", "rs"}, Baseline: "known-gaps.txt", Strategy: "auto",
			RequestTimeoutMS: 10000, RunTimeoutMS: 180000},
		FinishedAt: fixtureStart.Add(2500 * time.Millisecond),
		Checks: []reports.CheckResult{
			{
				ID: "AS-META-001", Title: "Metadata is served", Role: "as", Level: "MUST", Severity: "high",
				Revisions: []string{"2025-06-18", "2025-11-25"},
				Refs:      []reports.Ref{{Label: "RFC 8414 §3", URL: "https://www.rfc-editor.org/rfc/rfc8414#section-3"}},
				Status:    reports.StatusPassed, DurationMS: 120,
			},
			{
				ID: "AS-META-002", Title: "Issuer matches", Role: "as", Level: "MUST", Severity: "critical",
				Revisions: []string{"2025-11-25"},
				Refs: []reports.Ref{
					{Label: "RFC 8414 §3.3", URL: "https://www.rfc-editor.org/rfc/rfc8414#section-3.3"},
					{Label: "MCP Authorization §2.3", URL: "https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization"},
				},
				Status:     reports.StatusFailed,
				Message:    "expected issuer \"https://as.example.com\"\ngot \"https://evil.example.com\"",
				DurationMS: 1500,
				Evidence: []evidence.Exchange{{
					Time:            fixtureStart,
					Method:          "GET",
					URL:             "https://as.example.com/.well-known/oauth-authorization-server",
					RequestHeaders:  http.Header{"Accept": {"application/json"}, "Authorization": {"Bearer [REDACTED]"}},
					Status:          200,
					ResponseHeaders: http.Header{"Content-Type": {"text/html"}},
					ResponseBody:    hostileBody,
					DurationMS:      42,
				}},
			},
			{
				ID: "RS-AUTH-001", Title: "Rejects missing token", Role: "rs", Level: "SHOULD", Severity: "medium",
				Refs:   []reports.Ref{{Label: "RFC 6750 §3", URL: "https://www.rfc-editor.org/rfc/rfc6750#section-3"}},
				Status: reports.StatusSkipped, Message: "no protected resource configured", SkipKind: reports.SkipNotRun,
			},
			{
				ID: "RS-AUTH-002", Title: "Sends WWW-Authenticate", Role: "rs", Level: "MUST", Severity: "low",
				Status: reports.StatusExpectedFailure, Message: "expected a WWW-Authenticate header, got none",
				BaselineReason: "tracked in OPS-12", DurationMS: 30,
			},
			{
				ID: "RS-AUTH-003", Title: "Rejects expired token", Role: "rs", Level: "MUST", Severity: "high",
				Status: reports.StatusUnexpectedPass, BaselineReason: "gateway bug",
				Message: "passed, but the baseline expects it to fail; remove RS-AUTH-003 from the baseline",
				Evidence: []evidence.Exchange{{
					Method: "POST", URL: "https://mcp.example.com/mcp", RequestBody: `{"jsonrpc":"2.0"}`,
					Error: "dial tcp: connection refused",
				}},
			},
		},
	}
	r.Summarize()
	return r
}
