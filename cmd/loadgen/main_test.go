package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRun runs the command for a moment on two targets and a generated
// configuration.
func TestRun(t *testing.T) {
	var out, errs bytes.Buffer
	code := run([]string{"-duration", "100ms", "-conns", "2", "-rounds", "1", "-domains", "1,3", "-targets", "plain,page-fr"}, &out, &errs)
	if code != 0 || !strings.Contains(out.String(), "ratio page-fr@3/page-fr@1") || !strings.Contains(out.String(), "3 generated domains") {
		t.Errorf("exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	if code := run([]string{"-targets", "nope"}, &out, &errs); code != 1 || !strings.Contains(errs.String(), `unknown target "nope"`) {
		t.Errorf("an unknown target: exit %d, %s", code, errs.String())
	}
}
