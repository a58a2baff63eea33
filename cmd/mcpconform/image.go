package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/mcpconform/mcpconform/internal/evidence"
	"github.com/mcpconform/mcpconform/reports"
	"github.com/mcpconform/mcpconform/suites/run"
)

const (
	// containerLogFile is written to the report dir when the run fails or
	// with -v.
	containerLogFile = "container.log"
	// containerLogLimit bounds what a chatty target leaves in the report.
	containerLogLimit = 8 << 20
	// containerStopTimeout is the grace between SIGTERM and SIGKILL;
	// containerRemoveTimeout bounds the whole removal.
	containerStopTimeout   = 10 * time.Second
	containerRemoveTimeout = 30 * time.Second
	portProbeTimeout       = time.Second
)

// imageOnlyFlags mean nothing without --image.
var imageOnlyFlags = []string{"port", "path", "image-env", "image-base-url-env", "start-timeout"}

// imageFlags start the target from a local container image.
type imageFlags struct {
	name         string
	port         int
	path         string
	env          []string
	baseURLEnv   string
	startTimeout time.Duration
}

func (f *imageFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.name, "image", "", "start the target from this local container image, with the host's network, test it, and remove it (exclusive with --url)")
	fs.IntVar(&f.port, "port", 0, "with --image: the port the target listens on")
	fs.StringVar(&f.path, "path", "/mcp", "with --image: the MCP endpoint's path")
	fs.StringArrayVar(&f.env, "image-env", nil, "with --image: KEY=VALUE for the container, or KEY to pass this environment's value (repeatable)")
	fs.StringVar(&f.baseURLEnv, "image-base-url-env", "", "with --image: the container variable that receives the target's base URL (http://HOST:PORT)")
	fs.DurationVar(&f.startTimeout, "start-timeout", time.Minute, "with --image: how long the target may take to answer HTTP")
}

// imageTarget is a started container and the MCP URL it serves.
type imageTarget struct {
	ctr    *testcontainers.DockerContainer
	mcpURL string
}

// start runs the image until its port answers HTTP; nil without --image.
// Values passed from this environment are added to redactor: they may be
// secrets the container logs.
func (f *imageFlags) start(cmd *cobra.Command, flags serverFlags, redactor *evidence.Redactor) (*imageTarget, error) {
	if f.name == "" {
		for _, name := range imageOnlyFlags {
			if flag := cmd.Flags().Lookup(name); flag.Value.String() != flag.DefValue {
				return nil, &run.UsageError{Err: fmt.Errorf("--%s goes with --image", name)}
			}
		}
		return nil, nil
	}
	env, err := f.validate(flags.url, redactor)
	if err != nil {
		return nil, &run.UsageError{Err: err}
	}

	ctx := cmd.Context()
	useLocalDaemonDefaults()
	logs := io.Discard
	if flags.verbose {
		logs = cmd.ErrOrStderr()
	}
	// The default logger, as testcontainers greets the daemon through it.
	tclog.SetDefault(stdlog.New(logs, "testcontainers: ", 0))
	host, err := checkDocker(ctx, f.name)
	var usage *run.UsageError
	if errors.As(err, &usage) {
		return nil, err
	}
	if err != nil {
		return nil, cannotStart(cmd, err.Error(), reports.ExitUnreachable)
	}
	// The host's network: the port the target listens on is the one to
	// reach, and the URLs its metadata names can be the ones it is reached at.
	hostPort := net.JoinHostPort(host, strconv.Itoa(f.port))
	baseURL := "http://" + hostPort
	if conn, err := net.DialTimeout("tcp", hostPort, portProbeTimeout); err == nil {
		conn.Close()
		return nil, &run.UsageError{Err: fmt.Errorf("--port %d: something already listens at %s; the container shares this host's network, so choose a free port", f.port, baseURL)}
	}
	if f.baseURLEnv != "" {
		env[f.baseURLEnv] = baseURL
	}
	target := &imageTarget{mcpURL: baseURL + f.path}

	fmt.Fprintf(cmd.OutOrStdout(), "starting image %s with the host's network, waiting up to %s for %s\n", f.name, f.startTimeout, target.mcpURL)
	began := time.Now()
	target.ctr, err = testcontainers.Run(ctx, f.name,
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) { hc.NetworkMode = "host" }),
		testcontainers.WithEnv(env),
		// Any answer will do: the suite judges it.
		testcontainers.WithWaitStrategy(wait.ForHTTP(f.path).WithPort(strconv.Itoa(f.port)+"/tcp").
			WithStatusCodeMatcher(func(int) bool { return true }).WithStartupTimeout(f.startTimeout)),
	)
	if err == nil {
		fmt.Fprintf(cmd.OutOrStdout(), "container %s answering after %s\n", target.id(), time.Since(began).Round(time.Millisecond))
		return target, nil
	}
	target.remove(cmd, flags.reportDir, redactor, true)
	switch {
	case ctx.Err() != nil:
		return nil, cannotStart(cmd, "interrupted while starting image "+f.name, reports.ExitFailures)
	case errors.Is(err, context.DeadlineExceeded):
		return nil, cannotStart(cmd, fmt.Sprintf("image %s: no HTTP answer at %s within %s (--start-timeout)", f.name, target.mcpURL, f.startTimeout),
			reports.ExitUnreachable)
	default:
		return nil, cannotStart(cmd, fmt.Sprintf("image %s: the target did not start: %v", f.name, err), reports.ExitUnreachable)
	}
}

// validate checks the image flags against each other and --url, and
// returns the container's environment from --image-env.
func (f *imageFlags) validate(targetURL string, redactor *evidence.Redactor) (map[string]string, error) {
	if targetURL != "" {
		return nil, errors.New("--image and --url are exclusive: --image starts the target and tests it at the URL it derives")
	}
	if f.port < 1 || f.port > 65535 {
		return nil, errors.New("--image needs --port, the port the target listens on (1-65535)")
	}
	if _, err := url.Parse(f.path); err != nil || !strings.HasPrefix(f.path, "/") || strings.ContainsAny(f.path, "?#") {
		return nil, fmt.Errorf("--path %q is not an absolute path", f.path)
	}
	if f.startTimeout <= 0 {
		return nil, errors.New("--start-timeout must be positive")
	}
	env := map[string]string{}
	for _, item := range f.env {
		key, value, inline := strings.Cut(item, "=")
		if key == "" {
			return nil, fmt.Errorf("--image-env %q: want KEY=VALUE or KEY", item)
		}
		if !inline {
			var set bool
			if value, set = os.LookupEnv(key); !set {
				return nil, fmt.Errorf("--image-env %s: %s is not set in this environment", key, key)
			}
			redactor.Add(value)
		}
		env[key] = value
	}
	if _, given := env[f.baseURLEnv]; given {
		return nil, fmt.Errorf("--image-base-url-env %s: also given with --image-env", f.baseURLEnv)
	}
	return env, nil
}

// cannotStart prints why the target did not start and ends the run with code.
func cannotStart(cmd *cobra.Command, reason string, code int) error {
	fmt.Fprintln(cmd.ErrOrStderr(), "mcpconform:", reason)
	return &exitError{code: code}
}

// useLocalDaemonDefaults: no reaper, whose image would be pulled (the
// container is removed here instead), and the target reached on this
// machine's loopback. The user's own settings win.
func useLocalDaemonDefaults() {
	for name, value := range map[string]string{
		"TESTCONTAINERS_RYUK_DISABLED": "true",
		"TESTCONTAINERS_HOST_OVERRIDE": "127.0.0.1",
	} {
		if _, set := os.LookupEnv(name); !set {
			os.Setenv(name, value)
		}
	}
}

// checkDocker makes sure the daemon answers and holds the image, which is
// never pulled, and returns the host its containers' ports are reached at.
func checkDocker(ctx context.Context, image string) (string, error) {
	unreachable := func(err error) error {
		return fmt.Errorf("--image needs a Docker daemon: %w", err)
	}
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return "", unreachable(err)
	}
	defer provider.Close()
	if err := provider.Health(ctx); err != nil {
		return "", unreachable(err)
	}
	if _, err := provider.Client().ImageInspect(ctx, image); err != nil {
		if cerrdefs.IsNotFound(err) {
			return "", &run.UsageError{Err: fmt.Errorf("--image %s: no such image on the Docker daemon; mcpconform never pulls: build or pull it first", image)}
		}
		return "", unreachable(err)
	}
	return provider.DaemonHost(ctx)
}

// remove saves the container's log to the report dir when keepLog, then
// removes the container, even when the run was interrupted.
func (t *imageTarget) remove(cmd *cobra.Command, reportDir string, redactor *evidence.Redactor, keepLog bool) {
	if t.ctr == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(cmd.Context()), containerRemoveTimeout)
	defer cancel()
	if keepLog {
		if path, err := t.saveLog(ctx, reportDir, redactor); err != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "mcpconform: container log:", err)
		} else {
			fmt.Fprintln(cmd.OutOrStdout(), "container log:", path)
		}
	}
	if err := t.ctr.Terminate(ctx, testcontainers.StopTimeout(containerStopTimeout)); err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "mcpconform: container %s not removed (docker rm -f %[1]s): %v\n", t.id(), err)
	}
}

// id is the container's short ID, as docker ps shows it.
func (t *imageTarget) id() string {
	id := t.ctr.GetContainerID()
	return id[:min(len(id), 12)]
}

func (t *imageTarget) saveLog(ctx context.Context, reportDir string, redactor *evidence.Redactor) (string, error) {
	logs, err := t.ctr.Logs(ctx)
	if err != nil {
		return "", err
	}
	defer logs.Close()
	data, err := io.ReadAll(io.LimitReader(logs, containerLogLimit+1))
	if err != nil {
		return "", err
	}
	text := string(data)
	if len(data) > containerLogLimit {
		text = string(data[:containerLogLimit]) + fmt.Sprintf("\n[mcpconform: log cut at %d bytes]\n", containerLogLimit)
	}
	if err := os.MkdirAll(reportDir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(reportDir, containerLogFile)
	return path, os.WriteFile(path, []byte(redactor.Text(text)), 0o644)
}
