package check_test

import (
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/suites/check"
)

func TestCheck(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "check")
}

// exchanges is recorded evidence of n distinct requests.
type exchanges int

func (n exchanges) Evidence() []evidence.Exchange {
	out := make([]evidence.Exchange, n)
	for i := range out {
		out[i] = evidence.Exchange{Time: time.Unix(int64(i), 0), Method: "GET", URL: fmt.Sprintf("https://as/%d", i)}
	}
	return out
}

func attached() []evidence.Exchange {
	var out []evidence.Exchange
	for _, entry := range CurrentSpecReport().ReportEntries {
		if entry.Name == check.EvidenceEntry {
			out = append(out, entry.Value.GetRawValue().(evidence.Exchange))
		}
	}
	return out
}

var _ = Describe("Attaching evidence", func() {
	It("keeps each exchange once", func() {
		check.Attach(exchanges(3), exchanges(3))
		check.Attach(exchanges(4))
		Expect(attached()).To(HaveLen(4))
	})

	It("keeps at most MaxExchanges and says the rest were cut", func() {
		check.Attach(exchanges(check.MaxExchanges + 50))
		check.Attach(exchanges(check.MaxExchanges + 60))
		kept := attached()
		Expect(kept).To(HaveLen(check.MaxExchanges + 1))
		Expect(kept[check.MaxExchanges].Error).To(ContainSubstring(fmt.Sprintf("more than %d exchanges", check.MaxExchanges)))
	})
})
