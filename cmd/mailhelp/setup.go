package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/limitedfile"
	"github.com/mailhelp/mailhelp/locales"
)

// loadConfig reads the configuration named by the flag, else by
// MAILHELP_CONFIG, else the embedded default; $MAILHELP_REDIS_URL, when
// set, is its store URL.
func (m *Main) loadConfig(flagPath string) (*config.Config, error) {
	path := m.configPath(flagPath)
	if path == "" {
		return m.withStoreEnv(config.Default())
	}
	data, err := limitedfile.Read(path, config.MaxSize)
	if err != nil {
		return nil, fmt.Errorf("config: %w", configSizeError(path, err))
	}
	return m.withStoreEnv(parseConfigFile(path, data))
}

// configSizeError turns the error of reading a configuration over
// config.MaxSize into config.SizeError, which says what the limit is and
// what to do; other errors are returned as they are.
func configSizeError(path string, err error) error {
	if fi, serr := os.Stat(path); serr == nil && fi.Size() > config.MaxSize {
		return fmt.Errorf("%s: %w", path, config.SizeError(fi.Size()))
	}
	return err
}

// parseConfigFile validates a configuration file's content, refusing one
// that does not end where a complete document ends.
func parseConfigFile(path string, data []byte) (*config.Config, error) {
	if err := config.Complete(data); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// A reload reads the configuration file until it has stayed the same for
// settleTime, waiting settleBudget at most for a file that keeps changing.
const (
	settleTime   = 250 * time.Millisecond
	settleBudget = 10 * time.Second
)

// readSettled returns the content of path once two reads settle apart
// found the same content, size and modification time: a file that is
// being written is not taken half-way. wait sleeps between reads (nil
// for a timer; tests pass their own). It fails when ctx ends first.
func readSettled(ctx context.Context, path string, limit int64, settle time.Duration, wait func(context.Context, time.Duration) error) ([]byte, error) {
	if wait == nil {
		wait = sleep
	}
	prev, prevStat, err := readWithStat(path, limit)
	if err != nil {
		return nil, err
	}
	for {
		if err := wait(ctx, settle); err != nil {
			return nil, fmt.Errorf("%s did not stay unchanged for %s: %w", path, settle, err)
		}
		cur, stat, err := readWithStat(path, limit)
		if err != nil {
			return nil, err
		}
		if bytes.Equal(prev, cur) && stat.same(prevStat) {
			return cur, nil
		}
		prev, prevStat = cur, stat
	}
}

// fileStat is what tells two versions of a file apart besides content.
type fileStat struct {
	size    int64
	modTime time.Time
}

func (s fileStat) same(o fileStat) bool { return s.size == o.size && s.modTime.Equal(o.modTime) }

// readWithStat reads path, with its size and modification time as they
// were before the read.
func readWithStat(path string, limit int64) ([]byte, fileStat, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fileStat{}, fmt.Errorf("config: %w", err)
	}
	data, err := limitedfile.Read(path, limit)
	if err != nil {
		return nil, fileStat{}, fmt.Errorf("config: %w", err)
	}
	return data, fileStat{fi.Size(), fi.ModTime()}, nil
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// configPath is the configuration file named by the flag, else by
// MAILHELP_CONFIG; "" means the embedded default.
func (m *Main) configPath(flagPath string) string {
	if flagPath != "" {
		return flagPath
	}
	return m.Getenv("MAILHELP_CONFIG")
}

// newApp loads the configuration and builds the application on it. An
// audit.file left unset becomes the state directory's trail, whose
// directory is created here so that the first record can be written.
// Without opts.Catalog, the application is built for a one-shot
// command: it parses each language's messages when it first answers in
// it (locales.LoadLazy) and the vocabularies when it first reads a text
// (app.Options.Lazy). Serve passes the catalogue it loaded whole.
func (m *Main) newApp(configFlag string, opts app.Options) (*app.App, error) {
	cfg, err := m.loadConfig(configFlag)
	if err != nil {
		return nil, err
	}
	if opts.Catalog == nil {
		if opts.Catalog, err = locales.LoadLazy(); err != nil {
			return nil, err
		}
		opts.Lazy = true
	}
	if opts.Logger == nil {
		opts.Logger = m.logger()
	}
	var dirErr error
	if cfg.Audit.File == "" {
		if dirErr = m.resolveAudit(cfg); dirErr == nil {
			prepareAuditDir(cfg, opts.Logger)
		}
	}
	a, err := app.New(cfg, opts)
	if err != nil && dirErr != nil {
		// The trail was needed and has nowhere to go: say why.
		return nil, fmt.Errorf("audit trail: %w (%w)", dirErr, err)
	}
	return a, err
}

// logger writes warnings and errors to stderr; never message text.
func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// knownLang reports whether lang is empty or a language mailhelp speaks,
// telling stderr which ones it speaks otherwise.
func (m *Main) knownLang(cmd, lang string, langs bot.Languages) bool {
	if lang == "" || langs.Has(lang) {
		return true
	}
	fmt.Fprintf(m.Stderr, "mailhelp %s: unknown language %q (want one of %v)\n", cmd, lang, []string(langs))
	return false
}
