package bot_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection keeps the arrows pointing inward: the core and the
// handlers never depend on a chat SDK or on an adapter, the core needs
// only the standard library, x/text, x/net/idna and the knowledge package,
// and probe stays reusable on its own.
func TestImportDirection(t *testing.T) {
	const mod = "github.com/mailhelp/mailhelp/"
	tests := []struct {
		pkg     string
		allowed func(dep string) bool
	}{
		{"bot", func(d string) bool {
			return !strings.Contains(d, ".") || strings.HasPrefix(d, "golang.org/x/text/") ||
				strings.HasPrefix(d, "golang.org/x/net/idna") || d == mod+"bot" || d == mod+"knowledge"
		}},
		{"handlers", func(d string) bool {
			return !strings.HasPrefix(d, "github.com/slack-go/") && !strings.HasPrefix(d, "github.com/bwmarrin/") &&
				!strings.HasPrefix(d, mod+"bot/slackbot") && !strings.HasPrefix(d, mod+"bot/discordbot") &&
				!strings.HasPrefix(d, mod+"bot/web") && !strings.HasPrefix(d, mod+"cmd/")
		}},
		{"probe", func(d string) bool { return !strings.HasPrefix(d, mod) || d == mod+"probe" }},
	}
	for _, tc := range tests {
		t.Run(tc.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", mod+tc.pkg).Output()
			if err != nil {
				t.Fatalf("go list: %v", err)
			}
			for _, dep := range strings.Fields(string(out)) {
				if !tc.allowed(dep) {
					t.Errorf("%s depends on %s", tc.pkg, dep)
				}
			}
		})
	}
}
