package doctor

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"go.yaml.in/yaml/v3"
)

// TestScopesMatchManifest: doctor asks for exactly the bot scopes that
// deploy/slack/manifest.yaml grants, so a scope added to one is added to
// the other.
func TestScopesMatchManifest(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "slack", "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var ours []string
	for _, s := range SlackScopes {
		ours = append(ours, s.Name)
	}
	manifest := slices.Clone(m.OAuth.Scopes.Bot)
	slices.Sort(ours)
	slices.Sort(manifest)
	if !slices.Equal(ours, manifest) {
		t.Errorf("doctor's scopes %v, the manifest's %v", ours, manifest)
	}
}

// TestScopeSeverity: which missing scopes block depends on the admins
// configured.
func TestScopeSeverity(t *testing.T) {
	blocks := func(name string, admins, groups bool) bool {
		for _, s := range SlackScopes {
			if s.Name == name {
				return s.Blocks(admins, groups)
			}
		}
		t.Fatalf("no scope %s", name)
		return false
	}
	tests := []struct {
		scope          string
		admins, groups bool
		want           bool
	}{
		{"chat:write", false, false, true},
		{"app_mentions:read", false, false, true},
		{"commands", false, false, true},
		{"im:history", false, false, true},
		{"im:read", true, true, false},
		{"users:read", true, true, false},
		{"im:write", false, false, false},
		{"im:write", true, false, true},
		{"im:write", false, true, true},
		{"usergroups:read", true, false, false},
		{"usergroups:read", false, true, true},
	}
	for _, tc := range tests {
		if got := blocks(tc.scope, tc.admins, tc.groups); got != tc.want {
			t.Errorf("%s (admins %v, groups %v) blocks = %v, want %v", tc.scope, tc.admins, tc.groups, got, tc.want)
		}
	}
}

// TestPermissionsIn follows Discord's documented computation, one rule
// per row.
func TestPermissionsIn(t *testing.T) {
	const (
		view  = discordgo.PermissionViewChannel
		send  = discordgo.PermissionSendMessages
		embed = discordgo.PermissionEmbedLinks
		hist  = discordgo.PermissionReadMessageHistory
	)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
	guild := func(everyone, role int64) *discordgo.Guild {
		return &discordgo.Guild{ID: "G", OwnerID: "OWNER", Roles: []*discordgo.Role{
			{ID: "G", Permissions: everyone}, {ID: "R1", Permissions: role}, {ID: "R2", Permissions: 0}}}
	}
	ow := func(id string, typ discordgo.PermissionOverwriteType, allow, deny int64) *discordgo.PermissionOverwrite {
		return &discordgo.PermissionOverwrite{ID: id, Type: typ, Allow: allow, Deny: deny}
	}
	role, member := discordgo.PermissionOverwriteTypeRole, discordgo.PermissionOverwriteTypeMember
	tests := []struct {
		name       string
		g          *discordgo.Guild
		overwrites []*discordgo.PermissionOverwrite
		roles      []string
		user       string
		timeout    *time.Time
		want       int64 // the bits of view|send|embed|hist expected
	}{
		{"@everyone and the member's roles add up", guild(view, send|embed), nil, []string{"R1"}, "U", nil, view | send | embed},
		{"a role the member lacks gives nothing", guild(view, send|embed), nil, nil, "U", nil, view},
		{"the owner has everything", guild(0, 0), []*discordgo.PermissionOverwrite{ow("G", role, 0, view)}, nil, "OWNER", nil, view | send | embed | hist},
		{"Administrator has everything, overwrites aside", guild(discordgo.PermissionAdministrator, 0),
			[]*discordgo.PermissionOverwrite{ow("U", member, 0, view|send)}, nil, "U", nil, view | send | embed | hist},
		{"the @everyone overwrite denies", guild(view|send|embed, 0), []*discordgo.PermissionOverwrite{ow("G", role, 0, send)}, nil, "U", nil, view | embed},
		{"a role overwrite allows what @everyone's denies", guild(view|send|embed, 0),
			[]*discordgo.PermissionOverwrite{ow("G", role, 0, send), ow("R1", role, send, 0)}, []string{"R1"}, "U", nil, view | send | embed},
		{"role overwrites combine: an allow beats another role's deny", guild(view|send|embed, 0),
			[]*discordgo.PermissionOverwrite{ow("R1", role, 0, embed), ow("R2", role, embed, 0)}, []string{"R1", "R2"}, "U", nil, view | send | embed},
		{"the member overwrite comes last", guild(view, send|embed),
			[]*discordgo.PermissionOverwrite{ow("R1", role, hist, 0), ow("U", member, 0, embed)}, []string{"R1"}, "U", nil, view | send | hist},
		{"another member's overwrite does not apply", guild(view|send|embed, 0),
			[]*discordgo.PermissionOverwrite{ow("V", member, 0, send)}, nil, "U", nil, view | send | embed},
		{"a time-out leaves View Channel and Read Message History", guild(view|send|embed|hist, 0), nil, nil, "U", &later, view | hist},
		{"an ended time-out changes nothing", guild(view|send|embed, 0), nil, nil, "U", &earlier, view | send | embed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch := &discordgo.Channel{ID: "C", GuildID: "G", PermissionOverwrites: tc.overwrites}
			m := &discordgo.Member{Roles: tc.roles, CommunicationDisabledUntil: tc.timeout}
			got := permissionsIn(tc.g, ch, m, tc.user, now) & (view | send | embed | hist)
			if got != tc.want {
				t.Errorf("permissions %b, want %b", got, tc.want)
			}
		})
	}
}

func TestIntents(t *testing.T) {
	base := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	tests := []struct {
		name   string
		want   discordgo.Intent
		flags  int
		status Status
		words  string
	}{
		{"mailhelp's: nothing privileged", adapterIntents(), 0, StatusOK, "no privileged intent"},
		{"message content not allowed", base | discordgo.IntentsMessageContent, 0, StatusFail, "Message Content Intent"},
		{"message content allowed (limited)", base | discordgo.IntentsMessageContent, 1 << 19, StatusOK, "allows Message Content Intent"},
		{"members allowed, presences not", base | discordgo.IntentsGuildMembers | discordgo.IntentsGuildPresences, 1 << 14, StatusFail, "needs Presence Intent,"},
		{"unverified at 100 servers", base, 1 << 6, StatusWarn, "verification"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := intentsFinding(tc.want, tc.flags)
			if f.Status != tc.status || !strings.Contains(f.Message+f.Fix, tc.words) {
				t.Errorf("got %s %q (fix %q), want %s with %q", f.Status, f.Message, f.Fix, tc.status, tc.words)
			}
		})
	}
	if adapterIntents() != base {
		t.Errorf("the adapter identifies with %b; update the intents doctor expects in this test (%b)", adapterIntents(), base)
	}
}

// TestAuditFinding: the audit trail's path is judged without writing a
// record. /proc stands for places nobody may write, even root (the
// tests run as root).
func TestAuditFinding(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "trail.jsonl")
	if err := os.WriteFile(existing, []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		status     Status
		words      string
	}{
		{"an existing trail", existing, StatusOK, "writable"},
		{"a new trail in an existing directory", filepath.Join(dir, "new.jsonl"), StatusOK, "writable"},
		{"a directory to create", filepath.Join(dir, "state", "mailhelp", "mailhelp-audit.jsonl"), StatusOK, "creates it on its first record"},
		{"turned off", "off", StatusWarn, "not recorded"},
		{"a relative path", "mailhelp-audit.jsonl", StatusWarn, "relative"},
		{"a directory", dir, StatusFail, "is a directory"},
		{"a directory that takes no file", "/proc/mailhelp-audit.jsonl", StatusFail, "cannot create files in /proc"},
		{"a file that cannot be appended to", "/proc/sys/kernel/osrelease", StatusFail, "cannot be opened for appending"},
		{"under a file", filepath.Join(notDir, "x", "trail.jsonl"), StatusFail, "no existing directory"},
		{"nowhere", "", StatusFail, "nowhere"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "a relative path" {
				t.Chdir(dir)
			}
			f := auditFinding(tc.path)
			if f.Status != tc.status || !strings.Contains(f.Message, tc.words) {
				t.Errorf("got %s %q, want %s with %q", f.Status, f.Message, tc.status, tc.words)
			}
			if f.Status != StatusOK && f.Fix == "" {
				t.Error("no fix")
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".mailhelp-doctor") {
			t.Errorf("doctor left %s behind", e.Name())
		}
	}
	if data, _ := os.ReadFile(existing); string(data) != "{}\n" {
		t.Errorf("doctor changed the trail: %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "state")); err == nil {
		t.Error("doctor created the state directory")
	}
}
