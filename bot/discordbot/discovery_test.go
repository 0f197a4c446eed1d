package discordbot

import (
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/testbot"
)

// TestDiscoveryByRoleAdmin: a guild message carries its author's roles,
// so an admin by role may run the discovery check from a mention;
// anyone else is refused.
func TestDiscoveryByRoleAdmin(t *testing.T) {
	f := newFakeDiscord(t)
	r, an, cat := testbot.AdminRouter(t, map[string]config.AdminSet{"discord": {Roles: []string{"ROLE_IT"}}}, testbot.OKDiscovery{})
	startBot(t, f, Options{Router: r, Translator: cat, Logger: testbot.Quiet(), Announcements: an})

	admin := messageCreate("M1", "C1", "G1", "U5", "<@BOT> check autoconfig for domaine.com", true)
	admin["member"] = map[string]any{"roles": []string{"ROLE_IT"}}
	f.dispatch("MESSAGE_CREATE", admin)
	if got := body(t, f.waitCalls("PATCH", "/messages/", 1)[0]); !strings.Contains(got, "domaine.com publishes the right settings") {
		t.Errorf("role admin: %.400s", got)
	}
	other := messageCreate("M2", "C1", "G1", "U6", "<@BOT> check autoconfig for domaine.com", true)
	other["member"] = map[string]any{"roles": []string{"ROLE_OTHER"}}
	f.dispatch("MESSAGE_CREATE", other)
	if got := body(t, f.waitCalls("PATCH", "/messages/", 2)[1]); !strings.Contains(got, "only mailhelp") {
		t.Errorf("non-admin: %.400s", got)
	}
}
