package slackbot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/mailhelp/mailhelp/bot"
)

// api is the part of slack-go's client the adapter calls.
type api interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	GetUserGroupMembersContext(ctx context.Context, userGroup string, options ...slack.GetUserGroupMembersOption) ([]string, error)
}

// Options configures an Adapter. The zero value of an optional field
// means its default.
type Options struct {
	// Router answers requests. Required.
	Router bot.Answerer
	// Translator gives the adapter's own words ("checking…"). Required.
	Translator bot.Translator
	// BotUserID is the bot's own user, whose messages are ignored; Run
	// sets it from auth.test.
	BotUserID string
	// Logger gets ids, timings and error kinds, never text or tokens.
	Logger *slog.Logger
	// Reconnected is called when Socket Mode reconnects (metrics).
	Reconnected func()
	// HTTPClient posts to response_url; default a client with a timeout
	// that follows no redirect.
	HTTPClient *http.Client
	// ChannelBurst and ChannelInterval pace posts per channel: a burst,
	// then one post per interval (Slack allows about one a second).
	ChannelBurst    int
	ChannelInterval time.Duration
	// StartBackoff is the first wait before trying Slack again when it
	// cannot be reached or fails (at start-up, or a Socket Mode connection
	// lost); it doubles up to a minute. Default 1 second.
	StartBackoff time.Duration
	// DrainGrace is how long Run lets the answers under way finish once
	// its context is done; default 15 seconds.
	DrainGrace time.Duration
	// MaxInFlight bounds the live checks run at once; default 64.
	// Other answers take microseconds and are not bounded here.
	MaxInFlight int
	// Announcements confirms admins' announcements; nil turns the Post
	// button off.
	Announcements bot.Announcements
	// AdminGroups returns the user groups whose members are admins (asked
	// at each announce request, so a reload applies); the adapter looks
	// up membership (usergroups:read). Nil means none.
	AdminGroups func() []string
	// Deliveries decides which replica answers each event, command and
	// button; nil keeps them in this process (ten minutes, 20 000 ids).
	Deliveries bot.Deliveries
	// HoldAcks acknowledges a Socket Mode event once it is answered (or
	// found answered), and at the latest ackWithin after it came, rather
	// than at once: Slack sends again what is not acknowledged, so an
	// event whose replica died before answering is answered by another.
	// For replicas sharing their Deliveries: a lone process acknowledges
	// at once, since after a restart it would not know what it answered.
	HoldAcks bool
	// Journal, for replicas sharing a store, records each slow answer
	// to an event (a live check) while it runs: one whose replica dies
	// is given by another replica, which replaces the "checking…"
	// message — unless the event was answered meanwhile (Slack sent it
	// again before it was acknowledged). Nil records nothing.
	Journal bot.Journal
	// ResumeEvery is how often the Journal is asked for answers to
	// take over; default 2 s.
	ResumeEvery time.Duration
}

// Adapter answers Slack. It is safe for concurrent use.
type Adapter struct {
	connected atomic.Bool
	botID     atomic.Value // string
	api       api
	auth      authAPI
	socket    *socketmode.Client
	secret    string
	// apiBase is the configured Web API URL, whose host may serve
	// response_url (tests); nil for Slack's.
	apiBase *url.URL
	work    work
	opts    Options
	seen    bot.Deliveries
	locales *localeCache
	pacer   *pacer
	slots   chan struct{}
}

// newAdapter builds an Adapter over an api; New uses slack-go's client.
func newAdapter(a api, opts Options) *Adapter {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.HTTPClient == nil {
		// response_url is checked before each post; a redirect would take
		// the answer elsewhere unchecked, so none is followed.
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if opts.StartBackoff <= 0 {
		opts.StartBackoff = time.Second
	}
	if opts.ChannelBurst <= 0 {
		opts.ChannelBurst = 3
	}
	if opts.ChannelInterval <= 0 {
		opts.ChannelInterval = time.Second
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 64
	}
	if opts.DrainGrace <= 0 {
		opts.DrainGrace = 15 * time.Second
	}
	if opts.Deliveries == nil {
		opts.Deliveries = bot.NewLocalDeliveries(10*time.Minute, 20000)
	}
	ad := &Adapter{
		api: a, opts: opts,
		seen:    opts.Deliveries,
		locales: newLocaleCache(time.Hour, 10000),
		pacer:   newPacer(opts.ChannelBurst, opts.ChannelInterval),
		slots:   make(chan struct{}, opts.MaxInFlight),
	}
	ad.botID.Store(opts.BotUserID)
	return ad
}

// authAPI identifies the bot.
type authAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
}

// botUserID is the bot's own user id.
func (a *Adapter) botUserID() string {
	id, _ := a.botID.Load().(string)
	return id
}

// Connected reports whether the adapter can answer, for readiness: Socket
// Mode connected, or in HTTP mode, the bot identified.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// conversation is where an answer goes.
type conversation struct {
	channel  string
	threadTS string // reply in this thread; "" for the channel itself
	user     string
	// responseURL, for slash commands and buttons: answers go there.
	responseURL string
	ephemeral   bool
	// replaceTS is a bot message to update instead of posting anew.
	replaceTS string
	// command is set for /mailhelp, whose answers the text may make
	// public.
	command bool
	// delivery is the claimed id of the event answered, for the
	// Journal; "" for commands and buttons.
	delivery string
	// orphan is set when answering a check taken over from a replica
	// that died: its "checking…" message is replaceTS, and orphan.End
	// ends it.
	orphan *bot.Orphan
}

// id names the conversation for follow-ups: a thread, else the channel
// (a DM, or where a command was typed).
func (c conversation) id() string {
	if c.threadTS != "" {
		return c.channel + "/" + c.threadTS
	}
	return c.channel
}

// HandleEvent answers an Events API event: a mention in a channel (in a
// thread under it) or a direct message. It ignores bots, itself, edits
// and deliveries already handled or being handled. It returns when the
// answer is posted.
func (a *Adapter) HandleEvent(ctx context.Context, ev slackevents.EventsAPIEvent, eventID string) {
	a.handleEvent(ctx, ev, eventID)
}

// handleEvent is HandleEvent, and reports whether Slack may now be told
// the event was delivered: not while another handler, here or on another
// replica, is answering it (bot.Busy), so that Slack sends it again and,
// should that handler have died, the claim it held having expired, the
// event is answered after all.
func (a *Adapter) handleEvent(ctx context.Context, ev slackevents.EventsAPIEvent, eventID string) (ack bool) {
	var text string
	var conv conversation
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.User == "" || e.User == a.botUserID() {
			return true
		}
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp
		}
		text, conv = e.Text, conversation{channel: e.Channel, threadTS: thread, user: e.User, delivery: "slack:event:" + eventID}
	case *slackevents.MessageEvent:
		if e.ChannelType != "im" || e.BotID != "" || e.SubType != "" || e.User == "" || e.User == a.botUserID() {
			return true
		}
		text, conv = e.Text, conversation{channel: e.Channel, user: e.User, delivery: "slack:event:" + eventID}
	default:
		return true
	}
	if eventID != "" {
		// The claim fetches the conversation the answer will recall.
		hinted := bot.WithRecallHint(ctx, bot.ConversationKey("slack", conv.id(), conv.user))
		done, st := a.seen.Claim(hinted, "slack:event:"+eventID)
		if st != bot.Claimed {
			return st == bot.Handled
		}
		// Cut short by shutdown, the answer may not be out: another
		// replica may take the event again.
		defer func() { done(ctx.Err() == nil) }()
	}
	a.ask(ctx, text, "", conv)
	return true
}

// HandleCommand answers /mailhelp: ephemeral to the caller unless the
// text asks for the whole channel ("public", "publier", …).
func (a *Adapter) HandleCommand(ctx context.Context, cmd slack.SlashCommand) {
	conv := conversation{channel: cmd.ChannelID, user: cmd.UserID, responseURL: cmd.ResponseURL, ephemeral: true, command: true}
	done, st := a.seen.Claim(bot.WithRecallHint(ctx, bot.ConversationKey("slack", conv.id(), conv.user)),
		"slack:command:"+cmd.TriggerID)
	if st != bot.Claimed {
		return
	}
	defer done(true)
	a.ask(ctx, cmd.Text, "", conv)
}

// HandleInteraction answers a button: a live check, or the answer again
// in the other language, in place of the message that had the button.
func (a *Adapter) HandleInteraction(ctx context.Context, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	act := cb.ActionCallback.BlockActions[0]
	done, st := a.seen.Claim(ctx, "slack:action:"+cb.TriggerID+":"+act.ActionID)
	if st != bot.Claimed {
		return
	}
	defer done(true)
	if act.ActionID == actionAnnouncePost || act.ActionID == actionAnnounceCancel {
		a.announceAction(ctx, cb, act.ActionID, act.Value)
		return
	}
	value := act.Value
	if act.SelectedOption.Value != "" {
		value = act.SelectedOption.Value // the language menu
	}
	var v buttonValue
	if err := json.Unmarshal([]byte(value), &v); err != nil || (v.Phrase == "" && v.Target == "") {
		a.opts.Logger.Warn("slack: unreadable button value", "action", act.ActionID)
		return
	}
	conv := conversation{channel: cb.Channel.ID, user: cb.User.ID, responseURL: cb.ResponseURL,
		threadTS: cb.Message.ThreadTimestamp, ephemeral: cb.Container.IsEphemeral}
	switch act.ActionID {
	case actionLang:
		conv.replaceTS = cb.Message.Timestamp
	case actionCheck:
		if conv.threadTS == "" {
			conv.threadTS = cb.Message.Timestamp
		}
		v.Lang = ""
	default:
		return
	}
	if v.Target != "" {
		// A check asked with a button: the target (and, under a
		// troubleshooting answer, the problem) are a form's fields.
		form := &bot.Form{Intent: bot.IntentCheck, Target: v.Target}
		if v.Symptom != "" {
			form.Intent, form.Symptom = bot.IntentTroubleshoot, v.Symptom
		}
		req := &bot.Request{Platform: "slack", UserID: conv.user, ForceLang: v.Lang, Form: form, Conversation: conv.id()}
		a.answer(ctx, req, Question{Target: v.Target, Symptom: v.Symptom}, conv)
		return
	}
	a.ask(ctx, v.Phrase, v.Lang, conv)
}

// ask answers a message's text: Slack's markup is removed first.
func (a *Adapter) ask(ctx context.Context, text, force string, conv conversation) {
	plain, channel := unwrap(text)
	req := &bot.Request{Text: plain, Platform: "slack", UserID: conv.user, ForceLang: force, Channel: channel,
		Conversation: conv.id()}
	a.answer(ctx, req, Question{Text: bot.Plain(plain)}, conv)
}

// answer plans a request once and posts the reply. A slow answer (a
// live check) is acknowledged at once ("checking…", in the answer's
// language), then that message is updated with the result.
func (a *Adapter) answer(ctx context.Context, req *bot.Request, q Question, conv conversation) {
	if req.ForceLang == "" {
		req.LocaleHint = a.locale(ctx, conv.user)
	}
	plan := a.opts.Router.Plan(ctx, req)
	if admin := plan.Intent(); admin == bot.IntentAnnounce || admin == bot.IntentDiscovery {
		// Admin-only intents: the user's groups may make them an admin.
		req.Roles = a.groupsOf(ctx, conv.user)
	}
	if plan.Intent() == bot.IntentAnnounce {
		a.announce(ctx, plan, conv)
		return
	}
	if conv.command && req.Parsed.Public {
		conv.ephemeral = false
	}
	end := func(bool) {}
	if plan.Slow {
		if conv.orphan != nil {
			end = conv.orphan.End // its "checking…" message is there
		} else {
			msg := Message{Text: EscapeMrkdwn(a.opts.Translator.For(plan.Lang()).Text("slack.checking", map[string]any{"Target": plan.Target()}))}
			msg.Blocks = []slack.Block{prose(":hourglass_flowing_sand: " + msg.Text)}
			ts, err := a.post(ctx, conv, msg)
			if err != nil {
				a.opts.Logger.Error("slack: post", "channel", conv.channel, "err", err)
				return
			}
			if ts != "" {
				conv.replaceTS = ts
			}
			if a.opts.Journal != nil && resumable(plan, conv) {
				end = a.opts.Journal.Begin(ctx, bot.Unfinished{Platform: "slack", Delivery: conv.delivery,
					Channel: conv.channel, Thread: conv.threadTS, Message: conv.replaceTS, User: conv.user,
					Lang: plan.Lang(), Form: plan.Form()})
			}
		}
		// Slow answers alone take a slot, after the user has been told
		// "checking…".
		select {
		case a.slots <- struct{}{}:
			defer func() { <-a.slots }()
		case <-ctx.Done():
			end(false) // cut short: to be taken over
			return
		}
	}
	reply := plan.Answer(ctx)
	msg := Render(reply, q, bot.SwitchFor(a.opts.Translator, reply.Lang))
	_, err := a.post(ctx, conv, msg)
	if err != nil {
		a.opts.Logger.Error("slack: post", "channel", conv.channel, "intent", string(reply.Intent), "err", err)
	}
	// Out, or failed for a reason of Slack's: finished. Cut short by
	// shutdown before it was out: to be taken over.
	end(err == nil || ctx.Err() == nil)
}

// post sends msg where conv says, paced per channel and retried on rate
// limits. It returns the message's timestamp when Slack gives one.
func (a *Adapter) post(ctx context.Context, conv conversation, msg Message) (string, error) {
	if conv.responseURL != "" {
		if !a.responseURLAllowed(conv.responseURL) {
			host := ""
			if u, err := url.Parse(conv.responseURL); err == nil {
				host = u.Host
			}
			a.opts.Logger.Warn("slack: response_url refused: not Slack's", "host", host, "channel", conv.channel)
			return "", errResponseURL
		}
		wm := &slack.WebhookMessage{Text: msg.Text, Blocks: &slack.Blocks{BlockSet: msg.Blocks}, ReplaceOriginal: conv.replaceTS != ""}
		if conv.ephemeral {
			wm.ResponseType = slack.ResponseTypeEphemeral
		} else {
			wm.ResponseType = slack.ResponseTypeInChannel
		}
		if conv.threadTS != "" && !conv.ephemeral && conv.replaceTS == "" {
			wm.ThreadTimestamp = conv.threadTS
		}
		err := a.retry(ctx, conv.channel, func() error {
			return slack.PostWebhookCustomHTTPContext(ctx, conv.responseURL, a.opts.HTTPClient, wm)
		})
		// After a first post through response_url, later ones replace it.
		return "response_url", err
	}
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if conv.replaceTS != "" {
		return conv.replaceTS, a.retry(ctx, conv.channel, func() error {
			_, _, _, err := a.api.UpdateMessageContext(ctx, conv.channel, conv.replaceTS, opts...)
			return err
		})
	}
	if conv.threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(conv.threadTS))
	}
	var ts string
	err := a.retry(ctx, conv.channel, func() error {
		var err error
		_, ts, err = a.api.PostMessageContext(ctx, conv.channel, opts...)
		return err
	})
	return ts, err
}

// slackHooks is the host of Slack's response_url.
const slackHooks = "hooks.slack.com"

// errResponseURL refuses an answer whose response_url is not Slack's.
var errResponseURL = errors.New("slack: response_url is not Slack's: nothing sent")

// responseURLAllowed reports whether raw is one of Slack's response
// URLs: https://hooks.slack.com/…, or the configured API URL's scheme and
// host (a test server). Another host, port or scheme, user info or a
// relative URL would send an answer, and what it says, outside Slack.
func (a *Adapter) responseURLAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" || u.Host == "" {
		return false
	}
	host := strings.ToLower(u.Host)
	if u.Scheme == "https" && (host == slackHooks || host == slackHooks+":443") {
		return true
	}
	return a.apiBase != nil && u.Scheme == a.apiBase.Scheme && host == strings.ToLower(a.apiBase.Host)
}

// maxRetries bounds retries on rate limits; maxRetryWait bounds one wait.
const (
	maxRetries   = 5
	maxRetryWait = time.Minute
)

// retry runs send after the channel's pace allows it, and again after
// Slack's Retry-After when Slack answers 429, so no reply is lost to a
// rate limit and no retry storm starts.
func (a *Adapter) retry(ctx context.Context, channel string, send func() error) error {
	for attempt := 0; ; attempt++ {
		if err := a.pacer.wait(ctx, channel); err != nil {
			return err
		}
		err := send()
		var rl *slack.RateLimitedError
		if !errors.As(err, &rl) || attempt == maxRetries {
			return err
		}
		wait := min(max(rl.RetryAfter, time.Second), maxRetryWait)
		a.opts.Logger.Warn("slack: rate limited", "channel", channel, "retry_after", wait.String())
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// locale is the user's Slack locale, cached.
func (a *Adapter) locale(ctx context.Context, user string) string {
	if user == "" {
		return ""
	}
	return a.locales.lookup(user, func() (string, error) {
		u, err := a.api.GetUserInfoContext(ctx, user)
		if err != nil {
			a.opts.Logger.Warn("slack: users.info", "err", err)
			return "", err
		}
		return u.Locale, nil
	})
}

// groupsOf lists the admin groups user belongs to.
func (a *Adapter) groupsOf(ctx context.Context, user string) []string {
	if a.opts.AdminGroups == nil {
		return nil
	}
	var roles []string
	for _, g := range a.opts.AdminGroups() {
		members, err := a.api.GetUserGroupMembersContext(ctx, g)
		if err != nil {
			a.opts.Logger.Warn("slack: usergroups.users.list", "group", g, "err", err)
			continue
		}
		for _, m := range members {
			if m == user {
				roles = append(roles, g)
				break
			}
		}
	}
	return roles
}
