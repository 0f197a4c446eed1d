package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot/discordbot"
)

// discordAPI is Discord's REST API as mailhelp serve reaches it: at
// DISCORD_API_URL (default https://discord.com/api), in discordgo's API
// version, with the bot token.
type discordAPI struct {
	d     *doctor
	base  string
	token string
}

// discordError is Discord's answer to a request it refused.
type discordError struct {
	Status  int    // HTTP status
	Code    int    `json:"code"` // Discord's JSON error code (50001 Missing Access…)
	Message string `json:"message"`
}

func (e *discordError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("HTTP %d: %s (code %d)", e.Status, e.Message, e.Code)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// get reads path's JSON into v, within the per-call timeout.
func (a discordAPI) get(ctx context.Context, path string, v any) error {
	ctx, cancel := a.d.callCtx(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+"/v"+discordgo.APIVersion+path, nil)
	if err != nil {
		return fmt.Errorf("discord: %w", err)
	}
	req.Header.Set("Authorization", "Bot "+a.token)
	req.Header.Set("User-Agent", userAgent)
	resp, err := a.d.client(false).Do(req)
	if err != nil {
		return fmt.Errorf("discord: GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("discord: GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		de := &discordError{Status: resp.StatusCode}
		_ = json.Unmarshal(body, de)
		return de
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("discord: GET %s: %w", path, err)
	}
	return nil
}

// status is the HTTP status of a refused request, or 0.
func status(err error) int {
	if de, ok := err.(*discordError); ok {
		return de.Status
	}
	return 0
}

// discordProblem says why a Discord call failed.
func discordProblem(err error) string {
	if de, ok := err.(*discordError); ok {
		if de.Status == http.StatusTooManyRequests {
			return "rate limited by Discord; try again in a minute"
		}
		return "Discord answered " + de.Error()
	}
	return netProblem(err)
}

// discord checks the Discord side when DISCORD_BOT_TOKEN is set: the
// token, the application id, the gateway intents, the /mailhelp
// command, and the bot's permissions in the announcement channels.
func (d *doctor) discord(ctx context.Context) []Finding {
	e := d.o.Env
	if e.DiscordBotToken == "" {
		f := Finding{Check: "discord", Status: StatusSkip, Message: "off: DISCORD_BOT_TOKEN is not set"}
		if e.DiscordAppID != "" {
			f.Status = StatusWarn
			f.Message = "off: DISCORD_APP_ID is set but DISCORD_BOT_TOKEN is not"
			f.Fix = "set DISCORD_BOT_TOKEN to the token from the application's \"Bot\" page"
		}
		return append([]Finding{f}, d.orphanChannels("discord")...)
	}
	base := strings.TrimSuffix(e.DiscordAPIURL, "/")
	if base == "" {
		base = "https://discord.com/api"
	}
	api := discordAPI{d: d, base: base, token: e.DiscordBotToken}
	var me discordgo.User
	err := api.get(ctx, "/users/@me", &me)
	out := []Finding{discordTokenFinding(base, &me, err)}
	if err != nil {
		return append(out, Finding{Check: "discord_app_id", Status: StatusSkip, Message: "not checked: the bot token did not work"})
	}
	var app discordgo.Application
	appErr := api.get(ctx, "/oauth2/applications/@me", &app)
	idf := discordAppIDFinding(e.DiscordAppID, &app, appErr)
	out = append(out, idf)
	if appErr == nil {
		out = append(out, discordIntentsFinding(app.Flags))
	}
	if idf.Status == StatusOK {
		out = append(out, d.discordCommand(ctx, api))
	}
	guilds := map[string]*guildInfo{}
	for _, ch := range d.announceChannels("discord") {
		out = append(out, d.discordChannel(ctx, api, me.ID, ch, guilds))
	}
	return out
}

// discordTokenFinding judges GET /users/@me's answer for the bot token.
func discordTokenFinding(base string, me *discordgo.User, err error) Finding {
	f := Finding{Check: "discord_token"}
	switch {
	case status(err) == http.StatusUnauthorized:
		f.Status, f.Message = StatusFail, "Discord refused DISCORD_BOT_TOKEN (HTTP 401 Unauthorized)"
		f.Fix = "reset the token on the application's \"Bot\" page and copy it into DISCORD_BOT_TOKEN (the token alone, without \"Bot \")"
	case err != nil:
		f.Status, f.Message = StatusFail, "GET /users/@me failed: "+discordProblem(err)
		f.Fix = "let this machine reach " + base + " over HTTPS (firewall, proxy: HTTPS_PROXY), or fix DISCORD_API_URL"
	case !me.Bot:
		f.Status, f.Message = StatusFail, "DISCORD_BOT_TOKEN belongs to "+me.Username+", who is not a bot"
		f.Fix = "use the token from the application's \"Bot\" page"
	default:
		f.Status, f.Message = StatusOK, fmt.Sprintf("valid: bot %s (%s)", me.Username, me.ID)
	}
	return f
}

// discordAppIDFinding compares DISCORD_APP_ID with the application the
// token belongs to (GET /oauth2/applications/@me).
func discordAppIDFinding(appID string, app *discordgo.Application, err error) Finding {
	f := Finding{Check: "discord_app_id"}
	switch {
	case appID == "":
		f.Status, f.Message = StatusFail, "DISCORD_APP_ID is not set: mailhelp serve refuses to start Discord (it registers /mailhelp under that id)"
		f.Fix = "copy the Application ID from the application's \"General Information\" page into DISCORD_APP_ID"
		if err == nil {
			f.Fix = "set DISCORD_APP_ID=" + app.ID + " (the token's application)"
		}
	case err != nil:
		f.Status, f.Message = StatusFail, "GET /oauth2/applications/@me failed: "+discordProblem(err)
		f.Fix = "run doctor again; if it persists, compare DISCORD_APP_ID with the Application ID on the application's \"General Information\" page"
	case app.ID != appID:
		f.Status = StatusFail
		f.Message = fmt.Sprintf("DISCORD_APP_ID is %s, but the token belongs to application %s (%s)", appID, app.ID, app.Name)
		f.Fix = "set DISCORD_APP_ID=" + app.ID + ", or use the token of application " + appID
	default:
		f.Status, f.Message = StatusOK, fmt.Sprintf("matches the token's application %s", app.Name)
	}
	return f
}

// privilegedIntent is a gateway intent Discord gives only when the
// application's settings allow it, and the application flags that say so
// (the full and the "limited" one, for bots in under 100 servers).
type privilegedIntent struct {
	intent discordgo.Intent
	flags  int
	toggle string // the switch on the application's "Bot" page
}

var privilegedIntents = []privilegedIntent{
	{discordgo.IntentsGuildPresences, 1<<12 | 1<<13, "Presence Intent"},
	{discordgo.IntentsGuildMembers, 1<<14 | 1<<15, "Server Members Intent"},
	{discordgo.IntentsMessageContent, 1<<18 | 1<<19, "Message Content Intent"},
}

// flagVerificationPending is set while an unverified bot has reached 100
// servers: it can join no more.
const flagVerificationPending = 1 << 6

// adapterIntents are the intents the Discord adapter identifies with,
// read from a session it builds (no I/O).
func adapterIntents() discordgo.Intent {
	b, err := discordbot.New(discordbot.Config{Token: "doctor"}, discordbot.Options{})
	if err != nil {
		return discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	}
	return b.Session.Identify.Intents
}

// discordIntentsFinding checks that every privileged intent the adapter
// identifies with is allowed by the application's flags: else the
// gateway closes with 4014 at start.
func discordIntentsFinding(flags int) Finding {
	return intentsFinding(adapterIntents(), flags)
}

func intentsFinding(want discordgo.Intent, flags int) Finding {
	f := Finding{Check: "discord_intents"}
	var missing, used []string
	for _, p := range privilegedIntents {
		if want&p.intent == 0 {
			continue
		}
		used = append(used, p.toggle)
		if flags&p.flags == 0 {
			missing = append(missing, p.toggle)
		}
	}
	switch {
	case len(missing) > 0:
		f.Status, f.Message = StatusFail, "mailhelp needs "+strings.Join(missing, ", ")+", which the application does not allow: the gateway would close (4014)"
		f.Fix = "turn on " + strings.Join(missing, ", ") + " on the application's \"Bot\" page"
	case flags&flagVerificationPending != 0:
		f.Status, f.Message = StatusWarn, "the intents are right, but the bot is in 100 servers and unverified: it cannot join more"
		f.Fix = "apply for verification on the application's \"App Verification\" page"
	case len(used) == 0:
		f.Status, f.Message = StatusOK, "mailhelp uses no privileged intent (Guilds, Guild Messages, Direct Messages): nothing to turn on"
	default:
		f.Status, f.Message = StatusOK, "the application allows "+strings.Join(used, ", ")
	}
	return f
}

// discordCommand checks that /mailhelp is registered (globally, or in
// DISCORD_GUILD_ID's server) with this version's subcommands.
func (d *doctor) discordCommand(ctx context.Context, api discordAPI) Finding {
	e := d.o.Env
	f := Finding{Check: "discord_command"}
	path, where := "/applications/"+e.DiscordAppID+"/commands", "globally"
	if e.DiscordGuildID != "" {
		path, where = "/applications/"+e.DiscordAppID+"/guilds/"+e.DiscordGuildID+"/commands", "in server "+e.DiscordGuildID
	}
	var cmds []*discordgo.ApplicationCommand
	if err := api.get(ctx, path, &cmds); err != nil {
		f.Status, f.Message = StatusFail, "listing the commands failed: "+discordProblem(err)
		f.Fix = "run doctor again; if it persists, check DISCORD_APP_ID and DISCORD_GUILD_ID"
		if status(err) == http.StatusForbidden {
			f.Fix = "invite the bot to server " + e.DiscordGuildID + " with the applications.commands scope (see the README's invite URL)"
		}
		return f
	}
	restart := "start (or restart) mailhelp serve: it registers /mailhelp at every start; a global command may take a while to show"
	var got *discordgo.ApplicationCommand
	for _, c := range cmds {
		if c.Name == "mailhelp" {
			got = c
		}
	}
	if got == nil {
		f.Status, f.Message, f.Fix = StatusWarn, "/mailhelp is not registered "+where+": people can only mention or DM the bot", restart
		return f
	}
	if d.o.Translator != nil {
		want, have := subcommands(findCommand(discordbot.Commands(d.o.Translator))), subcommands(got)
		if !slices.Equal(want, have) {
			f.Status, f.Fix = StatusWarn, restart
			f.Message = fmt.Sprintf("/mailhelp is registered %s with subcommands %s, but this version has %s", where, strings.Join(have, ", "), strings.Join(want, ", "))
			return f
		}
	}
	f.Status, f.Message = StatusOK, "/mailhelp is registered "+where
	return f
}

func findCommand(cmds []*discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	for _, c := range cmds {
		if c.Name == "mailhelp" {
			return c
		}
	}
	return &discordgo.ApplicationCommand{}
}

// subcommands are a command's option names, sorted.
func subcommands(c *discordgo.ApplicationCommand) []string {
	names := []string{}
	for _, o := range c.Options {
		names = append(names, o.Name)
	}
	slices.Sort(names)
	return names
}

// guildInfo is what a server says about the bot's permissions: its
// roles and owner, and the bot's membership.
type guildInfo struct {
	guild  *discordgo.Guild
	member *discordgo.Member
	err    error
}

// permission is one permission bit and its name in Discord's settings.
type permission struct {
	bit  int64
	name string
}

// neededPerms are the permissions an announcement needs in a channel:
// see it, post in it, and post embeds (cards are embeds).
var neededPerms = []permission{
	{discordgo.PermissionViewChannel, "View Channel"},
	{discordgo.PermissionSendMessages, "Send Messages"},
	{discordgo.PermissionEmbedLinks, "Embed Links"},
}

// discordChannel checks the bot's permissions in an announcement
// channel, computed from the server's roles and the channel's overwrites.
func (d *doctor) discordChannel(ctx context.Context, api discordAPI, botID, id string, guilds map[string]*guildInfo) Finding {
	f := Finding{Check: "discord_channel", Subject: id}
	var ch discordgo.Channel
	if err := api.get(ctx, "/channels/"+id, &ch); err != nil {
		return channelError(f, err)
	}
	if ch.GuildID == "" {
		f.Status, f.Message = StatusSkip, "not a server channel: no permissions to check"
		return f
	}
	g := guilds[ch.GuildID]
	if g == nil {
		g = api.guild(ctx, ch.GuildID, botID)
		guilds[ch.GuildID] = g
	}
	if g.err != nil {
		f.Status, f.Message = StatusFail, "reading server "+ch.GuildID+" failed: "+discordProblem(g.err)
		f.Fix = "make sure the bot is in that server (the README's invite URL), then run doctor again"
		if status(g.err) == http.StatusNotFound {
			f.Message = "the bot is not a member of server " + ch.GuildID
			f.Fix = "invite the bot to the server with the README's invite URL"
		}
		return f
	}
	on, needed := &ch, neededPerms
	if ch.IsThread() {
		// A thread has the permissions of its channel, and posting in
		// it is Send Messages in Threads.
		var parent discordgo.Channel
		if err := api.get(ctx, "/channels/"+ch.ParentID, &parent); err != nil {
			f.Status, f.Message = StatusFail, "reading the thread's channel "+ch.ParentID+" failed: "+discordProblem(err)
			f.Fix = "allow the bot View Channel in the thread's channel, or name a channel rather than a thread"
			return f
		}
		on = &parent
		needed = []permission{neededPerms[0], {discordgo.PermissionSendMessagesInThreads, "Send Messages in Threads"}, neededPerms[2]}
	}
	perms := permissionsIn(g.guild, on, g.member, botID, d.o.Now())
	var missing []string
	for _, p := range needed {
		if perms&p.bit == 0 {
			missing = append(missing, p.name)
		}
	}
	name := "#" + ch.Name
	if len(missing) > 0 {
		f.Status = StatusFail
		f.Message = fmt.Sprintf("the bot lacks %s in %s: announcements there fail (Missing Permissions)", strings.Join(missing, ", "), name)
		f.Fix = "in " + name + "'s settings > Permissions, allow " + strings.Join(missing, ", ") + " to the bot's role (or remove the overwrite that denies it)"
		return f
	}
	f.Status, f.Message = StatusOK, "the bot may view, post and embed in "+name
	return f
}

// channelError says why a channel could not be read.
func channelError(f Finding, err error) Finding {
	f.Status = StatusFail
	switch status(err) {
	case http.StatusForbidden:
		f.Message = "the bot cannot see this channel (Missing Access): it is not in that server, or View Channel is denied to it"
		f.Fix = "invite the bot to the server (the README's invite URL), and allow it View Channel there"
	case http.StatusNotFound:
		f.Message = "no such channel (Unknown Channel)"
		f.Fix = "copy the channel's id (Developer Mode, right-click > Copy Channel ID) into the configuration"
	default:
		f.Message = "GET /channels/" + f.Subject + " failed: " + discordProblem(err)
		f.Fix = "run doctor again; if it persists, check the channel id in the configuration"
	}
	return f
}

// guild reads a server's roles and owner, and the bot's membership.
func (a discordAPI) guild(ctx context.Context, id, botID string) *guildInfo {
	g := &guildInfo{guild: &discordgo.Guild{}, member: &discordgo.Member{}}
	g.err = a.get(ctx, "/guilds/"+id, g.guild)
	if g.err == nil {
		g.err = a.get(ctx, "/guilds/"+id+"/members/"+botID, g.member)
	}
	return g
}

// permissionsIn computes a member's permissions in a channel as Discord
// documents it ("Permission Overwrites"): the server owner and
// Administrator have all; else the @everyone role's permissions and the
// member's roles', then the channel's @everyone overwrite, its role
// overwrites together, and the member's own, each denying then allowing.
// A member in time-out keeps only View Channel and Read Message History.
func permissionsIn(g *discordgo.Guild, ch *discordgo.Channel, m *discordgo.Member, userID string, now time.Time) int64 {
	if userID == g.OwnerID {
		return discordgo.PermissionAll
	}
	var base int64
	for _, r := range g.Roles {
		if r.ID == g.ID || slices.Contains(m.Roles, r.ID) {
			base |= r.Permissions
		}
	}
	if base&discordgo.PermissionAdministrator != 0 {
		return discordgo.PermissionAll
	}
	perms := base
	for _, o := range ch.PermissionOverwrites {
		if o.ID == g.ID {
			perms = perms&^o.Deny | o.Allow
		}
	}
	var allow, deny int64
	for _, o := range ch.PermissionOverwrites {
		if o.Type == discordgo.PermissionOverwriteTypeRole && slices.Contains(m.Roles, o.ID) {
			allow |= o.Allow
			deny |= o.Deny
		}
	}
	perms = perms&^deny | allow
	for _, o := range ch.PermissionOverwrites {
		if o.Type == discordgo.PermissionOverwriteTypeMember && o.ID == userID {
			perms = perms&^o.Deny | o.Allow
		}
	}
	if m.CommunicationDisabledUntil != nil && m.CommunicationDisabledUntil.After(now) {
		perms &= discordgo.PermissionViewChannel | discordgo.PermissionReadMessageHistory
	}
	return perms
}
