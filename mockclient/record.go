package mockclient

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mcpconform/mcpconform/internal/evidence"
)

type hopKey struct{}

// hopLog collects one exchange per HTTP round trip of a request, so a
// redirect chain shows every hop.
type hopLog struct {
	exchanges []evidence.Exchange
	started   time.Time
}

// recordingTransport records each round trip, redacted, into the request's hopLog.
type recordingTransport struct {
	next     http.RoundTripper
	redactor *evidence.Redactor
}

// CloseIdleConnections passes on to the transport below, which keeps them.
func (t *recordingTransport) CloseIdleConnections() {
	if closer, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		closer.CloseIdleConnections()
	}
}

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	hops, _ := req.Context().Value(hopKey{}).(*hopLog)
	if hops == nil {
		return t.next.RoundTrip(req)
	}
	ex := evidence.Exchange{
		Time:           time.Now().UTC(),
		Method:         req.Method,
		URL:            t.redactor.URL(req.URL.String()),
		RequestHeaders: t.redactor.Header(req.Header),
	}
	if req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			raw, _ := io.ReadAll(io.LimitReader(body, recordedBody))
			ex.RequestBody = t.redactor.Body(req.Header.Get("Content-Type"), string(raw))
		}
	}
	hops.started = ex.Time
	hops.exchanges = append(hops.exchanges, ex)
	resp, err := t.next.RoundTrip(req)
	last := &hops.exchanges[len(hops.exchanges)-1]
	last.DurationMS = time.Since(ex.Time).Milliseconds()
	if err != nil {
		return nil, err
	}
	last.Status = resp.StatusCode
	last.ResponseHeaders, last.HeadersTruncated = evidence.LimitHeader(t.redactor.Header(resp.Header), recordedHeader)
	return resp, nil
}

// fail notes a request error on the last hop (or a hop that never got one).
func (h *hopLog) fail(err error) {
	if len(h.exchanges) == 0 {
		h.exchanges = append(h.exchanges, evidence.Exchange{Time: time.Now().UTC()})
	}
	last := &h.exchanges[len(h.exchanges)-1]
	last.Error = err.Error()
	last.DurationMS = time.Since(h.started).Milliseconds()
}

// finish attaches the (capped, redacted) body and any read error to the last hop.
func (h *hopLog) finish(r *evidence.Redactor, resp *http.Response, body []byte, readErr error) {
	if len(h.exchanges) == 0 {
		return
	}
	last := &h.exchanges[len(h.exchanges)-1]
	shown := body
	if len(shown) > recordedBody {
		shown, last.Truncated = shown[:recordedBody], true
	}
	last.ResponseBody = r.Body(resp.Header.Get("Content-Type"), strings.ToValidUTF8(string(shown), "\uFFFD"))
	last.DurationMS = time.Since(h.started).Milliseconds()
	if readErr != nil {
		last.Error = readErr.Error()
	}
}
