package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/config"
)

// TestConfigCheckTooLarge: a file over the size limit is refused with
// what the limit is and how to stay under it; one at the limit is read.
func TestConfigCheckTooLarge(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		size int64
		code int
		want []string
	}{
		{"over", config.MaxSize + 1, exitFail, []string{strconv.Itoa(config.MaxSize+1) + " bytes is over the 64 MiB limit (67108864 bytes)", "on one line"}},
		{"at most", config.MaxSize, exitFail, []string{"control characters are not allowed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			// A sparse file of NUL bytes: read whole, but not YAML.
			if err := f.Truncate(tc.size); err != nil {
				t.Fatal(err)
			}
			f.Close()
			code, out, errOut := run(t, nil, nil, "config", "check", path)
			all := out + errOut
			if code != tc.code {
				t.Errorf("exit %d, want %d: %.300s", code, tc.code, all)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("output does not say %q: %.300s", w, all)
				}
			}
			if tc.size <= config.MaxSize && strings.Contains(all, "MiB") {
				t.Errorf("a file at the limit is refused for its size: %.300s", all)
			}
		})
	}
}

// TestLoadTooLarge: a command given a configuration over the limit says
// what the limit is, as config check does.
func TestLoadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(config.MaxSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, errOut := run(t, nil, nil, "ask", "--config", path, "which ports")
	if all := out + errOut; code != exitFail || !strings.Contains(all, "over the 64 MiB limit") {
		t.Errorf("exit %d: %.300s", code, all)
	}
}
