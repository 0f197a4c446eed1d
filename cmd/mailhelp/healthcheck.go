package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthcheck asks a running serve whether it is up (GET /healthz), for
// container health checks: exit 0 when it answers 200, 1 otherwise.
func (m *Main) healthcheck(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	url := fs.String("url", "", "health URL (default: /healthz on the configuration's web.listen, or $MAILHELP_HEALTH_URL)")
	cfgPath := fs.String("config", "", "configuration file (default: $MAILHELP_CONFIG, else built in)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	target := *url
	if target == "" {
		target = m.Getenv("MAILHELP_HEALTH_URL")
	}
	if target == "" {
		cfg, err := m.loadConfig(*cfgPath)
		if err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp healthcheck: %v\n", err)
			return exitFail
		}
		host, port, err := net.SplitHostPort(cfg.Web.Listen)
		if err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp healthcheck: web.listen: %v\n", err)
			return exitFail
		}
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "127.0.0.1"
		}
		target = "http://" + net.JoinHostPort(host, port) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp healthcheck: %v\n", err)
		return exitUsage
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp healthcheck: %v\n", err)
		return exitFail
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(m.Stderr, "mailhelp healthcheck: %s answered %d\n", target, resp.StatusCode)
		return exitFail
	}
	fmt.Fprintln(m.Stdout, "ok")
	return exitOK
}
