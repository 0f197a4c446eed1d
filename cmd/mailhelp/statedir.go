package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mailhelp/mailhelp/config"
)

// systemStateDir is the state directory of a system install and of the
// Docker image (its working directory and volume).
const systemStateDir = "/var/lib/mailhelp"

// errNoStateDir is returned when nothing tells where state belongs.
var errNoStateDir = errors.New("no state directory: set STATE_DIRECTORY, XDG_STATE_HOME or HOME, or audit.file")

// stateDir is the directory where mailhelp keeps its state (the audit
// trail), first found of:
//
//   - $STATE_DIRECTORY, set by systemd's StateDirectory= (its first entry
//     when it lists several, separated by colons);
//   - $XDG_STATE_HOME/mailhelp, when that is an absolute path;
//   - system (/var/lib/mailhelp) when that directory exists (outside
//     Windows): the Docker image, or a system install. It is used even
//     when this process may not write it, so that a trail is never
//     silently put beside the one everybody reads: the first write says
//     why it failed;
//   - ~/.local/state/mailhelp: in $HOME (on Windows %USERPROFILE%), else
//     in the account's home directory as the system records it
//     (accountHome; a service started without HOME).
//
// It reads the environment through getenv and creates nothing.
func stateDir(getenv func(string) string, system string, accountHome func() (string, error)) (string, error) {
	if dirs := getenv("STATE_DIRECTORY"); dirs != "" {
		first, _, _ := strings.Cut(dirs, ":")
		if first != "" {
			return first, nil
		}
	}
	if x := getenv("XDG_STATE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "mailhelp"), nil
	}
	if system != "" && runtime.GOOS != "windows" {
		if fi, err := os.Stat(system); err == nil && fi.IsDir() {
			return system, nil
		}
	}
	home := getenv("HOME")
	if home == "" && runtime.GOOS == "windows" {
		home = getenv("USERPROFILE")
	}
	if home == "" && accountHome != nil {
		if h, err := accountHome(); err == nil && filepath.IsAbs(h) {
			home = h
		}
	}
	if home != "" {
		return filepath.Join(home, ".local", "state", "mailhelp"), nil
	}
	return "", errNoStateDir
}

// lookupAccountHome finds the account's home when HOME is not set; this
// package's tests replace it, so that they never write into the home of
// whoever runs them.
var lookupAccountHome = accountHome

// accountHome is the home directory of the account running mailhelp, from
// the system's user database.
func accountHome() (string, error) {
	u, err := user.Current()
	if err != nil {
		return "", fmt.Errorf("home directory: %w", err)
	}
	return u.HomeDir, nil
}

// defaultAuditFile is where the audit trail goes when the configuration
// does not say: config.DefaultAuditName in the state directory.
func (m *Main) defaultAuditFile() (string, error) {
	dir, err := stateDir(m.Getenv, systemStateDir, lookupAccountHome)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, config.DefaultAuditName), nil
}

// resolveAudit gives a configuration that leaves audit.file empty the
// state directory's trail. When nothing tells where that is, the file
// stays empty (the trail then cannot be opened) and the reason is
// returned.
func (m *Main) resolveAudit(cfg *config.Config) error {
	if cfg.Audit.File != "" {
		return nil
	}
	path, err := m.defaultAuditFile()
	if err != nil {
		return err
	}
	cfg.Audit.File = path
	return nil
}

// withAudit resolves the audit trail of a configuration read again for
// a reload, as newApp did at start-up, so that an unset audit.file names
// the same trail as the running configuration's.
func (m *Main) withAudit(cfg *config.Config, err error) (*config.Config, error) {
	if err != nil {
		return nil, err
	}
	_ = m.resolveAudit(cfg) // unresolved, it stays empty like the running one
	return cfg, nil
}

// prepareAuditDir creates the directory of the state directory's trail
// (0700: the trail names users), so that its first write can create the
// file. A failure is logged, not fatal: that write will report it.
func prepareAuditDir(cfg *config.Config, log *slog.Logger) {
	dir := filepath.Dir(cfg.Audit.File)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		log.Warn("audit trail directory", "err", fmt.Errorf("creating %s: %w", dir, err))
	}
}
