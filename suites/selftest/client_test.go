package selftest_test

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"

	"github.com/mcpconform/mcpconform/internal/fault"
	"github.com/mcpconform/mcpconform/internal/spec"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/catalog"
	"github.com/mcpconform/mcpconform/suites/client"
)

var _ = Describe("Every client check can fail", func() {
	It("names only faults the reference client has", func() {
		known := map[fault.Name]bool{}
		for _, f := range fault.ClientFaults {
			known[f.Name] = true
		}
		for _, c := range clientChecks() {
			for _, f := range c.Faults {
				for _, part := range f.Parts {
					Expect(known).To(HaveKey(part), "%s names fault %s", c.ID, part)
				}
			}
		}
	})

	It("kills a hung client with its process group at the time limit and reports it", func() {
		marker := "mcpconform-hung-client-" + strconv.Itoa(os.Getpid())
		session, dir := mcpconform("client", "--command", "sh -c 'sleep 30 # "+marker+"' & sleep 30", "--url-env", "MCP_URL",
			"--time-limit", "1s", "--focus", "CL-FLOW-001")
		Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
		res := readResults(dir)
		Expect(res.Checks).To(HaveLen(1))
		Expect(res.Checks[0].Status).To(Equal(reports.StatusFailed))
		Expect(res.Checks[0].Message).To(ContainSubstring("killed at the time limit"))
		survivors, _ := exec.Command("pgrep", "-f", marker).Output()
		Expect(strings.TrimSpace(string(survivors))).To(BeEmpty(), "processes the client started outlived it")
	})

	It("serves the scenarios for a client started by hand and judges it once told it is through", func() {
		dir := GinkgoT().TempDir()
		cmd := exec.Command(binary, "client", "--serve", "--time-limit", "1m", "--focus", "CL-FLOW-001", "--report-dir", dir)
		enter, err := cmd.StdinPipe()
		Expect(err).NotTo(HaveOccurred())
		session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(session.Out).WithTimeout(10 * time.Second).Should(gbytes.Say(`serving auth/dcr\s+(http://\S+)`))
		url := regexp.MustCompile(`serving auth/dcr\s+(http://\S+)`).FindStringSubmatch(string(session.Out.Contents()))[1]
		Expect(exec.Command(binary, "mock", "client", url).Run()).To(Succeed(), "the person's client")
		fmt.Fprintln(enter)
		Eventually(session).WithTimeout(10 * time.Second).Should(gexec.Exit(reports.ExitOK))
		Expect(byStatus(readResults(dir))).To(HaveKeyWithValue(reports.StatusPassed, ConsistOf("CL-FLOW-001")))
	})

	for _, rev := range spec.Revisions {
		It("fails exactly the client checks naming each fault, at "+string(rev), func() {
			Expect(runTrials(clientFaultTrials(rev), 4)).To(BeEmpty())
		})
	}
})

// clientFaultTrials are the clean reference client and every client fault
// a check of rev names, each judged by the checks it trips there.
func clientFaultTrials(rev spec.Revision) []trial {
	named := map[string]catalog.Fault{}
	for _, c := range clientChecks() {
		for _, f := range c.Faults {
			named[f.String()] = f
		}
	}
	trials := []trial{{name: "clean client", revision: rev, client: true}}
	if i := slices.Index(spec.Revisions, rev); i > 0 && clientBattery(rev) == clientBattery(spec.Revisions[i-1]) {
		return trials // the faults' trials there would repeat those of the revision before
	}
	for _, name := range slices.Sorted(maps.Keys(named)) {
		t := trial{name: name, revision: rev, client: true, clientFaults: named[name].Parts}
		for _, c := range clientChecks() {
			if c.TrippedBy(named[name], rev) {
				t.expected = append(t.expected, c.ID)
			}
		}
		// A fault no check of rev names shows nothing there (its area is
		// newer): the clean trial covers that revision.
		if len(t.expected) > 0 {
			trials = append(trials, t)
		}
	}
	return trials
}

// runClientTrial runs client mode on the reference client with the trial's
// faults and judges the outcome as for a server trial.
func runClientTrial(t trial) []string {
	dir, err := os.MkdirTemp("", "mcpconform-client-trial-")
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", t.name, err)}
	}
	defer os.RemoveAll(dir)
	command := client.HelperCommand(binary, "mock", "client")
	for _, f := range t.clientFaults {
		command += " --fault " + string(f)
	}
	res, code, err := runAndRead(dir, "client", "--command", command, "--spec-version", string(t.revision), "--time-limit", "20s", "--parallel", "4")
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", t.name, err)}
	}
	return judge(t, res, code)
}

// clientBattery sums up what client mode runs at rev and what trips it:
// each check with the faults naming it there, and each scenario. The mock
// servers and the reference client tell revisions apart only by these
// (spec.Revision.AtLeast), so two revisions with one battery behave alike.
func clientBattery(rev spec.Revision) string {
	var lines []string
	for _, c := range clientChecks() {
		if !c.AppliesTo(rev) {
			continue
		}
		line := c.ID
		for _, f := range c.Faults {
			if c.TrippedBy(f, rev) {
				line += " " + f.String()
			}
		}
		lines = append(lines, line)
	}
	for _, sc := range client.Scenarios() {
		if sc.AppliesTo(rev) {
			lines = append(lines, sc.Name)
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
