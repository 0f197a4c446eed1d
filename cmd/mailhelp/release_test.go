package main

import (
	"bufio"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// releaseStamp is the stamp the release test builds with.
var releaseStamp = []string{"VERSION=v1.2.3-test", "COMMIT=6184ef0abcdef0123456789abcdef0123456789a", "DATE=2026-11-30T21:19:00Z"}

// runRelease runs scripts/release.sh for targets into dist and returns
// SHA256SUMS as file name → checksum.
func runRelease(t *testing.T, dist, targets string) map[string]string {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join("..", "..", "scripts", "release.sh"))
	cmd.Env = append(os.Environ(), append([]string{"TARGETS=" + targets, "DIST=" + dist}, releaseStamp...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/release.sh: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		sums[name] = sum
	}
	return sums
}

// TestRelease builds the host's release binary and a Windows one (a
// cross-compilation, offline) with scripts/release.sh, and checks the
// names, the checksums, the stamp the binary reports, that it is static,
// and that building again gives the same bytes (the date is the
// commit's, not the build's).
func TestRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	host := runtime.GOOS + "/" + runtime.GOARCH
	targets := host + " windows/amd64"
	if runtime.GOOS == "windows" {
		targets = host
	}
	dist := t.TempDir()
	sums := runRelease(t, dist, targets)
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	hostBin := "mailhelp_v1.2.3-test_" + runtime.GOOS + "_" + runtime.GOARCH + exe
	want := map[string]bool{hostBin: true}
	if runtime.GOOS != "windows" {
		want["mailhelp_v1.2.3-test_windows_amd64.exe"] = true
	}
	entries, _ := os.ReadDir(dist)
	if len(entries) != len(want)+1 || len(sums) != len(want) {
		t.Errorf("dist holds %v, SHA256SUMS %v; want %v and SHA256SUMS", entries, sums, want)
	}
	for name := range want {
		data, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.Sum256(data)
		if sums[name] != hex.EncodeToString(got[:]) {
			t.Errorf("%s: SHA256SUMS says %q, the file's is %x", name, sums[name], got)
		}
		if strings.HasSuffix(name, ".exe") && !strings.HasPrefix(string(data), "MZ") {
			t.Errorf("%s is not a Windows executable", name)
		}
	}

	bin := filepath.Join(dist, hostBin)
	out, err := exec.Command(bin, "version").Output()
	if err != nil || string(out) != "mailhelp v1.2.3-test (commit 6184ef0abcdef0123456789abcdef0123456789a, 2026-11-30T21:19:00Z, "+runtime.Version()+" "+host+")\n" {
		t.Errorf("version: %v %q", err, out)
	}
	if runtime.GOOS == "linux" {
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("the release binary needs a dynamic loader")
			}
		}
	}

	again := runRelease(t, t.TempDir(), host)
	if again[hostBin] != sums[hostBin] {
		t.Errorf("a second build differs: %s then %s", sums[hostBin], again[hostBin])
	}
}

// TestBuildStampsFromGit: in a git clone, scripts/build.sh with no stamp
// in the environment stamps the checked-out commit and its date.
func TestBuildStampsFromGit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	commit, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD (the test needs a git clone): %v", err)
	}
	bin := filepath.Join(t.TempDir(), "mailhelp")
	build := exec.Command("bash", filepath.Join("..", "..", "scripts", "build.sh"), bin)
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "VERSION" && k != "COMMIT" && k != "DATE" {
			env = append(env, kv)
		}
	}
	build.Env = env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("scripts/build.sh: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.Contains(string(out), "(commit "+strings.TrimSpace(string(commit))+", 20") || strings.Contains(string(out), "(devel)") {
		t.Errorf("version: %v %q", err, out)
	}
}
