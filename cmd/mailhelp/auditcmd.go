package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/mailhelp/mailhelp/audit"
)

// auditCmd prints the audit trail, filtered.
func (m *Main) auditCmd(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("audit", flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	file := fl.String("file", "", "trail to read (default: the configuration's audit.file, else mailhelp-audit.jsonl in the state directory)")
	cfgPath := fl.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
	var f audit.Filter
	fl.StringVar(&f.Action, "action", "", "only this action (check, announce, reload)")
	fl.StringVar(&f.User, "user", "", "only this user id")
	fl.StringVar(&f.Platform, "platform", "", "only this platform (cli, web, slack, discord)")
	since := fl.Duration("since", 0, "only entries newer than this (e.g. 24h)")
	asJSON := fl.Bool("json", false, "print the JSON lines as stored")
	if code, ok := parseFlags(fl, args); !ok {
		return code
	}
	path, err := m.auditPath(*file, *cfgPath)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp audit: %v\n", err)
		return exitFail
	}
	if *since > 0 {
		f.Since = time.Now().Add(-*since)
	}
	in, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp audit: %v\n", err)
		if errors.Is(err, fs.ErrNotExist) && *file == "" {
			fmt.Fprintln(m.Stderr, "mailhelp audit: nothing recorded there yet; a service keeps its trail in its own state directory (systemd: /var/lib/mailhelp, run as root or its user), or name it with --file")
		}
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

// auditPath is the trail to read: --file, else the configuration's
// audit.file, else the state directory's trail, found as serve finds it.
func (m *Main) auditPath(file, cfgPath string) (string, error) {
	if file != "" {
		return file, nil
	}
	cfg, err := m.loadConfig(cfgPath)
	if err != nil {
		return "", err
	}
	if cfg.Audit.File == "off" {
		return "", errors.New("the configuration turns the audit trail off (audit.file: off); name a trail with --file")
	}
	if err := m.resolveAudit(cfg); err != nil {
		return "", err
	}
	return cfg.Audit.File, nil
}
