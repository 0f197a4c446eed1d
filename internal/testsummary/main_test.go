package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"ok a\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"boom\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestB"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`# p [build failed]`,
		`{"Action":"fail","Package":"p","Elapsed":0.5}`,
	}, "\n")
	var out bytes.Buffer
	code := run(strings.NewReader(in), &out)
	got := out.String()
	if code != 1 || !strings.HasSuffix(got, "1 passed, 1 failed, 1 skipped\n") || !strings.Contains(got, "boom") ||
		strings.Contains(got, "ok a") || !strings.Contains(got, "[build failed]") {
		t.Errorf("exit %d, output:\n%s", code, got)
	}
	out.Reset()
	if code := run(strings.NewReader(`{"Action":"pass","Package":"p","Test":"T"}`), &out); code != 0 {
		t.Errorf("exit %d on success", code)
	}
}
