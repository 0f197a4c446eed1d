package main

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/config"
)

// TestDockerAuditPathIsWritable: the image's default audit trail
// (audit.file, relative to the working directory) is in a directory that
// the build creates for the image's user, nonroot (65532), and copies
// in with that owner. No Docker engine is needed: the Dockerfile is read.
func TestDockerAuditPathIsWritable(t *testing.T) {
	df, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	// Instructions by stage, continuation lines joined.
	text := strings.ReplaceAll(string(df), "\\\n", " ")
	var stages [][]string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "FROM ") {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], line)
		}
	}
	if len(stages) < 2 {
		t.Fatalf("%d stages", len(stages))
	}
	build, final := strings.Join(stages[0], "\n"), stages[len(stages)-1]
	var workdir, user string
	owned := map[string]string{} // destination → source, copied in owned by nonroot
	copyRe := regexp.MustCompile(`^COPY --from=build --chown=(?:65532|nonroot):(?:65532|nonroot) (\S+) (\S+)$`)
	for _, in := range final {
		switch {
		case strings.HasPrefix(in, "WORKDIR "):
			workdir = strings.TrimSpace(strings.TrimPrefix(in, "WORKDIR "))
		case strings.HasPrefix(in, "USER "):
			user = in
		case copyRe.MatchString(in):
			m := copyRe.FindStringSubmatch(in)
			owned[path.Clean(m[2])] = m[1]
		}
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if workdir == "" || workdir == "/" || !path.IsAbs(workdir) {
		t.Fatalf("the final stage's WORKDIR is %q: the default audit trail %q would land in a directory the user cannot write", workdir, cfg.Audit.File)
	}
	if path.IsAbs(cfg.Audit.File) {
		t.Fatalf("the default audit file %q is no longer relative to the working directory", cfg.Audit.File)
	}
	src, ok := owned[path.Clean(workdir)]
	if !ok {
		t.Fatalf("WORKDIR %s is not copied in owned by nonroot (COPY --from=build --chown=65532:65532 … %s)", workdir, workdir)
	}
	if !regexp.MustCompile(`RUN mkdir -p ` + regexp.QuoteMeta(src) + `\b.*chown (65532|nonroot):(65532|nonroot) ` + regexp.QuoteMeta(src)).MatchString(build) {
		t.Errorf("the build stage does not create %s owned by 65532", src)
	}
	if user != "USER nonroot:nonroot" {
		t.Errorf("final USER is %q", user)
	}
}
