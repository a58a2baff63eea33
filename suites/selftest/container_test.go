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
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/mcpconform/mcpconform/internal/testenv"
	"github.com/mcpconform/mcpconform/reports"
)

const (
	// imageDockerfile builds the reference target's image from a context
	// holding it and a static binary.
	imageDockerfile = "../../images/mockserver/Dockerfile"
	// referenceImage is kept between runs: an unchanged binary is then a
	// cache hit, not a new image.
	referenceImage = "mcpconform-mockserver:selftest"
	// mockBaseURLEnv tells the reference in the image where to listen.
	mockBaseURLEnv = "MCPCONFORM_MOCK_BASE_URL"

	dockerPingTimeout  = 10 * time.Second
	staticBuildTimeout = 5 * time.Minute // a second compile of everything, without cgo
	imageBuildTimeout  = 2 * time.Minute
	startupTimeout     = 30 * time.Second
	stopTimeout        = 10 * time.Second
	runTimeout         = 2 * time.Minute
)

// mcpLine is the MCP endpoint in mock server's list of URLs.
var mcpLine = regexp.MustCompile(`(?m)^\s*mcp\s+(http://127\.0\.0\.1:\d+/mcp)\s*$`)

var _ = Describe("The reference target's container image", Ordered, func() {
	BeforeAll(func(ctx SpecContext) {
		useHostLoopbackForTestcontainers()
		requireDocker(ctx)
		buildReferenceImage(ctx)
	}, NodeTimeout(staticBuildTimeout+imageBuildTimeout))

	It("serves a target no check fails against, from an image built FROM scratch", func(ctx SpecContext) {
		ctr, err := testcontainers.Run(ctx, referenceImage,
			// Its listeners are on 127.0.0.1: the host's loopback only with the host's network.
			testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) { hc.NetworkMode = "host" }),
			testcontainers.WithWaitStrategy(wait.ForLog("serving until interrupted").WithStartupTimeout(startupTimeout)),
			testcontainers.WithEnv(map[string]string{"MCPCONFORM_INITIAL_ACCESS_TOKEN": initialAccessToken}),
			testcontainersLogger(),
		)
		DeferCleanup(func() error {
			return testcontainers.TerminateContainer(ctr, testcontainers.StopTimeout(stopTimeout))
		})
		Expect(err).NotTo(HaveOccurred())

		session, dir := mcpconform("server", "--url", mcpURLFromLogs(ctx, ctr))
		Expect(session.ExitCode()).To(Equal(reports.ExitOK))
		expectNoFailure(readResults(dir))

		// Docker stops with SIGTERM, then SIGKILL: exit 0 shows the server,
		// as PID 1, shut down on the signal.
		Expect(ctr.Stop(ctx, new(stopTimeout))).To(Succeed())
		state, err := ctr.State(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(state.ExitCode).To(Equal(0))
	}, NodeTimeout(startupTimeout+runTimeout))

	Context("started by mcpconform server --image", func() {
		It("is tested at the URL it is told and removed afterwards, configured by file", func(ctx SpecContext) {
			// Each image-env item is one variable: a comma splits nothing,
			// or the reference would miss the token and fail its checks.
			config := filepath.Join(GinkgoT().TempDir(), "mcpconform.yaml")
			Expect(os.WriteFile(config, []byte(fmt.Sprintf("image: %s\nport: %d\npath: /mcp\nimage-base-url-env: %s\n"+
				"image-env: [MCPCONFORM_INITIAL_ACCESS_TOKEN, \"MCPCONFORM_SELFTEST=a,b\"]\n",
				referenceImage, testenv.FreePort(), mockBaseURLEnv)), 0o644)).To(Succeed())
			session, dir := mcpconform("server", "--config", config)
			Expect(session.ExitCode()).To(Equal(reports.ExitOK))
			Expect(session.Out).To(gbytes.Say(`testing http://127\.0\.0\.1:\d+/mcp against`))
			expectNoFailure(readResults(dir))
			Expect(filepath.Join(dir, "container.log")).NotTo(BeAnExistingFile(), "a passing run keeps no container log without -v")
			Expect(containersOf(ctx, referenceImage)).To(BeEmpty())
		}, NodeTimeout(runTimeout))

		It("is removed and its log kept when the run fails", func(ctx SpecContext) {
			session, dir := mcpconform("server", "--image", referenceImage, "--port", strconv.Itoa(testenv.FreePort()),
				"--path", "/not-the-mcp-endpoint", "--image-base-url-env", mockBaseURLEnv, "--image-env", "MCPCONFORM_INITIAL_ACCESS_TOKEN")
			Expect(session.ExitCode()).To(Equal(reports.ExitFailures))
			Expect(readResults(dir).Summary.Failed).To(BeNumerically(">", 0))
			log, err := os.ReadFile(filepath.Join(dir, "container.log"))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(log)).To(ContainSubstring("serving until interrupted"))
			Expect(containersOf(ctx, referenceImage)).To(BeEmpty())
		}, NodeTimeout(runTimeout))

		It("is removed when interrupted", func(ctx SpecContext) {
			dir := GinkgoT().TempDir()
			// Without its base URL the reference listens elsewhere, so the
			// wait for the port lasts until the interrupt.
			session := start("server", "--image", referenceImage, "--port", strconv.Itoa(testenv.FreePort()), "--report-dir", dir)
			Eventually(ctx, func(ctx context.Context) []container.Summary {
				return containersOf(ctx, referenceImage)
			}).WithTimeout(startupTimeout).Should(ContainElement(HaveField("State", BeEquivalentTo("running"))))
			session.Interrupt()
			Eventually(session).WithTimeout(startupTimeout).Should(gexec.Exit(reports.ExitFailures))
			Expect(session.Err).To(gbytes.Say("interrupted while starting image"))
			Expect(filepath.Join(dir, "container.log")).To(BeARegularFile())
			Expect(containersOf(ctx, referenceImage)).To(BeEmpty())
		}, NodeTimeout(runTimeout))

		It("is never pulled: an image not on the daemon is a usage error", func() {
			session := start("server", "--image", "mcpconform-no-such-image:never", "--port", strconv.Itoa(testenv.FreePort()))
			Eventually(session).WithTimeout(startupTimeout).Should(gexec.Exit(reports.ExitUsage))
			Expect(session.Err).To(gbytes.Say("no such image on the Docker daemon; mcpconform never pulls"))
		})
	})
})

var _ = Describe("The command line's --image", func() {
	DescribeTable("refuses flags that contradict it with exit 2",
		func(message string, args ...string) {
			session := start(append([]string{"server"}, args...)...)
			Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
			Expect(session.Err).To(gbytes.Say(message))
		},
		Entry("with --url", "--image and --url are exclusive", "--image", referenceImage, "--port", "8080", "--url", "http://127.0.0.1:8080/mcp"),
		Entry("without --port", "--image needs --port", "--image", referenceImage),
		Entry("an image flag without --image", "--port goes with --image", "--url", "http://127.0.0.1:8080/mcp", "--port", "8080"),
		Entry("an environment variable that is not set", "MCPCONFORM_UNSET_VARIABLE is not set",
			"--image", referenceImage, "--port", "8080", "--image-env", "MCPCONFORM_UNSET_VARIABLE"),
	)

	// The reference in its image gets the base URL that way.
	DescribeTable("has the reference refuse a base URL it cannot serve at with exit 2",
		func(baseURL, message string) {
			session := start("mock", "server", "--base-url", baseURL)
			Eventually(session).WithTimeout(30 * time.Second).Should(gexec.Exit(reports.ExitUsage))
			Expect(session.Err).To(gbytes.Say(message))
		},
		Entry("off loopback", "http://0.0.0.0:8080", "127.0.0.1 only"),
		Entry("with a path", "http://127.0.0.1:8080/mcp", "is not http://127.0.0.1:PORT"),
		Entry("in a scheme it does not serve", "https://127.0.0.1:8080", "is not http://127.0.0.1:PORT"),
	)
})

func expectNoFailure(res *reports.Results) {
	GinkgoHelper()
	Expect(res.Summary.Passed).To(BeNumerically(">", 0))
	Expect(res.Summary.Failed).To(BeZero())
}

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

func testcontainersLogger() testcontainers.LoggerOption {
	return testcontainers.WithLogger(stdlog.New(GinkgoWriter, "testcontainers: ", 0))
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
	provider, err := testcontainers.NewDockerProvider(testcontainersLogger())
	if err != nil {
		return err
	}
	defer provider.Close()
	ctx, cancel := context.WithTimeout(ctx, dockerPingTimeout)
	defer cancel()
	return provider.Health(ctx)
}

// buildReferenceImage builds referenceImage from a static binary and the
// Dockerfile.
func buildReferenceImage(ctx context.Context) {
	GinkgoHelper()
	buildContext := GinkgoT().TempDir()
	buildStaticBinary(ctx, filepath.Join(buildContext, "mcpconform"))
	dockerfile, err := os.ReadFile(imageDockerfile)
	Expect(err).NotTo(HaveOccurred())
	Expect(os.WriteFile(filepath.Join(buildContext, "Dockerfile"), dockerfile, 0o644)).To(Succeed())

	provider, err := testcontainers.NewDockerProvider(testcontainersLogger())
	Expect(err).NotTo(HaveOccurred())
	defer provider.Close()
	ctx, cancel := context.WithTimeout(ctx, imageBuildTimeout)
	defer cancel()
	repo, tag, _ := strings.Cut(referenceImage, ":")
	began := time.Now()
	_, err = provider.BuildImage(ctx, &testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context: buildContext, Repo: repo, Tag: tag, BuildLogWriter: GinkgoWriter,
		KeepImage: true, // without the per-session labels that would make every build new
	}})
	Expect(err).NotTo(HaveOccurred())
	fmt.Fprintf(GinkgoWriter, "image %s built in %s\n", referenceImage, time.Since(began).Round(time.Millisecond))
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

// containersOf lists the containers of image, running or not.
func containersOf(ctx context.Context, image string) []container.Summary {
	GinkgoHelper()
	provider, err := testcontainers.NewDockerProvider(testcontainersLogger())
	Expect(err).NotTo(HaveOccurred())
	defer provider.Close()
	list, err := provider.Client().ContainerList(ctx, client.ContainerListOptions{
		All: true, Filters: make(client.Filters).Add("ancestor", image),
	})
	Expect(err).NotTo(HaveOccurred())
	return list.Items
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
