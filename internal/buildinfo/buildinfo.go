// Package buildinfo tells which mailhelp is running: its version, the
// commit it was built from and that commit's date.
//
// Release builds stamp them with the linker (scripts/build.sh and
// scripts/release.sh do):
//
//	go build -ldflags "-X github.com/mailhelp/mailhelp/internal/buildinfo.version=v1.2.3 \
//	  -X github.com/mailhelp/mailhelp/internal/buildinfo.commit=<sha> \
//	  -X github.com/mailhelp/mailhelp/internal/buildinfo.date=2026-11-30T21:19:00Z" ./cmd/mailhelp
//
// A binary built otherwise falls back to what the Go toolchain recorded:
// `go install github.com/mailhelp/mailhelp/cmd/mailhelp@v1.2.3` records
// the module version (a pseudo-version names the commit and its date),
// and `go build` in a clone records the VCS revision and time.
package buildinfo

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Stamped by the linker (-ldflags -X); empty in an unstamped build.
var (
	version string
	commit  string
	date    string
)

// URL is the project's home, named in the User-Agent of its HTTP clients.
const URL = "https://github.com/mailhelp/mailhelp"

// Devel is the version of a build that knows none.
const Devel = "(devel)"

// Info describes the running binary.
type Info struct {
	// Version is "v1.2.3", a pseudo-version, what `git describe` said at
	// build time, or Devel.
	Version string
	// Commit is the commit it was built from; "" when unknown.
	Commit string
	// Date is the commit's date (RFC 3339, UTC when known from a stamp or
	// a pseudo-version); "" when unknown.
	Date string
	// Modified reports a build from a tree with uncommitted changes, when
	// the toolchain recorded it.
	Modified bool
	// GoVersion and Platform (GOOS/GOARCH) say how it was built.
	GoVersion, Platform string
}

// Get returns the running binary's build information: the stamped
// values, each falling back to the toolchain's record.
func Get() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return resolve(Info{Version: version, Commit: commit, Date: date}, bi)
}

// pseudo matches the end of a Go pseudo-version: its commit time and
// the first 12 hex digits of the commit
// (v0.0.0-20261130211900-6184ef0abcde, v1.2.4-0.20261130211900-6184ef0abcde).
var pseudo = regexp.MustCompile(`[-.](\d{14})-([0-9a-f]{12})(?:\+incompatible)?$`)

// resolve fills what stamped leaves empty from the toolchain's record bi
// (nil when there is none).
func resolve(stamped Info, bi *debug.BuildInfo) Info {
	in := Info{Version: Devel, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != Devel {
			in.Version = v
		}
		if bi.GoVersion != "" {
			in.GoVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				in.Commit = s.Value
			case "vcs.time":
				in.Date = s.Value
			case "vcs.modified":
				in.Modified = s.Value == "true"
			}
		}
		if m := pseudo.FindStringSubmatch(in.Version); m != nil && in.Commit == "" {
			in.Commit = m[2]
			if t, err := time.Parse("20060102150405", m[1]); err == nil {
				in.Date = t.UTC().Format(time.RFC3339)
			}
		}
	}
	if stamped.Version != "" {
		in.Version = stamped.Version
	}
	if stamped.Commit != "" {
		in.Commit = stamped.Commit
	}
	if stamped.Date != "" {
		in.Date = stamped.Date
	}
	return in
}

// String is the line `mailhelp version` prints:
// "mailhelp v1.2.3 (commit 6184ef0abcde, 2026-11-30T21:19:00Z, go1.26.8 linux/amd64)".
func (in Info) String() string {
	var details []string
	if in.Commit != "" {
		c := "commit " + in.Commit
		if in.Modified {
			c += " (modified)"
		}
		details = append(details, c)
	}
	if in.Date != "" {
		details = append(details, in.Date)
	}
	details = append(details, strings.TrimSpace(in.GoVersion+" "+in.Platform))
	return "mailhelp " + in.Version + " (" + strings.Join(details, ", ") + ")"
}

// ShortVersion is Version as a single token for headers: "devel" for
// Devel.
func (in Info) ShortVersion() string {
	if in.Version == Devel || in.Version == "" {
		return "devel"
	}
	return in.Version
}

// UserAgent is the User-Agent of mailhelp's own HTTP clients:
// "mailhelp/v1.2.3 (+https://github.com/mailhelp/mailhelp)".
func (in Info) UserAgent() string {
	return "mailhelp/" + in.ShortVersion() + " (+" + URL + ")"
}

// DiscordUserAgent is the User-Agent in the form Discord requires of
// bots, "DiscordBot ($url, $versionNumber)".
func (in Info) DiscordUserAgent() string {
	return "DiscordBot (" + URL + ", " + in.ShortVersion() + ")"
}
