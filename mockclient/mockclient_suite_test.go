package mockclient_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestMockclient(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "mockclient")
}
