package mockserver

import (
	"net/http"
	"net/url"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
)

func init() {
	registerFaults(
		Fault{fault.RSTrustForwardedHeaders, "the protected resource metadata's resource and the challenge's resource_metadata take their " +
			"scheme and host from the X-Forwarded-Proto and X-Forwarded-Host headers of whoever sends them", spec.Rev20250618},
	)
}

// asForwarded is raw, or under rs.trust-forwarded-headers raw with the
// scheme and host r's X-Forwarded-Proto and X-Forwarded-Host name: a
// server behind no proxy that sanitizes them lets any client choose the
// URLs it publishes (RFC 9700 §4.13).
func (s *Server) asForwarded(r *http.Request, raw string) string {
	if r == nil || !s.faults[fault.RSTrustForwardedHeaders] {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if host := r.Header.Get("X-Forwarded-Host"); host != "" {
		u.Host = host
	}
	if proto := r.Header.Get("X-Forwarded-Proto"); proto != "" {
		u.Scheme = proto
	}
	return u.String()
}
