package selftest_test

import (
	"context"
	"fmt"
	"io"
	stdlog "log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/moby/moby/api/types/container"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/mcpconform/mcpconform/reports"
)

const (
	// imageDockerfile builds the reference target's image from a context
	// holding it and a static binary.
	imageDockerfile = "../../images/mockserver/Dockerfile"

	dockerPingTimeout  = 10 * time.Second
	staticBuildTimeout = 5 * time.Minute // a second compile of everything, without cgo
	imageBuildTimeout  = 2 * time.Minute
	startupTimeout     = 30 * time.Second
	stopTimeout        = 10 * time.Second
)

// mcpLine is the MCP endpoint in mock server's list of URLs.
var mcpLine = regexp.MustCompile(`(?m)^\s*mcp\s+(http://127\.0\.0\.1:\d+/mcp)\s*$`)

var _ = Describe("The reference target's container image", func() {
	It("serves a target every check passes against, from an image built FROM scratch", func(ctx SpecContext) {
		useHostLoopbackForTestcontainers()
		requireDocker(ctx)
		logger := testcontainers.WithLogger(stdlog.New(GinkgoWriter, "testcontainers: ", 0))

		buildContext := GinkgoT().TempDir()
		buildStaticBinary(ctx, filepath.Join(buildContext, "mcpconform"))
		dockerfile, err := os.ReadFile(imageDockerfile)
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(filepath.Join(buildContext, "Dockerfile"), dockerfile, 0o644)).To(Succeed())

		// The wait strategy bounds startup on its own; this bounds the build.
		runCtx, cancel := context.WithTimeout(ctx, imageBuildTimeout+startupTimeout)
		defer cancel()
		began := time.Now()
		ctr, err := testcontainers.Run(runCtx, "",
			testcontainers.WithDockerfile(testcontainers.FromDockerfile{
				Context:        buildContext,
				Repo:           "mcpconform-mockserver",
				BuildLogWriter: GinkgoWriter,
			}),
			// Its listeners are on 127.0.0.1: the host's loopback only with the host's network.
			testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) { hc.NetworkMode = "host" }),
			testcontainers.WithWaitStrategy(wait.ForLog("serving until interrupted").WithStartupTimeout(startupTimeout)),
			testcontainers.WithEnv(map[string]string{"MCPCONFORM_INITIAL_ACCESS_TOKEN": initialAccessToken}),
			logger,
		)
		DeferCleanup(func() error {
			return testcontainers.TerminateContainer(ctr, testcontainers.StopTimeout(stopTimeout))
		})
		Expect(err).NotTo(HaveOccurred())
		fmt.Fprintf(GinkgoWriter, "image built and container serving in %s\n", time.Since(began).Round(time.Millisecond))

		session, dir := mcpconform("server", "--url", mcpURLFromLogs(ctx, ctr))
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		res := readResults(dir)
		Expect(res.Summary.Total).To(BeNumerically(">", 0))
		Expect(res.Summary.Passed).To(Equal(res.Summary.Total))

		// Docker stops with SIGTERM, then SIGKILL: exit 0 shows the server,
		// as PID 1, shut down on the signal.
		Expect(ctr.Stop(ctx, new(stopTimeout))).To(Succeed())
		state, err := ctr.State(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(state.ExitCode).To(Equal(0))
	}, NodeTimeout(staticBuildTimeout+imageBuildTimeout+startupTimeout+2*time.Minute))
})

// useHostLoopbackForTestcontainers: no registry is reachable, so no Ryuk
// reaper image, and the daemon is local. It must run before testcontainers
// first reads its configuration.
func useHostLoopbackForTestcontainers() {
	for name, value := range map[string]string{
		"TESTCONTAINERS_RYUK_DISABLED": "true",
		"TESTCONTAINERS_HOST_OVERRIDE": "127.0.0.1",
	} {
		if _, set := os.LookupEnv(name); !set {
			Expect(os.Setenv(name, value)).To(Succeed())
		}
	}
}

// requireDocker fails the spec without a reachable Docker daemon, unless
// MCPCONFORM_SKIP_CONTAINER=1 says this machine has none on purpose.
func requireDocker(ctx context.Context) {
	GinkgoHelper()
	err := pingDocker(ctx)
	if err == nil {
		return
	}
	if os.Getenv("MCPCONFORM_SKIP_CONTAINER") == "1" {
		Skip(fmt.Sprintf("MCPCONFORM_SKIP_CONTAINER=1 and no Docker daemon reachable (testcontainers: %v)", err))
	}
	Fail(fmt.Sprintf("no Docker daemon reachable (testcontainers: %v)\n"+
		"start one (.ci/run shows how), or set MCPCONFORM_SKIP_CONTAINER=1 to skip this test", err))
}

func pingDocker(ctx context.Context) error {
	provider, err := testcontainers.NewDockerProvider(testcontainers.WithLogger(stdlog.New(GinkgoWriter, "testcontainers: ", 0)))
	if err != nil {
		return err
	}
	defer provider.Close()
	ctx, cancel := context.WithTimeout(ctx, dockerPingTimeout)
	defer cancel()
	return provider.Health(ctx)
}

// buildStaticBinary builds mcpconform without cgo, so it runs on an image
// with no C library.
func buildStaticBinary(ctx context.Context, out string) {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(ctx, staticBuildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/mcpconform/mcpconform/cmd/mcpconform")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	output, err := cmd.CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), "static build: %s", output)
}

func mcpURLFromLogs(ctx context.Context, ctr *testcontainers.DockerContainer) string {
	GinkgoHelper()
	logs, err := ctr.Logs(ctx)
	Expect(err).NotTo(HaveOccurred())
	defer logs.Close()
	// Without following, the logs end at what was written so far.
	data, err := io.ReadAll(logs)
	Expect(err).NotTo(HaveOccurred())
	text := string(data)
	match := mcpLine.FindStringSubmatch(text)
	Expect(match).NotTo(BeNil(), "no MCP URL in the container's output:\n%s", text)
	return match[1]
}
