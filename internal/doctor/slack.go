package doctor

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// SlackScope is a bot token scope mailhelp's Slack features need, as
// deploy/slack/manifest.yaml asks for it.
type SlackScope struct {
	Name string
	// Feature is what goes wrong without it.
	Feature string
	// Blocks reports whether its absence blocks the deployment, given
	// whether Slack admin users and admin user groups are configured:
	// some scopes only matter for admins.
	Blocks func(admins, groups bool) bool
}

func always(bool, bool) bool      { return true }
func never(bool, bool) bool       { return false }
func withGroups(_, g bool) bool   { return g }
func withAnyAdmin(a, g bool) bool { return a || g }

// SlackScopes are the bot scopes in deploy/slack/manifest.yaml, with the
// feature each serves (a test keeps the two lists equal).
var SlackScopes = []SlackScope{
	{"app_mentions:read", "@mailhelp mentions in channels", always},
	{"chat:write", "posting answers and updating \"checking…\" messages", always},
	{"commands", "the /mailhelp slash command", always},
	{"im:history", "direct messages to the bot", always},
	{"im:read", "direct messages to the bot", never},
	{"im:write", "direct messages to admins after a reload (change announcements, refused files)", withAnyAdmin},
	{"users:read", "answering in the asker's Slack language", never},
	{"usergroups:read", "admins by user group (admins.slack.groups)", withGroups},
}

// slack checks the Slack side when SLACK_BOT_TOKEN is set: the token,
// its scopes, how events arrive, and the announcement channels.
func (d *doctor) slack(ctx context.Context) []Finding {
	e := d.o.Env
	if e.SlackBotToken == "" {
		f := Finding{Check: "slack", Status: StatusSkip, Message: "off: SLACK_BOT_TOKEN is not set"}
		if e.SlackAppToken != "" || e.SlackSigningSecret != "" {
			f.Status = StatusWarn
			f.Message = "off: SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not"
			f.Fix = "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from the app's \"Install App\" page"
		}
		return append([]Finding{f}, d.orphanChannels("slack")...)
	}
	api := slack.New(e.SlackBotToken, slack.OptionAPIURL(slackAPIURL(e.SlackAPIURL)), slack.OptionHTTPClient(d.client(false)))
	cctx, cancel := d.callCtx(ctx)
	auth, err := api.AuthTestContext(cctx)
	cancel()
	out := []Finding{slackTokenFinding(e, auth, err)}
	if err != nil {
		// How events arrive does not depend on the bot token: still say.
		out = append(out, Finding{Check: "slack_scopes", Status: StatusSkip, Message: "not checked: the bot token did not work"})
		return append(out, d.slackMode(ctx)...)
	}
	out = append(out, d.slackScopes(auth.Header))
	out = append(out, d.slackMode(ctx)...)
	for _, ch := range d.announceChannels("slack") {
		out = append(out, d.slackChannel(ctx, api, ch))
	}
	return out
}

// slackAPIURL is the Web API base slack-go wants (with a final slash),
// as the adapter builds it.
func slackAPIURL(s string) string {
	if s == "" {
		return slack.APIURL
	}
	return strings.TrimSuffix(s, "/") + "/"
}

// slackCode is Slack's error code in err ("invalid_auth"), or "".
func slackCode(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}

// slackTokenMeaning explains Slack's answers to a token it refuses.
var slackTokenMeaning = map[string]string{
	"invalid_auth":           "Slack does not know this token",
	"not_authed":             "no token reached Slack",
	"account_inactive":       "the token's app or user was deactivated",
	"token_revoked":          "the token was revoked (the app was uninstalled or reinstalled)",
	"token_expired":          "the token expired (token rotation is on)",
	"not_allowed_token_type": "this kind of token cannot be used here",
}

// slackTokenFinding judges auth.test's answer for SLACK_BOT_TOKEN.
func slackTokenFinding(e Env, auth *slack.AuthTestResponse, err error) Finding {
	f := Finding{Check: "slack_token"}
	fix := "copy the Bot User OAuth Token (xoxb-…) from the app's \"Install App\" page into SLACK_BOT_TOKEN (reinstall the app if it was revoked)"
	if err != nil {
		f.Status, f.Fix = StatusFail, fix
		code := slackCode(err)
		switch {
		case code != "":
			f.Message = "auth.test refused SLACK_BOT_TOKEN: " + code
			if m := slackTokenMeaning[code]; m != "" {
				f.Message += " (" + m + ")"
			}
		default:
			f.Message = "auth.test failed: " + slackNetProblem(e, err)
			f.Fix = "let this machine reach " + slackAPIURL(e.SlackAPIURL) + " over HTTPS (firewall, proxy: HTTPS_PROXY), or fix SLACK_API_URL"
			var rl *slack.RateLimitedError
			if errors.As(err, &rl) {
				f.Fix = "run doctor again in a while"
			}
		}
		return f
	}
	f.Status = StatusOK
	f.Message = fmt.Sprintf("valid: bot %s (%s) in workspace %s", auth.User, auth.UserID, auth.Team)
	if !strings.HasPrefix(e.SlackBotToken, "xoxb-") {
		f.Status = StatusWarn
		f.Message += ", but it is not a bot token (xoxb-…): answers would be posted as the person it belongs to"
		f.Fix = fix
	}
	return f
}

// slackNetProblem says why Slack did not answer.
func slackNetProblem(e Env, err error) string {
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		return "Slack answered HTTP " + strconv.Itoa(sc.Code)
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return "rate limited by Slack; try again in " + rl.RetryAfter.String()
	}
	return netProblem(err)
}

// slackScopes compares the scopes Slack granted the bot token (auth.test's
// X-OAuth-Scopes header) with those the features need.
func (d *doctor) slackScopes(h map[string][]string) Finding {
	f := Finding{Check: "slack_scopes"}
	raw, ok := h[http.CanonicalHeaderKey("X-OAuth-Scopes")]
	if !ok {
		f.Status = StatusWarn
		f.Message = "Slack did not say which scopes the token has (no X-OAuth-Scopes header): not checked"
		f.Fix = "if a proxy sits between mailhelp and Slack, let it pass that header; else compare the app's \"OAuth & Permissions\" page with deploy/slack/manifest.yaml"
		return f
	}
	granted := map[string]bool{}
	for _, v := range raw {
		for _, s := range strings.Split(v, ",") {
			granted[strings.TrimSpace(s)] = true
		}
	}
	admins, groups := false, false
	if cfg := d.cfg(); cfg != nil {
		set := cfg.Admins["slack"]
		admins, groups = len(set.Users) > 0, len(set.Roles) > 0
	}
	var blocking, other []string
	for _, s := range SlackScopes {
		if granted[s.Name] {
			continue
		}
		line := s.Name + " (" + s.Feature + ")"
		if s.Blocks(admins, groups) {
			blocking = append(blocking, line)
		} else {
			other = append(other, line)
		}
	}
	fix := "add them under the app's \"OAuth & Permissions\" > \"Bot Token Scopes\" (or paste deploy/slack/manifest.yaml again), then reinstall the app to the workspace; the token stays the same"
	switch {
	case len(blocking) > 0:
		f.Status, f.Fix = StatusFail, fix
		f.Message = "missing " + strings.Join(append(blocking, other...), ", ")
	case len(other) > 0:
		f.Status, f.Fix = StatusWarn, fix
		f.Message = "missing " + strings.Join(other, ", ")
	default:
		f.Status = StatusOK
		f.Message = fmt.Sprintf("all %d scopes the features need are granted", len(SlackScopes))
	}
	return f
}

// slackMode checks how events reach mailhelp: Socket Mode with the app
// token, else HTTP mode with the signing secret.
func (d *doctor) slackMode(ctx context.Context) []Finding {
	e := d.o.Env
	switch {
	case e.SlackAppToken != "":
		return []Finding{d.slackSocket(ctx)}
	case e.SlackSigningSecret != "":
		return []Finding{d.slackHTTP(ctx)}
	}
	return []Finding{{Check: "slack_socket_mode", Status: StatusFail,
		Message: "neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is set: mailhelp serve refuses to start Slack",
		Fix:     "generate an app-level token with connections:write (\"Basic Information\" > \"App-Level Tokens\") into SLACK_APP_TOKEN; or, for HTTP mode, set SLACK_SIGNING_SECRET"}}
}

// slackSocket opens a Socket Mode connection URL with the app token
// (apps.connections.open) without dialing it: a connection doctor
// opened could be handed events meant for mailhelp serve.
func (d *doctor) slackSocket(ctx context.Context) Finding {
	e := d.o.Env
	f := Finding{Check: "slack_socket_mode"}
	api := slack.New(e.SlackBotToken, slack.OptionAppLevelToken(e.SlackAppToken),
		slack.OptionAPIURL(slackAPIURL(e.SlackAPIURL)), slack.OptionHTTPClient(d.client(false)))
	cctx, cancel := d.callCtx(ctx)
	defer cancel()
	_, wsURL, err := api.StartSocketModeContext(cctx)
	fix := "generate an app-level token with the connections:write scope (\"Basic Information\" > \"App-Level Tokens\") into SLACK_APP_TOKEN, and turn Socket Mode on (\"Socket Mode\", or socket_mode_enabled: true in the manifest)"
	switch code := slackCode(err); {
	case err == nil && (strings.HasPrefix(wsURL, "wss://") || strings.HasPrefix(wsURL, "ws://")):
		f.Status, f.Message = StatusOK, "reachable: apps.connections.open gave a connection URL"
	case err == nil:
		f.Status, f.Message, f.Fix = StatusFail, "apps.connections.open gave no websocket URL", fix
	case code == "not_allowed_token_type":
		f.Status, f.Message, f.Fix = StatusFail, "SLACK_APP_TOKEN is not an app-level token (xapp-…)", fix
	case code == "missing_scope":
		f.Status, f.Message, f.Fix = StatusFail, "SLACK_APP_TOKEN lacks the connections:write scope", fix
	case code != "":
		f.Status, f.Fix = StatusFail, fix
		f.Message = "apps.connections.open refused SLACK_APP_TOKEN: " + code
		if m := slackTokenMeaning[code]; m != "" {
			f.Message += " (" + m + ")"
		}
	default:
		f.Status = StatusFail
		f.Message = "apps.connections.open failed: " + slackNetProblem(e, err)
		f.Fix = "let this machine reach " + slackAPIURL(e.SlackAPIURL) + " over HTTPS"
	}
	return f
}

// slackHTTP checks HTTP mode end to end: a url_verification event,
// signed with SLACK_SIGNING_SECRET, posted to web.public_url's
// /slack/events as Slack would, must come back as its challenge. That
// proves the address reaches mailhelp, the endpoints are mounted, and
// the running instance has the same secret. Slack follows no redirect.
func (d *doctor) slackHTTP(ctx context.Context) Finding {
	f := Finding{Check: "slack_http"}
	cfg := d.cfg()
	if cfg == nil {
		f.Status, f.Message = StatusSkip, "not checked: the configuration did not load"
		return f
	}
	base := cfg.Web.PublicURL
	switch {
	case base == "":
		f.Status, f.Message = StatusFail, "HTTP mode (SLACK_SIGNING_SECRET without SLACK_APP_TOKEN) needs web.public_url: Slack posts events there"
		f.Fix = "set web.public_url to the HTTPS address Slack reaches mailhelp at, or use Socket Mode (SLACK_APP_TOKEN)"
		return f
	case !strings.HasPrefix(base, "https://"):
		f.Status, f.Message = StatusFail, "Slack only posts to https:// request URLs, and web.public_url is "+base
		f.Fix = "serve mailhelp behind HTTPS (see \"Behind a reverse proxy\") and set web.public_url to that address"
		return f
	}
	cctx, cancel := d.callCtx(ctx)
	defer cancel()
	challenge := rand.Text()
	req, err := d.signedChallenge(cctx, base+"/slack/events", challenge)
	if err != nil {
		f.Status, f.Message, f.Fix = StatusFail, err.Error(), "fix web.public_url"
		return f
	}
	resp, err := d.client(false).Do(req)
	if err != nil {
		f.Status, f.Message = StatusFail, base+"/slack/events cannot be reached: "+netProblem(err)
		f.Fix = "start mailhelp serve, and make web.public_url reach it (DNS, reverse proxy, firewall)"
		return f
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	events := base + "/slack/events"
	switch {
	case resp.StatusCode == http.StatusOK && string(got) == challenge:
		f.Status = StatusOK
		f.Message = events + " answers Slack's signed url_verification with this SLACK_SIGNING_SECRET; set the app's request URLs to " +
			base + "/slack/events, /slack/commands and /slack/interactivity"
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		f.Status, f.Message = StatusFail, fmt.Sprintf("%s redirects (HTTP %d to %s), and Slack follows no redirect", events, resp.StatusCode, resp.Header.Get("Location"))
		f.Fix = "set web.public_url to the final address (https://, the right host, no trailing path)"
	case resp.StatusCode == http.StatusUnauthorized:
		f.Status, f.Message = StatusFail, events+" refused the signature: the running mailhelp has another SLACK_SIGNING_SECRET"
		f.Fix = "copy the Signing Secret from the app's \"Basic Information\" > \"App Credentials\" into the SLACK_SIGNING_SECRET of mailhelp serve and of this shell, and restart serve"
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		f.Status, f.Message = StatusFail, fmt.Sprintf("%s is not served (HTTP %d): the running mailhelp has no SLACK_SIGNING_SECRET, or web.public_url reaches something else", events, resp.StatusCode)
		f.Fix = "start mailhelp serve with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET in its environment"
	default:
		f.Status, f.Message = StatusFail, fmt.Sprintf("%s answered HTTP %d without the challenge", events, resp.StatusCode)
		f.Fix = "check that web.public_url reaches mailhelp serve (see the public web address line)"
	}
	return f
}

// signedChallenge is the url_verification event Slack posts to a new
// events URL, with challenge, signed with SLACK_SIGNING_SECRET as Slack
// signs its requests (HMAC-SHA256 of "v0:timestamp:body").
func (d *doctor) signedChallenge(ctx context.Context, url, challenge string) (*http.Request, error) {
	body := []byte(`{"token":"mailhelp-doctor","type":"url_verification","challenge":"` + challenge + `"}`)
	ts := strconv.FormatInt(d.o.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(d.o.Env.SlackSigningSecret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("doctor: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	req.Header.Set("User-Agent", userAgent)
	return req, nil
}

// slackChannel checks that the bot is a member of an announcement
// channel (conversations.info's is_member): chat:write posts only where
// the bot is.
func (d *doctor) slackChannel(ctx context.Context, api *slack.Client, ch string) Finding {
	f := Finding{Check: "slack_channel", Subject: ch}
	cctx, cancel := d.callCtx(ctx)
	defer cancel()
	info, err := api.GetConversationInfoContext(cctx, &slack.GetConversationInfoInput{ChannelID: ch})
	invite := "invite the bot: type /invite @mailhelp in the channel"
	switch code := slackCode(err); {
	case err == nil && info.IsArchived:
		f.Status, f.Message, f.Fix = StatusFail, "#"+info.Name+" is archived: nothing can be posted there", "unarchive it, or name another channel in the configuration"
	case err == nil && !info.IsMember:
		f.Status, f.Message, f.Fix = StatusFail, "the bot is not a member of #"+info.Name+": posts there fail with not_in_channel", invite
	case err == nil:
		f.Status, f.Message = StatusOK, "the bot is a member of #"+info.Name
	case code == "channel_not_found":
		f.Status, f.Message = StatusFail, "not found: a mistyped id, another workspace, or a private channel the bot is not in"
		f.Fix = "copy the id from the channel's details (at the bottom of \"About\"), and " + invite
	case code == "missing_scope":
		f.Status, f.Message = StatusWarn, "cannot tell whether the bot is a member: conversations.info needs channels:read (groups:read for a private channel), which the manifest does not ask for"
		f.Fix = "make sure the bot is in the channel (" + invite + "), or add channels:read and groups:read to the app's scopes so doctor can check"
	case code != "":
		f.Status, f.Message = StatusFail, "conversations.info refused: "+code
		f.Fix = "check the channel id in the configuration, and " + invite
	default:
		f.Status, f.Message = StatusFail, "conversations.info failed: "+slackNetProblem(d.o.Env, err)
		f.Fix = "run doctor again; if it persists, let this machine reach " + slackAPIURL(d.o.Env.SlackAPIURL)
	}
	return f
}

// announceChannels are the configured channels of a platform, sorted:
// announce.channels' ids that look like the platform's (Discord's are
// numbers, Slack's start with a letter) and announce.changes' one.
func (d *doctor) announceChannels(platform string) []string {
	cfg := d.cfg()
	if cfg == nil {
		return nil
	}
	var out []string
	for ch := range cfg.Announce.ChannelLang {
		if (platform == "discord") == isSnowflake(ch) && !slices.Contains(out, ch) {
			out = append(out, ch)
		}
	}
	if ch := cfg.Announce.Changes[platform]; ch != "" && !slices.Contains(out, ch) {
		out = append(out, ch)
	}
	sort.Strings(out)
	return out
}

// isSnowflake reports whether id is a Discord id: digits only.
func isSnowflake(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// orphanChannels warns about a platform's announcement channels when the
// platform is off: announcements there cannot be posted.
func (d *doctor) orphanChannels(platform string) []Finding {
	chs := d.announceChannels(platform)
	if len(chs) == 0 {
		return nil
	}
	v := map[string]string{"slack": "SLACK_BOT_TOKEN", "discord": "DISCORD_BOT_TOKEN"}[platform]
	return []Finding{{Check: "announce_platform_off", Subject: strings.Join(chs, ", "), Status: StatusWarn,
		Message: "configured for " + platform + " announcements, but " + platform + " is off (" + v + " is not set)",
		Fix:     "set " + v + ", or remove these channels from announce.channels and announce.changes"}}
}
