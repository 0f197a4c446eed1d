package bot_test

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/mailhelp/mailhelp/"

// goList lists, for a package, its non-standard dependencies (deps) or
// its direct imports (not deps).
func goList(t *testing.T, pkg string, deps bool) []string {
	t.Helper()
	args := []string{"list", "-f", `{{join .Imports "\n"}}`, mod + pkg}
	if deps {
		args = []string{"list", "-deps", "-f", `{{if not .Standard}}{{.ImportPath}}{{end}}`, mod + pkg}
	}
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

func hasAnyPrefix(d string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(d, p) {
			return true
		}
	}
	return false
}

// TestImportDirection keeps the arrows pointing inward: the core, the
// parser and the handlers never depend on a chat SDK, an adapter or the
// application; probe stays reusable on its own; and each adapter
// imports only the core (and its renderers) besides its own SDK — never
// the knowledge, the handlers, the probe or the configuration, which it
// reaches through the core.
func TestImportDirection(t *testing.T) {
	sdks := []string{"github.com/slack-go/", "github.com/bwmarrin/", "github.com/prometheus/"}
	outer := []string{mod + "bot/slackbot", mod + "bot/discordbot", mod + "bot/web", mod + "cmd/", mod + "app"}
	tests := []struct {
		pkg     string
		deps    bool // all dependencies, else direct imports
		allowed func(dep string) bool
	}{
		// bot carries probe's reports, so probe's own IMAP library
		// (go-imap, go-sasl, go-message) comes along; never a chat SDK.
		{"bot", true, func(d string) bool {
			return !strings.HasPrefix(d, mod) && hasAnyPrefix(d, "golang.org/x/text/", "golang.org/x/net/idna", "github.com/emersion/") ||
				d == mod+"bot" || d == mod+"knowledge" || d == mod+"probe" || d == mod+"discovery"
		}},
		// The discovery formats are data, like knowledge: no I/O, no
		// subpackage, nothing of the bot.
		{"discovery", true, func(d string) bool {
			return !strings.HasPrefix(d, mod) && hasAnyPrefix(d, "golang.org/x/text/", "golang.org/x/net/idna") ||
				d == mod+"discovery" || d == mod+"knowledge"
		}},
		{"bot/parse", true, func(d string) bool {
			return !hasAnyPrefix(d, sdks...) && !hasAnyPrefix(d, outer...) && d != mod+"locales" && d != mod+"handlers"
		}},
		{"handlers", true, func(d string) bool { return !hasAnyPrefix(d, sdks...) && !hasAnyPrefix(d, outer...) }},
		{"app", true, func(d string) bool { return !hasAnyPrefix(d, sdks...) && !hasAnyPrefix(d, outer[:4]...) }},
		{"probe", true, func(d string) bool { return !strings.HasPrefix(d, mod) || d == mod+"probe" }},
		{"bot/slackbot", false, func(d string) bool {
			return !strings.Contains(d, ".") || d == mod+"bot" || strings.HasPrefix(d, "github.com/slack-go/slack")
		}},
		{"bot/discordbot", false, func(d string) bool {
			return !strings.Contains(d, ".") || d == mod+"bot" || d == "github.com/bwmarrin/discordgo"
		}},
		{"bot/web", false, func(d string) bool {
			return !strings.Contains(d, ".") || d == mod+"bot" || d == mod+"bot/render" ||
				// The QR code of the page's links (qr.go): an encoder
				// with no dependency of its own.
				d == "rsc.io/qr"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.pkg, func(t *testing.T) {
			for _, dep := range goList(t, tc.pkg, tc.deps) {
				if !tc.allowed(dep) {
					t.Errorf("%s depends on %s", tc.pkg, dep)
				}
			}
		})
	}
}
