package slackbot

import (
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/testbot"
)

// TestDiscoveryByGroupAdmin: an admin by user group may run the
// discovery check from a mention; anyone else is refused.
func TestDiscoveryByGroupAdmin(t *testing.T) {
	f := newFakeSlack(t)
	r, an, cat := testbot.AdminRouter(t, map[string]config.AdminSet{"slack": {Users: []string{"UADMIN"}, Roles: []string{"S1"}}}, testbot.OKDiscovery{})
	startBotWith(t, f, Options{Router: r, Translator: cat, Announcements: an, AdminGroups: func() []string { return []string{"S1"} }})

	f.send(mentionEnvelope("env-1", "Ev1", "UGROUP", "C1", "1.1", "<@UBOT> check autoconfig for domaine.com"))
	if got := blocksText(t, f.waitCalls("chat.update", 1)[0]); !strings.Contains(got, "domaine.com publishes the right settings") {
		t.Errorf("group admin: %s", got)
	}
	f.send(mentionEnvelope("env-2", "Ev2", "UNOBODY", "C1", "1.2", "<@UBOT> check autoconfig for domaine.com"))
	if got := blocksText(t, f.waitCalls("chat.update", 2)[1]); !strings.Contains(got, "only mailhelp") {
		t.Errorf("non-admin: %s", got)
	}
}
