package mockserver_test

import (
	"maps"

	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/mockserver"
)

var cimdIgnoreFaultChecks = map[fault.Name]func(s *mockserver.Server){
	fault.ASCIMDIgnoreDocuments: func(s *mockserver.Server) {
		srv, _ := documentServer(servesDocument(func(map[string]any) {}))
		url := srv.URL + documentPath
		Expect(resolve(start(), url)).To(Succeed())
		Expect(resolve(s, url)).To(MatchError(ContainSubstring("unknown client")))
	},
}

func init() { maps.Copy(faultChecks, cimdIgnoreFaultChecks) }
