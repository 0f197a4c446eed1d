package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/mailhelp/mailhelp/audit"
)

// auditCmd prints the audit trail, filtered.
func (m *Main) auditCmd(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	file := fs.String("file", "", "trail to read (default: the configuration's audit.file)")
	cfgPath := fs.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
	var f audit.Filter
	fs.StringVar(&f.Action, "action", "", "only this action (check, announce, reload)")
	fs.StringVar(&f.User, "user", "", "only this user id")
	fs.StringVar(&f.Platform, "platform", "", "only this platform (cli, web, slack, discord)")
	since := fs.Duration("since", 0, "only entries newer than this (e.g. 24h)")
	asJSON := fs.Bool("json", false, "print the JSON lines as stored")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	path := *file
	if path == "" {
		cfg, err := m.loadConfig(*cfgPath)
		if err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp audit: %v\n", err)
			return exitFail
		}
		path = cfg.Audit.File
	}
	if *since > 0 {
		f.Since = time.Now().Add(-*since)
	}
	in, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp audit: %v\n", err)
		return exitFail
	}
	defer in.Close()
	out := bufio.NewWriter(m.Stdout)
	defer out.Flush()
	skipped, err := audit.Read(in, f, func(e audit.Entry) error {
		if *asJSON {
			b, _ := json.Marshal(e)
			_, err := fmt.Fprintf(out, "%s\n", b)
			return err
		}
		result := e.Result
		if e.Count > 0 { // a record that sums refusals
			result += fmt.Sprintf(" ×%d until %s", e.Count, e.Until.Format(time.RFC3339))
		}
		_, err := fmt.Fprintf(out, "%s  %-8s %-14s %-9s %-28s %s\n", e.Time.Format(time.RFC3339), e.Platform, e.User, e.Action, e.Target, result)
		return err
	})
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp audit: %v\n", err)
		return exitFail
	}
	if skipped > 0 {
		fmt.Fprintf(m.Stderr, "mailhelp audit: %d unreadable line(s) skipped\n", skipped)
	}
	return exitOK
}
