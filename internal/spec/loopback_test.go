package spec_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/spec"
)

var _ = DescribeTable("loopback hosts",
	func(host string, loopback bool) { Expect(spec.IsLoopbackHost(host)).To(Equal(loopback)) },
	Entry(nil, "localhost", true),
	Entry(nil, "LOCALHOST", true),
	Entry(nil, "127.0.0.1", true),
	Entry(nil, "127.8.9.10", true),
	Entry(nil, "::1", true),
	Entry(nil, "10.0.0.1", false),
	Entry(nil, "localhost.example", false),
	Entry(nil, "", false),
)
