// Command loadgen measures mailhelp's web throughput side by side with a
// plain net/http handler, in one process (see internal/loadgen): the
// real handler of mailhelp serve and a handler returning a body of the
// same size as the API's answer, each on a loopback listener, loaded in
// turn by keep-alive connections. It prints requests per second, p50,
// p99, response bytes, CPU time per request and errors per target, then
// the ratios API/plain and page/API, and with several -domains each
// target's on every configuration against the first (none when any
// request failed). Ratios are of throughput, and of CPU time per request,
// which other programs' load on the machine sways far less.
//
//	go run ./cmd/loadgen -duration 5s -conns 64
//	go run ./cmd/loadgen -domains 100000              # a generated configuration
//	go run ./cmd/loadgen -domains 1,100000            # both, side by side
//	go run ./cmd/loadgen -domains 100000 -spread      # requests over all of them
//	go run ./cmd/loadgen -targets page-fr -cpuprofile page.prof
//
// -config FILE serves that configuration (requests ask about
// alice@domaine.com); without it and -domains, the embedded default. It
// exits 1 when a request failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/limitedfile"
	"github.com/mailhelp/mailhelp/internal/loadgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration file to serve (default: the embedded one, or -domains)")
	domains := fs.String("domains", "", "generate a configuration of this many domains (d0.example…); a list (1,100000) serves one of each, loaded side by side")
	spread := fs.Bool("spread", false, "with -domains, spread requests at random over every domain (default: the last one)")
	users := fs.Int("users", 0, "spread requests at random over this many people at the domain (alice0@… alice<N-1>@…), not one address")
	conns := fs.Int("conns", 64, "keep-alive connections per target")
	duration := fs.Duration("duration", 5*time.Second, "how long each target is loaded")
	rounds := fs.Int("rounds", 10, "split each target's duration into this many slices, run round-robin over the targets")
	only := fs.String("targets", strings.Join(loadgen.TargetNames, ","), "targets to load, in order")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the load (client and server) to this file")
	logFile := fs.String("log", "", "write the server's request log (JSON lines, as mailhelp serve) to this file (default: formatted, then discarded)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts := loadgen.Options{Spread: *spread, Users: *users, Conns: *conns, Duration: *duration, Rounds: *rounds, Targets: strings.Split(*only, ",")}
	for _, d := range strings.Split(*domains, ",") {
		if d == "" {
			continue
		}
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			fmt.Fprintf(stderr, "loadgen: -domains: %q is not a number of domains\n", d)
			return 2
		}
		opts.Domains = append(opts.Domains, n)
	}
	if *cfgPath != "" {
		data, err := limitedfile.Read(*cfgPath, config.MaxSize)
		if err != nil {
			fmt.Fprintln(stderr, "loadgen:", err)
			return 1
		}
		opts.Config = data
	}
	if *logFile != "" {
		f, err := os.Create(*logFile)
		if err != nil {
			fmt.Fprintln(stderr, "loadgen:", err)
			return 1
		}
		defer f.Close()
		opts.Log = slog.New(slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "loadgen:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "loadgen:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := loadgen.Run(ctx, opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if _, err := rep.WriteTo(stdout); err != nil {
		return 1
	}
	if rep.Errors() > 0 {
		return 1
	}
	return 0
}
