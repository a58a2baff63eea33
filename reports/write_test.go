package reports_test

import (
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/mcpconform/mcpconform/reports"
)

var _ = Describe("writing all reports", func() {
	It("creates the directory and writes the four files, and nothing else", func() {
		dir := filepath.Join(GinkgoT().TempDir(), "out", "run1")
		paths, err := reports.WriteAll(dir, fixtureResults())
		Expect(err).NotTo(HaveOccurred())
		Expect(paths).To(Equal([]string{
			filepath.Join(dir, "results.json"),
			filepath.Join(dir, "junit.xml"),
			filepath.Join(dir, "report.html"),
			filepath.Join(dir, "results.sarif"),
		}))

		entries, err := os.ReadDir(dir)
		Expect(err).NotTo(HaveOccurred())
		Expect(entries).To(HaveLen(4), "no temporary files left behind")

		f, err := os.Open(paths[0])
		Expect(err).NotTo(HaveOccurred())
		defer f.Close()
		read, err := reports.ReadJSON(f)
		Expect(err).NotTo(HaveOccurred())
		Expect(read).To(Equal(fixtureResults()))

		for _, p := range paths {
			info, err := os.Stat(p)
			Expect(err).NotTo(HaveOccurred())
			Expect(info.Size()).To(BeNumerically(">", 0))
			Expect(info.Mode().Perm()).To(Equal(os.FileMode(0o644)))
		}
	})

	It("replaces earlier reports", func() {
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "junit.xml"), []byte("old"), 0o644)).To(Succeed())
		_, err := reports.WriteAll(dir, fixtureResults())
		Expect(err).NotTo(HaveOccurred())
		Expect(os.ReadFile(filepath.Join(dir, "junit.xml"))).NotTo(Equal([]byte("old")))
	})

	It("fails clearly when the directory cannot be made", func() {
		file := filepath.Join(GinkgoT().TempDir(), "file")
		Expect(os.WriteFile(file, nil, 0o644)).To(Succeed())
		paths, err := reports.WriteAll(filepath.Join(file, "sub"), fixtureResults())
		Expect(err).To(MatchError(HavePrefix("reports: creating report directory")))
		Expect(paths).To(BeEmpty())
	})
})
