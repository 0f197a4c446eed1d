package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/locales"
)

// loadConfig reads the configuration named by the flag, else by
// MAILHELP_CONFIG, else the embedded default.
func (m *Main) loadConfig(flagPath string) (*config.Config, error) {
	path := flagPath
	if path == "" {
		path = m.Getenv("MAILHELP_CONFIG")
	}
	if path == "" {
		return config.Default()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, config.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// newRouter wires the parser, the handlers and the messages.
func newRouter(cfg *config.Config, log *slog.Logger) (*bot.Router, error) {
	if cfg == nil {
		return nil, errors.New("no configuration")
	}
	cat, err := locales.Load()
	if err != nil {
		return nil, err
	}
	r := bot.NewRouter(bot.RouterOptions{
		Translator:  cat,
		DefaultLang: cfg.DefaultLanguage,
		DomainLang:  handlers.DomainLang(cfg.Directory),
		Logger:      log,
	})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory})
	return r, nil
}

// logger writes warnings and errors to stderr; never message text.
func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
