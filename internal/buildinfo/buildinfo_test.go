package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestResolve: stamped values win; each missing one falls back to the
// toolchain's record (module version, VCS settings, or the commit and
// date a pseudo-version names); with nothing at all the version is
// "(devel)".
func TestResolve(t *testing.T) {
	vcs := func(rev, tm, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: tm}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name    string
		stamped Info
		bi      *debug.BuildInfo
		want    Info
	}{
		{"nothing known", Info{}, nil, Info{Version: Devel}},
		{"go build in a clone", Info{},
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
				Settings: vcs("6184ef0abcdef0123456789abcdef0123456789a", "2026-11-30T21:19:00Z", "true")},
			Info{Version: Devel, Commit: "6184ef0abcdef0123456789abcdef0123456789a", Date: "2026-11-30T21:19:00Z", Modified: true, GoVersion: "go1.26.8"}},
		{"go install @v1.2.3", Info{},
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/mailhelp/mailhelp", Version: "v1.2.3"}},
			Info{Version: "v1.2.3", GoVersion: "go1.26.8"}},
		{"go install @latest of an untagged commit", Info{},
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261130211900-6184ef0abcde"}},
			Info{Version: "v0.0.0-20261130211900-6184ef0abcde", Commit: "6184ef0abcde", Date: "2026-11-30T21:19:00Z", GoVersion: "go1.26.8"}},
		{"pseudo-version after a tag", Info{},
			&debug.BuildInfo{Main: debug.Module{Version: "v1.2.4-0.20261130211900-6184ef0abcde"}},
			Info{Version: "v1.2.4-0.20261130211900-6184ef0abcde", Commit: "6184ef0abcde", Date: "2026-11-30T21:19:00Z"}},
		{"stamped release", Info{Version: "v1.2.3", Commit: "6184ef0abcdef0123456789abcdef0123456789a", Date: "2026-11-30T21:19:00Z"},
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			Info{Version: "v1.2.3", Commit: "6184ef0abcdef0123456789abcdef0123456789a", Date: "2026-11-30T21:19:00Z", GoVersion: "go1.26.8"}},
		{"stamped version only: the rest from VCS", Info{Version: "v1.2.3"},
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("abc", "2026-11-29T10:00:00Z", "false")},
			Info{Version: "v1.2.3", Commit: "abc", Date: "2026-11-29T10:00:00Z"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := resolve(tc.stamped, tc.bi)
			want := tc.want
			want.Platform = runtime.GOOS + "/" + runtime.GOARCH
			if want.GoVersion == "" {
				want.GoVersion = runtime.Version()
			}
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestStrings: the version line and the User-Agents.
func TestStrings(t *testing.T) {
	tests := []struct {
		in                  Info
		line, ua, discordUA string
	}{
		{Info{Version: "v1.2.3", Commit: "6184ef0abcde", Date: "2026-11-30T21:19:00Z", GoVersion: "go1.26.8", Platform: "linux/amd64"},
			"mailhelp v1.2.3 (commit 6184ef0abcde, 2026-11-30T21:19:00Z, go1.26.8 linux/amd64)",
			"mailhelp/v1.2.3 (+https://github.com/mailhelp/mailhelp)",
			"DiscordBot (https://github.com/mailhelp/mailhelp, v1.2.3)"},
		{Info{Version: Devel, Commit: "abc", Modified: true, GoVersion: "go1.26.8", Platform: "darwin/arm64"},
			"mailhelp (devel) (commit abc (modified), go1.26.8 darwin/arm64)",
			"mailhelp/devel (+https://github.com/mailhelp/mailhelp)",
			"DiscordBot (https://github.com/mailhelp/mailhelp, devel)"},
	}
	for _, tc := range tests {
		if got := tc.in.String(); got != tc.line {
			t.Errorf("String() = %q, want %q", got, tc.line)
		}
		if got := tc.in.UserAgent(); got != tc.ua {
			t.Errorf("UserAgent() = %q, want %q", got, tc.ua)
		}
		if got := tc.in.DiscordUserAgent(); got != tc.discordUA {
			t.Errorf("DiscordUserAgent() = %q, want %q", got, tc.discordUA)
		}
	}
}

// TestGetUnstamped: a test binary is not stamped, so Get reports what
// the toolchain knows, and never an empty version.
func TestGetUnstamped(t *testing.T) {
	in := Get()
	if in.Version == "" || in.GoVersion != runtime.Version() || in.Platform != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("Get() = %+v", in)
	}
}
