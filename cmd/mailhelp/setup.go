package main

import (
	"fmt"
	"log/slog"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/limitedfile"
)

// loadConfig reads the configuration named by the flag, else by
// MAILHELP_CONFIG, else the embedded default.
func (m *Main) loadConfig(flagPath string) (*config.Config, error) {
	path := m.configPath(flagPath)
	if path == "" {
		return config.Default()
	}
	data, err := limitedfile.Read(path, config.MaxSize)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// configPath is the configuration file named by the flag, else by
// MAILHELP_CONFIG; "" means the embedded default.
func (m *Main) configPath(flagPath string) string {
	if flagPath != "" {
		return flagPath
	}
	return m.Getenv("MAILHELP_CONFIG")
}

// newApp loads the configuration and builds the application on it.
func (m *Main) newApp(configFlag string, opts app.Options) (*app.App, error) {
	cfg, err := m.loadConfig(configFlag)
	if err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = m.logger()
	}
	return app.New(cfg, opts)
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
