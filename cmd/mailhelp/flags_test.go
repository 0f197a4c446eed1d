package main

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args   []string
		rest   []string
		format string
	}{
		{[]string{"d.com"}, []string{"d.com"}, "text"},
		{[]string{"--format", "json", "d.com"}, []string{"d.com"}, "json"},
		{[]string{"d.com", "--format", "json"}, []string{"d.com"}, "json"},
		{[]string{"a", "--format=markdown", "b"}, []string{"a", "b"}, "markdown"},
		{[]string{"a", "--", "--format", "json"}, []string{"a", "--format", "json"}, "text"},
		{[]string{"--", "-x"}, []string{"-x"}, "text"},
		{nil, nil, "text"},
	}
	for _, tc := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		format := fs.String("format", "text", "")
		rest, _, ok := parseInterspersed(fs, tc.args)
		if !ok || !slices.Equal(rest, tc.rest) || *format != tc.format {
			t.Errorf("%q: rest %q, format %q, ok %v; want %q, %q", tc.args, rest, *format, ok, tc.rest, tc.format)
		}
	}
}
