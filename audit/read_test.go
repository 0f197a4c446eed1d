package audit

import (
	"strings"
	"testing"
)

// TestReadSkipsHugeLine: a line over 1 MiB is skipped and counted like
// any unreadable line; the entries after it are still read.
func TestReadSkipsHugeLine(t *testing.T) {
	good := func(user string) string {
		return `{"time":"2026-11-25T10:00:00Z","platform":"cli","user":"` + user + `","action":"check","result":"ok"}` + "\n"
	}
	for _, huge := range []string{
		strings.Repeat("x", 2<<20) + "\n",
		`{"time":"2026-11-25T10:00:00Z","platform":"cli","user":"` + strings.Repeat("u", 3<<20) + `","action":"check","result":"ok"}` + "\n",
		strings.Repeat("y", maxLine+1) + "\n",
	} {
		in := good("before") + huge + good("after") + strings.Repeat("z", 3<<20) // the last one unterminated
		var users []string
		skipped, err := Read(strings.NewReader(in), Filter{}, func(e Entry) error { users = append(users, e.User); return nil })
		if err != nil || skipped != 2 || strings.Join(users, ",") != "before,after" {
			t.Errorf("%d-byte line: users %v, skipped %d, err %v", len(huge), users, skipped, err)
		}
	}
	// A line of exactly the limit is still read.
	base := `{"time":"2026-11-25T10:00:00Z","platform":"cli","user":"p","action":"check","result":"ok"`
	line := base + strings.Repeat(" ", maxLine-len(base)-1) + "}\n"
	if len(line)-1 != maxLine {
		t.Fatalf("line of %d bytes", len(line)-1)
	}
	n := 0
	if skipped, err := Read(strings.NewReader(line), Filter{}, func(Entry) error { n++; return nil }); err != nil || skipped != 0 || n != 1 {
		t.Errorf("a line of exactly %d bytes: n=%d skipped=%d err=%v", maxLine, n, skipped, err)
	}
}
