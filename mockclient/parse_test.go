package mockclient_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/mockclient"
)

var _ = Describe("Reading what a target sent", func() {
	DescribeTable("a metadata document",
		func(body string, ok bool) {
			_, err := mockclient.ParseDocument([]byte(body))
			Expect(err == nil).To(Equal(ok), "error: %v", err)
		},
		Entry("an object", `{"resource":"https://h/mcp"}`, true),
		Entry("null", `null`, false),
		Entry("an array", `[1]`, false),
		Entry("truncated", `{"resource": "`, false),
		Entry("two objects", `{} {}`, false),
		Entry("html", `<html></html>`, false),
	)

	It("reads members of the wrong type as absent", func() {
		members, err := mockclient.ParseDocument([]byte(`{"a":"x","b":["y"],"c":7,"d":[1]}`))
		Expect(err).NotTo(HaveOccurred())
		doc := &mockclient.Document{Members: members}
		a, ok := doc.String("a")
		Expect(ok).To(BeTrue())
		Expect(a).To(Equal("x"))
		_, ok = doc.String("c")
		Expect(ok).To(BeFalse())
		b, ok := doc.Strings("b")
		Expect(ok).To(BeTrue())
		Expect(b).To(Equal([]string{"y"}))
		_, ok = doc.Strings("d")
		Expect(ok).To(BeFalse())
		Expect(doc.Has("c")).To(BeTrue())
	})

	DescribeTable("a WWW-Authenticate header",
		func(values []string, want map[string]string) {
			ch, err := mockclient.ParseBearerChallenge(values)
			if want == nil {
				Expect(err).To(HaveOccurred())
				return
			}
			Expect(err).NotTo(HaveOccurred())
			Expect(ch.Params).To(Equal(want))
		},
		Entry("resource_metadata and scope", []string{`Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/mcp", scope="a b"`},
			map[string]string{"resource_metadata": "https://h/.well-known/oauth-protected-resource/mcp", "scope": "a b"}),
		Entry("scheme in any case after another challenge", []string{`Basic realm="x", bEaReR realm="mcp"`}, map[string]string{"realm": "mcp"}),
		Entry("in a second header", []string{`DPoP algs="ES256"`, `Bearer error="invalid_token"`}, map[string]string{"error": "invalid_token"}),
		Entry("no header", []string{}, nil),
		Entry("no Bearer challenge", []string{`Basic realm="x"`}, nil),
		Entry("unterminated quote", []string{`Bearer realm="x`}, nil),
	)
})

func FuzzParseDocument(f *testing.F) {
	for _, seed := range []string{`{"a":1}`, `null`, `[`, `{"a":"b"} x`, "\xff"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		members, err := mockclient.ParseDocument(body)
		if err == nil && members == nil {
			t.Fatal("no error and no members")
		}
		doc := &mockclient.Document{Members: members}
		for name := range members {
			doc.String(name)
			doc.Strings(name)
		}
	})
}

func FuzzParseBearerChallenge(f *testing.F) {
	for _, seed := range []string{`Bearer realm="x"`, `Bearer a="\"", b=c`, `Basic, Bearer`, `Bearer ="`, `,,,`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		ch, err := mockclient.ParseBearerChallenge([]string{header})
		if err == nil && ch == nil {
			t.Fatal("no error and no challenge")
		}
	})
}
