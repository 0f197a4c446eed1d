package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/golden"
)

// These tests read the deployment files; no Docker engine or systemd is
// needed (systemd-analyze, when installed, also checks the unit).

// repoFile reads a file of the repository.
func repoFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDeployExampleIsConfigInit: deploy/mailhelp.example.yaml is what
// `mailhelp config init` writes for example.org, so it passes `mailhelp
// config check` and never drifts from the starter file.
func TestDeployExampleIsConfigInit(t *testing.T) {
	example := string(repoFile(t, "deploy/mailhelp.example.yaml"))
	golden.Assert(t, filepath.Join("config-init", "example.yaml"), example)
	code, out, _ := run(t, nil, nil, append([]string{"config", "init", "--output", "-"}, exampleInitArgs...)...)
	if code != exitOK || out != example {
		t.Errorf("deploy/mailhelp.example.yaml is not `mailhelp config init %s` (rewrite it with that command and --output deploy/mailhelp.example.yaml --force)",
			strings.Join(exampleInitArgs, " "))
	}
	path := filepath.Join("..", "..", "deploy", "mailhelp.example.yaml")
	if code, out, _ := run(t, nil, nil, "config", "check", path); code != exitOK {
		t.Errorf("config check: %s", out)
	}
}

// envLine is one VARIABLE=value line of an environment file, as Docker's
// --env-file and systemd's EnvironmentFile= both read it.
var envLine = regexp.MustCompile(`^([A-Z][A-Z0-9_]*)=([^\s"'#]+)$`)

// secretVars are the variables the example environment file offers.
var secretVars = []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET",
	"DISCORD_BOT_TOKEN", "DISCORD_APP_ID", "DISCORD_GUILD_ID", "MAILHELP_ADMIN_TOKEN"}

// TestDeployExampleEnv: the example environment file sets nothing as
// copied (mailhelp then serves the web side only, and no placeholder is
// taken for a token), offers each token as a commented placeholder that
// is a valid line once uncommented, and names only variables mailhelp
// reads.
func TestDeployExampleEnv(t *testing.T) {
	data := repoFile(t, "deploy/mailhelp.example.env")
	var offered []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") && !envLine.MatchString(strings.TrimPrefix(line, "# ")):
		case strings.HasPrefix(line, "# "):
			m := envLine.FindStringSubmatch(strings.TrimPrefix(line, "# "))
			offered = append(offered, m[1])
		default:
			t.Errorf("line %d sets %q: the copied example must set nothing", n, line)
		}
	}
	slices.Sort(offered)
	want := slices.Clone(secretVars)
	slices.Sort(want)
	if !slices.Equal(offered, want) {
		t.Errorf("offers %v, want %v", offered, want)
	}
	for _, v := range []string{"SLACK_BOT_TOKEN=xoxb-", "SLACK_APP_TOKEN=xapp-"} {
		if !bytes.Contains(data, []byte("# "+v)) {
			t.Errorf("no placeholder %s…", v)
		}
	}
	// Each is read by the program, from the environment.
	var src []byte
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b, _ := os.ReadFile(f)
			src = append(src, b...)
		}
	}
	for _, v := range secretVars {
		if !bytes.Contains(src, []byte(`Getenv("`+v+`")`)) {
			t.Errorf("cmd/mailhelp does not read %s", v)
		}
	}
}

// compose is the part of docker-compose.yml these tests read.
type compose struct {
	Services map[string]struct {
		Build struct {
			Context string   `yaml:"context"`
			Args    []string `yaml:"args"`
		} `yaml:"build"`
		Restart     string            `yaml:"restart"`
		Ports       []string          `yaml:"ports"`
		EnvFile     string            `yaml:"env_file"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		ReadOnly    bool              `yaml:"read_only"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// TestDockerCompose: from a fresh clone, after the two copies its header
// gives, every file docker-compose.yml reads exists, the configuration
// it mounts is the one MAILHELP_CONFIG names and it passes config check,
// the tokens come from mailhelp.env, the audit trail is on a named volume
// at the image's state directory, and the build passes the stamp on.
// The same files then start `mailhelp serve` (web side only) with its
// trail in that directory, as the image would.
func TestDockerCompose(t *testing.T) {
	data := repoFile(t, "docker-compose.yml")
	var c compose
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	svc, ok := c.Services["mailhelp"]
	if !ok {
		t.Fatalf("no mailhelp service: %v", c.Services)
	}

	// A fresh clone: the repository's tracked files, then the copies.
	clone := t.TempDir()
	cpRe := regexp.MustCompile(`(?m)^#\s+cp (deploy/\S+) (\S+)`)
	copies := cpRe.FindAllStringSubmatch(string(data), -1)
	if len(copies) != 2 {
		t.Fatalf("the header gives %d copies, want 2 (configuration and environment)", len(copies))
	}
	for _, cp := range copies {
		if err := os.WriteFile(filepath.Join(clone, cp[2]), repoFile(t, cp[1]), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(clone, svc.EnvFile)); err != nil || svc.EnvFile != "mailhelp.env" {
		t.Errorf("env_file %q after the copies: %v", svc.EnvFile, err)
	}
	var configHost string
	var stateVolume bool
	for _, v := range svc.Volumes {
		parts := strings.Split(v, ":")
		switch {
		case len(parts) == 3 && parts[1] == svc.Environment["MAILHELP_CONFIG"] && parts[2] == "ro":
			configHost = parts[0]
		case len(parts) == 2 && parts[1] == systemStateDir:
			if _, declared := c.Volumes[parts[0]]; !declared || strings.ContainsAny(parts[0], "./") {
				t.Errorf("%s is not a named volume declared under volumes:", v)
			}
			stateVolume = true
		}
	}
	if configHost == "" {
		t.Fatalf("no read-only mount at MAILHELP_CONFIG (%q): %v", svc.Environment["MAILHELP_CONFIG"], svc.Volumes)
	}
	if !stateVolume {
		t.Errorf("the audit trail's directory %s is not on a volume: %v", systemStateDir, svc.Volumes)
	}
	cfg := filepath.Join(clone, filepath.FromSlash(configHost))
	if code, out, _ := run(t, nil, nil, "config", "check", cfg); code != exitOK {
		t.Errorf("the mounted configuration after the copy: %s", out)
	}
	if svc.Build.Context != "." || !slices.Equal(svc.Build.Args, []string{"VERSION", "COMMIT", "DATE"}) {
		t.Errorf("build %+v: want context . and the stamp's args", svc.Build)
	}
	if !slices.Contains(svc.Ports, "8080:8080") || svc.Restart == "" || !svc.ReadOnly {
		t.Errorf("ports %v, restart %q, read_only %v", svc.Ports, svc.Restart, svc.ReadOnly)
	}
	if strings.Contains(string(data), "TOKEN=") || strings.Contains(string(data), "SECRET=") {
		t.Error("a token in docker-compose.yml")
	}

	// Run it as the container would: the environment file's variables,
	// MAILHELP_CONFIG, and the image's state directory.
	env := map[string]string{"MAILHELP_CONFIG": cfg, "STATE_DIRECTORY": t.TempDir()}
	envData, _ := os.ReadFile(filepath.Join(clone, svc.EnvFile))
	for _, line := range strings.Split(string(envData), "\n") {
		if m := envLine.FindStringSubmatch(line); m != nil {
			env[m[1]] = m[2]
		}
	}
	base, _, stop := startServe(t, env, nil)
	defer stop()
	resp, err := http.Get(base + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %s", resp.Status)
	}
}

// TestDockerfileStateAndStamp: the image's working directory and volume
// are the state directory mailhelp finds on its own (/var/lib/mailhelp),
// and the build stage takes the stamp as build arguments before it runs
// scripts/build.sh.
func TestDockerfileStateAndStamp(t *testing.T) {
	df := string(repoFile(t, "Dockerfile"))
	for _, want := range []string{"WORKDIR " + systemStateDir, `VOLUME ["` + systemStateDir + `"]`} {
		if !strings.Contains(df, "\n"+want+"\n") {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	build := strings.Index(df, "RUN ./scripts/build.sh")
	for _, arg := range []string{"ARG VERSION\n", "ARG COMMIT\n", "ARG DATE\n"} {
		if i := strings.Index(df, arg); i < 0 || i > build {
			t.Errorf("no %q before the build step", strings.TrimSpace(arg))
		}
	}
	// The image's environment (distroless nonroot: HOME=/home/nonroot,
	// no STATE_DIRECTORY nor XDG_STATE_HOME) picks the system directory
	// when it exists, as it does there.
	system := t.TempDir()
	got, err := stateDir(func(k string) string { return map[string]string{"HOME": "/home/nonroot"}[k] }, system, nil)
	if err != nil || got != system {
		t.Errorf("in the image: %q, %v", got, err)
	}
}

// unit is a systemd unit file: section → key → values, in order.
type unit map[string]map[string][]string

func parseUnit(t *testing.T, data []byte) unit {
	t.Helper()
	u := unit{}
	section := ""
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" || strings.HasSuffix(line, `\`) {
				t.Fatalf("line %d: %q", n+1, line)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	return u
}

// TestSystemdUnit: the unit runs `mailhelp serve` as a dedicated user,
// with the state directory the audit trail defaults to, the usual
// hardening, a restart policy, SIGHUP for reloads, and its tokens from a
// file, never in the unit. With systemd-analyze installed it also
// verifies the unit (no unknown key) and its exposure.
func TestSystemdUnit(t *testing.T) {
	data := repoFile(t, "deploy/systemd/mailhelp.service")
	u := parseUnit(t, data)
	svc := u["Service"]
	one := func(k string) string {
		if len(svc[k]) != 1 {
			t.Errorf("[Service] %s: %q, want one value", k, svc[k])
			return ""
		}
		return svc[k][0]
	}
	if one("DynamicUser") != "yes" && len(svc["User"]) == 0 {
		t.Error("no dedicated user (DynamicUser=yes or User=)")
	}
	for k, want := range map[string]string{
		"ProtectSystem": "strict", "StateDirectory": filepath.Base(systemStateDir), "NoNewPrivileges": "yes",
		"Restart": "on-failure", "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes",
		"ProtectKernelTunables": "yes", "ProtectKernelModules": "yes", "ProtectControlGroups": "yes",
		"RestrictSUIDSGID": "yes", "LockPersonality": "yes", "MemoryDenyWriteExecute": "yes",
		"CapabilityBoundingSet": "", "EnvironmentFile": "/etc/mailhelp/mailhelp.env",
		"ExecReload": "/bin/kill -HUP $MAINPID", "UMask": "0077",
	} {
		if got := one(k); got != want {
			t.Errorf("[Service] %s=%s, want %s", k, got, want)
		}
	}
	if filepath.Dir(systemStateDir) != "/var/lib" {
		t.Errorf("StateDirectory=%s is /var/lib/%s, not %s", one("StateDirectory"), one("StateDirectory"), systemStateDir)
	}
	if !strings.HasSuffix(one("ExecStart"), "/mailhelp serve") || one("RestartSec") == "" {
		t.Errorf("ExecStart=%q RestartSec=%q", one("ExecStart"), one("RestartSec"))
	}
	if env := one("Environment"); env != "MAILHELP_CONFIG=/etc/mailhelp/mailhelp.yaml" {
		t.Errorf("Environment=%s", env)
	}
	if len(u["Unit"]["StartLimitBurst"]) == 0 || u["Install"]["WantedBy"][0] != "multi-user.target" {
		t.Errorf("[Unit] %v [Install] %v", u["Unit"], u["Install"])
	}
	if regexp.MustCompile(`(?m)^[^#]*(TOKEN|SECRET)=`).Match(data) {
		t.Error("a token in the unit")
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze not installed: the unit was only read")
		return
	}
	// ExecStart must name an executable file: this test binary.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mailhelp.service")
	if err := os.WriteFile(path, bytes.ReplaceAll(data, []byte("/usr/local/bin/mailhelp"), []byte(self)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var stderr bytes.Buffer
	verify := exec.CommandContext(ctx, analyze, "verify", path)
	verify.Stdout, verify.Stderr = io.Discard, &stderr
	if err := verify.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, stderr.String())
	}
	// Exposure on systemd's scale of 0 (locked down) to 10 (unsafe), in
	// tenths: at most 1.5.
	if out, err := exec.CommandContext(ctx, analyze, "security", "--offline=yes", "--threshold=15", path).CombinedOutput(); err != nil {
		t.Errorf("systemd-analyze security: %v\n%s", err, out)
	}
}

// TestDockerComposeReplicas: docker-compose.replicas.yml, on top of
// docker-compose.yml, runs two replicas on one store: both name it (no
// password in the file), they take Discord shards 0 and 1 of 2, the
// second mounts the same configuration and environment with its own
// audit trail volume and port, and the header says how to run both
// files together.
func TestDockerComposeReplicas(t *testing.T) {
	data := repoFile(t, "docker-compose.replicas.yml")
	if !strings.Contains(string(data), "docker compose -f docker-compose.yml -f docker-compose.replicas.yml up") {
		t.Error("the header does not say how to run the two files together")
	}
	if !strings.Contains(string(repoFile(t, "docker-compose.yml")), "docker-compose.replicas.yml") {
		t.Error("docker-compose.yml does not point to the replicas' file")
	}
	var c struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Ports       []string          `yaml:"ports"`
			EnvFile     string            `yaml:"env_file"`
			Environment map[string]string `yaml:"environment"`
			Volumes     []string          `yaml:"volumes"`
			ReadOnly    bool              `yaml:"read_only"`
			DependsOn   []string          `yaml:"depends_on"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	store, ok := c.Services["valkey"]
	if !ok || !strings.HasPrefix(store.Image, "valkey/valkey:") {
		t.Fatalf("no valkey service: %+v", c.Services)
	}
	shards := map[string]bool{}
	for _, name := range []string{"mailhelp", "mailhelp-2"} {
		svc, ok := c.Services[name]
		if !ok {
			t.Fatalf("no %s service", name)
		}
		env := svc.Environment
		if err := config.CheckStoreURL(env["MAILHELP_REDIS_URL"]); err != nil || !strings.HasPrefix(env["MAILHELP_REDIS_URL"], "redis://valkey:") ||
			strings.Contains(env["MAILHELP_REDIS_URL"], "@") {
			t.Errorf("%s: MAILHELP_REDIS_URL %q (%v)", name, env["MAILHELP_REDIS_URL"], err)
		}
		if env["DISCORD_SHARD_COUNT"] != "2" {
			t.Errorf("%s: DISCORD_SHARD_COUNT %q", name, env["DISCORD_SHARD_COUNT"])
		}
		shards[env["DISCORD_SHARD_ID"]] = true
		if !slices.Contains(svc.DependsOn, "valkey") {
			t.Errorf("%s does not wait for valkey", name)
		}
	}
	if !shards["0"] || !shards["1"] {
		t.Errorf("shards %v, want 0 and 1", shards)
	}
	second := c.Services["mailhelp-2"]
	if second.Image != "mailhelp" || second.EnvFile != "mailhelp.env" || !second.ReadOnly || slices.Contains(second.Ports, "8080:8080") ||
		second.Environment["MAILHELP_CONFIG"] == "" {
		t.Errorf("mailhelp-2: %+v", second)
	}
	var mountsConfig, ownTrail bool
	for _, v := range second.Volumes {
		parts := strings.Split(v, ":")
		switch {
		case len(parts) == 3 && parts[0] == "./mailhelp.yaml" && parts[1] == second.Environment["MAILHELP_CONFIG"] && parts[2] == "ro":
			mountsConfig = true
		case len(parts) == 2 && parts[1] == systemStateDir && parts[0] != "mailhelp-data":
			_, declared := c.Volumes[parts[0]]
			ownTrail = declared
		}
	}
	if !mountsConfig || !ownTrail {
		t.Errorf("mailhelp-2's volumes %v: want the configuration read-only and its own declared state volume", second.Volumes)
	}
	if strings.Contains(string(data), "TOKEN=") || strings.Contains(string(data), "SECRET=") {
		t.Error("a token in docker-compose.replicas.yml")
	}
}
