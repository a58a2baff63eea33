package selftest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"go.yaml.in/yaml/v3"

	"github.com/mcpconform/mcpconform/reports"
)

// The composite action cannot run here (no GitHub runner): these tests read
// its YAML for the structure a runner relies on, and run its scripts with the
// environment a runner gives them. What only a runner shows (actions/cache
// restoring and saving, the toolchain download, the artifact upload) is left
// to the repository's CI job that uses the action.

const actionDir = "../../.github/actions/mcpconform"

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	With  map[string]string `yaml:"with"`
	Env   map[string]string `yaml:"env"`
}

type actionFile struct {
	Inputs  map[string]struct{ Default *string } `yaml:"inputs"`
	Outputs map[string]struct{ Value string }    `yaml:"outputs"`
	Runs    struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

func readYAML(path string, into any) {
	GinkgoHelper()
	raw, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	Expect(yaml.Unmarshal(raw, into)).To(Succeed())
}

// runScript runs one of the action's scripts (from dir) with a runner's
// environment: GITHUB_* files and RUNNER_TEMP in a temporary directory, plus
// env. It returns the step's outputs and its combined output.
func runScript(dir, script string, env ...string) (outputs map[string]string, output string, err error) {
	GinkgoHelper()
	tmp := GinkgoT().TempDir()
	files := map[string]string{}
	for _, name := range []string{"GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY"} {
		files[name] = filepath.Join(tmp, strings.ToLower(name))
		Expect(os.WriteFile(files[name], nil, 0o644)).To(Succeed())
		env = append(env, name+"="+files[name])
	}
	runnerTemp := filepath.Join(tmp, "runner-temp")
	Expect(os.Mkdir(runnerTemp, 0o755)).To(Succeed())
	cmd := exec.Command("bash", filepath.Join(dir, script))
	cmd.Env = append(append(os.Environ(), "GITHUB_ACTIONS=true", "GITHUB_ACTION_PATH="+dir, "RUNNER_TEMP="+runnerTemp), env...)
	out, err := cmd.CombinedOutput()
	GinkgoWriter.Printf("%s:\n%s\n", script, out)
	raw, readErr := os.ReadFile(files["GITHUB_OUTPUT"])
	Expect(readErr).NotTo(HaveOccurred())
	outputs = map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			outputs[k] = v
		}
	}
	for _, name := range []string{"GITHUB_PATH", "GITHUB_ENV"} {
		written, readErr := os.ReadFile(files[name])
		Expect(readErr).NotTo(HaveOccurred())
		Expect(written).To(BeEmpty(), "%s changes the job's environment through %s", script, name)
	}
	summary, readErr := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
	Expect(readErr).NotTo(HaveOccurred())
	outputs["(summary)"] = string(summary)
	return outputs, string(out), err
}

var _ = Describe("The command line's GitHub Action", func() {
	var action actionFile
	var dir string
	BeforeEach(func() {
		var err error
		dir, err = filepath.Abs(actionDir)
		Expect(err).NotTo(HaveOccurred())
		readYAML(filepath.Join(dir, "action.yml"), &action)
	})

	It("is a composite action whose inputs reach its scripts as variables only, with its own Go and cache", func() {
		Expect(action.Runs.Using).To(Equal("composite"))
		var inputsUsed []string
		expression := regexp.MustCompile(`\$\{\{\s*inputs\.([a-z-]+)\s*}}`)
		for _, step := range action.Runs.Steps {
			Expect(step.Run).NotTo(ContainSubstring("${{"), "step %q: an expression in a script is script injection", step.Name)
			Expect(step.Uses).NotTo(HavePrefix("actions/setup-go"), "setup-go puts its Go on the job's PATH for later steps")
			if step.Run != "" {
				Expect(step.Shell).To(Equal("bash"), step.Name)
				if script, ok := strings.CutPrefix(step.Run, `bash "$GITHUB_ACTION_PATH/`); ok {
					Expect(filepath.Join(dir, strings.TrimSuffix(script, `"`))).To(BeAnExistingFile())
				}
			}
			for _, value := range append(slices.Collect(maps.Values(step.Env)), slices.Collect(maps.Values(step.With))...) {
				for _, m := range expression.FindAllStringSubmatch(value, -1) {
					inputsUsed = append(inputsUsed, m[1])
				}
			}
		}
		var declared []string
		for name := range action.Inputs {
			declared = append(declared, name)
		}
		slices.Sort(inputsUsed)
		Expect(slices.Compact(inputsUsed)).To(ConsistOf(declared), "every input used, every one used declared")

		cache := action.Runs.Steps[slices.IndexFunc(action.Runs.Steps, func(s actionStep) bool { return strings.HasPrefix(s.Uses, "actions/cache@") })]
		Expect(cache.With).To(Equal(map[string]string{
			"path": "${{ steps.plan.outputs.dir }}", "key": "${{ steps.plan.outputs.key }}", "restore-keys": "${{ steps.plan.outputs.restore-key }}",
		}))
		Expect(action.Outputs).To(HaveKey("exit-code"))
		Expect(action.Outputs).To(HaveKey("binary"))

		scripts, err := filepath.Glob(filepath.Join(dir, "*.sh"))
		Expect(err).NotTo(HaveOccurred())
		Expect(scripts).To(HaveLen(3))
		for _, script := range scripts {
			raw, err := os.ReadFile(script)
			Expect(err).NotTo(HaveOccurred())
			Expect(string(raw)).NotTo(MatchRegexp(`>>?\s*"?\$\{?GITHUB_(PATH|ENV)`), "%s must not change later steps' environment", script)
			Expect(exec.Command("bash", "-n", script).Run()).To(Succeed(), "%s parses", script)
		}
	})

	It("is used by this repository's CI as a caller would, in a job with its own, older Go", func() {
		var workflow struct {
			Jobs map[string]struct{ Steps []actionStep } `yaml:"jobs"`
		}
		readYAML("../../.github/workflows/ci.yml", &workflow)
		job := workflow.Jobs["action"]
		Expect(job.Steps).NotTo(BeEmpty())
		Expect(job.Steps).To(ContainElement(And(HaveField("Uses", HavePrefix("actions/setup-go@")), HaveField("With", HaveKeyWithValue("go-version", "1.22")))))
		uses := 0
		for _, step := range job.Steps {
			if step.Uses != "./.github/actions/mcpconform" {
				continue
			}
			uses++
			for input := range step.With {
				Expect(action.Inputs).To(HaveKey(input), "step %q", step.Name)
			}
			Expect(step.With).NotTo(HaveKey("url"), "the bundled reference target")
			Expect(step.With).NotTo(HaveKey("image"), "the bundled reference target")
		}
		Expect(uses).To(Equal(2))
		Expect(job.Steps).To(ContainElement(HaveField("With", HaveKeyWithValue("args", `["--baseline", "known gaps.txt"]`))))
		Expect(job.Steps).To(ContainElement(HaveField("Run", ContainSubstring(`diff report-2025-11-25/results.json report-newest/results.json`))))
	})

	It("plans its Go from its own go.mod and keys the cache on its own go.sum", func() {
		outputs, output, err := runScript(dir, "plan.sh")
		Expect(err).NotTo(HaveOccurred(), output)
		goSum, err := os.ReadFile("../../go.sum")
		Expect(err).NotTo(HaveOccurred())
		digest := sha256.Sum256(goSum)
		platform := runtime.GOOS + "-" + runtime.GOARCH
		Expect(outputs).To(HaveKeyWithValue("version", "1.26.8"))
		Expect(outputs).To(HaveKeyWithValue("platform", platform))
		Expect(outputs).To(HaveKeyWithValue("dir", HaveSuffix("/runner-temp/mcpconform-go")))
		Expect(outputs).To(HaveKeyWithValue("key", "mcpconform-go1.26.8-"+platform+"-"+hex.EncodeToString(digest[:])))
		Expect(outputs).To(HaveKeyWithValue("restore-key", "mcpconform-go1.26.8-"+platform+"-"))
	})

	It("builds with the Go in its own directory, not the job's", func() {
		// A module of one command that names the Go that built it, with the
		// action's scripts where the action keeps them.
		root := GinkgoT().TempDir()
		files := map[string]string{
			"go.mod":                   "module example.com/fake\n\ngo 1.21\n",
			"go.sum":                   "",
			"cmd/mcpconform/main.go":   "package main\n\nimport (\"fmt\"; \"runtime\")\n\nfunc main() { fmt.Println(runtime.Version()) }\n",
			".github/actions/m/run.sh": "",
		}
		for name, content := range files {
			Expect(os.MkdirAll(filepath.Join(root, filepath.Dir(name)), 0o755)).To(Succeed())
			Expect(os.WriteFile(filepath.Join(root, name), []byte(content), 0o644)).To(Succeed())
		}
		script, err := os.ReadFile(filepath.Join(dir, "build.sh"))
		Expect(err).NotTo(HaveOccurred())
		fakeAction := filepath.Join(root, ".github/actions/m")
		Expect(os.WriteFile(filepath.Join(fakeAction, "build.sh"), script, 0o755)).To(Succeed())

		// The toolchain as the cache restores it: this test's Go (and, to
		// keep the test quick, its build cache).
		goDir := GinkgoT().TempDir()
		goEnv, err := exec.Command("go", "env", "GOROOT", "GOCACHE").Output()
		Expect(err).NotTo(HaveOccurred())
		goRoot, buildCache, _ := strings.Cut(strings.TrimSpace(string(goEnv)), "\n")
		Expect(os.Symlink(goRoot, filepath.Join(goDir, "go"))).To(Succeed())
		Expect(os.Symlink(buildCache, filepath.Join(goDir, "build"))).To(Succeed())

		// No go on the job's PATH at all: the build finds its own.
		path := slices.DeleteFunc(filepath.SplitList(os.Getenv("PATH")), func(dir string) bool {
			_, err := os.Stat(filepath.Join(dir, "go"))
			return err == nil
		})
		outputs, output, err := runScript(fakeAction, "build.sh", "PATH="+strings.Join(path, ":"), "GOROOT=/nonexistent",
			"GO_DIR="+goDir, "GO_VERSION="+strings.TrimPrefix(runtime.Version(), "go"), "GO_PLATFORM="+runtime.GOOS+"-"+runtime.GOARCH)
		Expect(err).NotTo(HaveOccurred(), output)
		Expect(outputs).To(HaveKeyWithValue("binary", HaveSuffix("/runner-temp/mcpconform-bin/mcpconform")))
		built, err := exec.Command(outputs["binary"]).Output()
		Expect(err).NotTo(HaveOccurred())
		Expect(strings.TrimSpace(string(built))).To(Equal(runtime.Version()))
	})

	Describe("its run step", func() {
		// inputs are the run step's environment with every input empty
		// but the report dir, as the runner passes unset inputs.
		inputs := func(set ...string) []string {
			env := []string{"INPUT_URL=", "INPUT_IMAGE=", "INPUT_PORT=", "INPUT_PATH=/mcp", "INPUT_IMAGE_ENV=", "INPUT_IMAGE_BASE_URL_ENV=",
				"INPUT_SPEC_VERSION=", "INPUT_BASELINE=", "INPUT_CONFIG=", "INPUT_ARGS=", "INPUT_REPORT_DIR=" + GinkgoT().TempDir()}
			return append(env, set...)
		}
		// fakeBinary records its arguments, NUL-separated, and exits 1.
		fakeBinary := func() (binary, argsFile string) {
			tmp := GinkgoT().TempDir()
			binary, argsFile = filepath.Join(tmp, "mcpconform"), filepath.Join(tmp, "args")
			Expect(os.WriteFile(binary, []byte("#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" > \""+argsFile+"\"\nexit 1\n"), 0o755)).To(Succeed())
			return binary, argsFile
		}

		It("passes each input and each element of args as one argument, and records the exit code", func() {
			fake, argsFile := fakeBinary()
			env := inputs("MCPCONFORM="+fake, "INPUT_IMAGE=my-server:ci", "INPUT_SPEC_VERSION=2025-11-25", "INPUT_IMAGE_ENV=A=1 2\nB",
				`INPUT_ARGS=["--baseline", "known gaps.txt", "--step-up-arguments", "{\"text\": \"it's \\\"quoted\\\"\"}", "*", "$HOME", "", "a\nb"]`)
			outputs, output, err := runScript(dir, "run.sh", env...)
			Expect(err).NotTo(HaveOccurred(), output)
			Expect(outputs).To(HaveKeyWithValue("exit-code", "1"))
			recorded, err := os.ReadFile(argsFile)
			Expect(err).NotTo(HaveOccurred())
			args := strings.Split(strings.TrimSuffix(string(recorded), "\x00"), "\x00")
			Expect(args[0]).To(Equal("server"))
			Expect(args[3:]).To(Equal([]string{"--image", "my-server:ci", "--path", "/mcp", "--image-env", "A=1 2", "--image-env", "B",
				"--spec-version", "2025-11-25",
				"--baseline", "known gaps.txt", "--step-up-arguments", `{"text": "it's \"quoted\""}`, "*", "$HOME", "", "a\nb"}))
		})

		DescribeTable("refuses args that are not a JSON array of strings with exit 2, running nothing",
			func(args string) {
				fake, argsFile := fakeBinary()
				outputs, output, err := runScript(dir, "run.sh", inputs("MCPCONFORM="+fake, "INPUT_ARGS="+args)...)
				Expect(err).NotTo(HaveOccurred(), output)
				Expect(outputs).To(HaveKeyWithValue("exit-code", "2"))
				Expect(output).To(HavePrefix("::error title=mcpconform action::args must be a JSON array of strings"))
				Expect(outputs["(summary)"]).To(Equal("## mcpconform: no results (exit 2): args must be a JSON array of strings\n"))
				Expect(argsFile).NotTo(BeAnExistingFile())
			},
			Entry("words, as the input took them before", "--role as --level MUST"),
			Entry("a string", `"--role as"`),
			Entry("numbers", `["--timeout", 5]`),
			Entry("a NUL, which no argument can hold", `["a\u0000b"]`),
		)

		It("runs mcpconform, which writes the job summary and annotations", func() {
			reportDir := GinkgoT().TempDir()
			env := inputs("MCPCONFORM="+binary, `INPUT_ARGS=["--focus", "AS-META-001"]`, "INPUT_REPORT_DIR="+reportDir)
			outputs, output, err := runScript(dir, "run.sh", env...)
			Expect(err).NotTo(HaveOccurred(), output)
			Expect(outputs).To(HaveKeyWithValue("exit-code", "0"))
			Expect(outputs["(summary)"]).To(HavePrefix("## mcpconform: PASS\n"))
			Expect(outputs["(summary)"]).To(ContainSubstring("\n| 1 | 1 | 0 | 0 | 0 | 0 |\n"))
			Expect(filepath.Join(reportDir, reports.ResultsFile)).To(BeAnExistingFile())
			Expect(output).NotTo(ContainSubstring("::error"))
		})
	})
})
