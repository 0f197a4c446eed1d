package discordbot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot"
)

// rest is the part of discordgo's session the adapter calls.
type rest interface {
	ChannelMessageSendComplex(channelID string, data *discordgo.MessageSend, options ...discordgo.RequestOption) (*discordgo.Message, error)
	ChannelMessageEditComplex(m *discordgo.MessageEdit, options ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionRespond(i *discordgo.Interaction, resp *discordgo.InteractionResponse, options ...discordgo.RequestOption) error
	InteractionResponseEdit(i *discordgo.Interaction, e *discordgo.WebhookEdit, options ...discordgo.RequestOption) (*discordgo.Message, error)
	UserChannelCreate(recipientID string, options ...discordgo.RequestOption) (*discordgo.Channel, error)
}

// Options configures an Adapter. The zero value of an optional field
// means its default.
type Options struct {
	// Router answers requests. Required.
	Router bot.Answerer
	// Translator gives the adapter's own words. Required.
	Translator bot.Translator
	// Logger gets ids, timings and error kinds, never text or tokens.
	Logger *slog.Logger
	// MaxInFlight bounds the live checks run at once; default 64.
	// Other answers take microseconds and are not bounded here.
	MaxInFlight int
	// Announcements confirms admins' announcements; nil turns them off.
	Announcements bot.Announcements
	// StartBackoff is the first wait before trying Discord again when it
	// cannot be reached or fails at start-up; it doubles up to a minute.
	// Default 1 second.
	StartBackoff time.Duration
	// Deliveries decides which replica answers each message and
	// interaction; nil keeps them in this process (ten minutes, 20 000
	// ids).
	Deliveries bot.Deliveries
	// TakeoverAfter, when set, is how long a message that another
	// replica is answering (two replicas on one shard, during an update)
	// is waited for before it is claimed once more: if that replica died
	// meanwhile, its claim has expired and this one answers. Set it a
	// little over the store's claim lease; zero never takes over.
	// (Discord does not send a message again: without this, one whose
	// replica died is lost.)
	TakeoverAfter time.Duration
	// Journal, for replicas sharing a store, records each slow answer
	// to a message (a live check) while it runs: one whose replica dies
	// is given by another replica, which edits the "checking…" message.
	// Nil records nothing.
	Journal bot.Journal
	// ResumeEvery is how often the Journal is asked for answers to
	// take over; default 2 s.
	ResumeEvery time.Duration
}

// Adapter answers Discord. It is safe for concurrent use.
type Adapter struct {
	rest      rest
	opts      Options
	botID     atomic.Value // string: the bot's user id, from READY
	seen      bot.Deliveries
	questions *store
	slots     chan struct{}
	// guildLocale gives a guild's preferred locale, when known.
	guildLocale func(guildID string) string
}

func newAdapter(r rest, opts Options) *Adapter {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 64
	}
	if opts.StartBackoff <= 0 {
		opts.StartBackoff = time.Second
	}
	if opts.Deliveries == nil {
		opts.Deliveries = bot.NewLocalDeliveries(10*time.Minute, 20000)
	}
	return &Adapter{rest: r, opts: opts, seen: opts.Deliveries,
		questions: newStore(24*time.Hour, 20000), slots: make(chan struct{}, opts.MaxInFlight),
		guildLocale: func(string) string { return "" }}
}

// acquire takes a handling slot; false when ctx ends first.
func (a *Adapter) acquire(ctx context.Context) bool {
	select {
	case a.slots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (a *Adapter) release() { <-a.slots }

// HandleMessage answers a mention in a guild or a direct message,
// ignoring bots, itself and messages already handled, or being handled
// elsewhere (waited for with Options.TakeoverAfter).
func (a *Adapter) HandleMessage(ctx context.Context, m *discordgo.Message) {
	botID, _ := a.botID.Load().(string)
	if m.Author == nil || m.Author.Bot || m.Author.ID == botID {
		return
	}
	mentioned := false
	for _, u := range m.Mentions {
		if u != nil && u.ID == botID {
			mentioned = true
		}
	}
	if m.GuildID != "" && !mentioned {
		return // not for the bot: no claim needed
	}
	// The claim fetches the conversation the answer will recall.
	hinted := bot.WithRecallHint(ctx, bot.ConversationKey("discord", m.ChannelID, m.Author.ID))
	done, st := a.seen.Claim(hinted, "discord:msg:"+m.ID)
	if st == bot.Busy && a.opts.TakeoverAfter > 0 {
		t := time.NewTimer(a.opts.TakeoverAfter)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		done, st = a.seen.Claim(hinted, "discord:msg:"+m.ID)
	}
	if st != bot.Claimed {
		return
	}
	defer func() { done(ctx.Err() == nil) }()
	plain, channel := unwrap(m.Content)
	req := &bot.Request{Text: plain, Platform: "discord", UserID: m.Author.ID, Channel: channel,
		LocaleHint: a.guildLocale(m.GuildID), Conversation: m.ChannelID}
	if m.Member != nil {
		// A guild message carries the author's roles (not their
		// permissions: Manage Server counts in slash commands only).
		req.Roles = m.Member.Roles
	}
	plan := a.opts.Router.Plan(ctx, req)
	if plan.Intent() == bot.IntentAnnounce {
		a.announceHint(ctx, m, plan.Lang())
		return
	}
	ref := m.Reference()
	opts := discordgo.WithContext(ctx)
	q := question{text: bot.Plain(plain)}
	if plan.Slow {
		sent, err := a.rest.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
			Content: a.checking(plan), Reference: ref, AllowedMentions: noMentions}, opts)
		if err != nil {
			a.opts.Logger.Error("discord: send", "channel", m.ChannelID, "err", err)
			return
		}
		a.finishSlow(ctx, plan, q, m.ChannelID, sent.ID, m.Author.ID, "discord:msg:"+m.ID, nil)
		return
	}
	embeds, comps := a.answer(ctx, plan, q, m.ID)
	if _, err := a.rest.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
		Embeds: embeds, Components: comps, Reference: ref, AllowedMentions: noMentions}, opts); err != nil {
		a.opts.Logger.Error("discord: send", "channel", m.ChannelID, "err", err)
	}
}

// HandleInteraction answers /mailhelp, its autocomplete, and the buttons.
func (a *Adapter) HandleInteraction(ctx context.Context, i *discordgo.Interaction) {
	done, st := a.seen.Claim(ctx, "discord:int:"+i.ID)
	if st != bot.Claimed {
		return
	}
	defer done(true)
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, i)
	case discordgo.InteractionApplicationCommand:
		a.command(ctx, i)
	case discordgo.InteractionMessageComponent:
		a.component(ctx, i)
	}
}

// command turns /mailhelp's options into a form: fields, not a sentence,
// so the user's Discord locale decides the answer's language.
func (a *Adapter) command(ctx context.Context, i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	if len(data.Options) == 0 {
		return
	}
	sub := data.Options[0]
	opt := func(name string) string {
		for _, o := range sub.Options {
			if o.Name == name {
				return fmt.Sprint(o.Value)
			}
		}
		return ""
	}
	var form bot.Form
	switch sub.Name {
	case "configure":
		form = bot.Form{Intent: bot.IntentConfigure, Client: opt("client"), Target: opt("address"), Kind: bot.TargetAddress}
	case "check":
		form = bot.Form{Intent: bot.IntentCheck, Target: opt("target")}
	case "ports":
		form = bot.Form{Intent: bot.IntentPorts, Target: opt("address"), Kind: bot.TargetAddress}
	case "help":
		form = bot.Form{Intent: bot.IntentHelp}
	case "announce":
		a.announce(ctx, i, bot.Form{Intent: bot.IntentAnnounce, Target: opt("domain"), Kind: bot.TargetHost}, opt("channel"))
		return
	default:
		return
	}
	a.respond(ctx, i, question{form: &form}, "")
}

// component handles a button or the language menu.
func (a *Adapter) component(ctx context.Context, i *discordgo.Interaction) {
	data := i.MessageComponentData()
	id := data.CustomID
	switch {
	case strings.HasPrefix(id, idAnnounce):
		a.announceAction(ctx, i, strings.TrimPrefix(id, idAnnounce))
	case strings.HasPrefix(id, idCheck):
		form := checkForm(strings.TrimPrefix(id, idCheck))
		if key, ok := strings.CutPrefix(form.Target, "#"); ok && form.Symptom == "" {
			q, found := a.questions.get(key)
			if !found || q.form == nil {
				a.expired(ctx, i)
				return
			}
			form = *q.form
		}
		a.respond(ctx, i, question{form: &form}, "")
	case strings.HasPrefix(id, idLang):
		lang, key, _ := strings.Cut(strings.TrimPrefix(id, idLang), ":")
		if lang == langMenu && len(data.Values) > 0 {
			lang = data.Values[0]
		}
		q, found := a.questions.get(key)
		if !found {
			a.expired(ctx, i)
			return
		}
		req := q.request(lang, interactionLocale(i))
		req.UserID, req.Roles = interactionUser(i)
		plan := a.opts.Router.Plan(ctx, req)
		embeds, comps := a.answer(ctx, plan, q, key)
		a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Embeds: embeds, Components: comps, AllowedMentions: noMentions}})
	}
}

// respond answers an interaction: at once, or for a slow answer (a live
// check), with a deferral first and the result edited in.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction, q question, force string) {
	req := q.request(force, interactionLocale(i))
	req.UserID, req.Roles = interactionUser(i)
	req.Conversation = i.ChannelID
	plan := a.opts.Router.Plan(ctx, req)
	if plan.Slow {
		a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
		embeds, comps := a.answer(ctx, plan, q, i.ID)
		if _, err := a.rest.InteractionResponseEdit(i, &discordgo.WebhookEdit{Embeds: &embeds, Components: &comps,
			AllowedMentions: noMentions}, discordgo.WithContext(ctx)); err != nil {
			a.opts.Logger.Error("discord: edit response", "err", err)
		}
		return
	}
	embeds, comps := a.answer(ctx, plan, q, i.ID)
	a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Embeds: embeds, Components: comps, AllowedMentions: noMentions}})
}

func (a *Adapter) send(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) {
	if err := a.rest.InteractionRespond(i, r, discordgo.WithContext(ctx)); err != nil {
		a.opts.Logger.Error("discord: respond", "type", int(r.Type), "err", err)
	}
}

// expired answers a button whose question is no longer remembered.
func (a *Adapter) expired(ctx context.Context, i *discordgo.Interaction) {
	loc := a.opts.Translator.For(a.opts.Translator.Languages().Pick(interactionLocale(i)))
	a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: loc.Text("discord.expired", nil),
			Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions}})
}

// answer answers a plan and renders the reply with its buttons; key
// names the question for the language switch.
func (a *Adapter) answer(ctx context.Context, plan *bot.Plan, q question, key string) ([]*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	// Slow answers alone take a slot, and always after the user has been
	// answered "checking…", so a full house never delays a deferral past
	// Discord's three seconds.
	if plan.Slow {
		if !a.acquire(ctx) {
			return Render(&bot.Reply{Title: "…", Lang: plan.Lang()}, "", nil, "")
		}
		defer a.release()
	}
	reply := plan.Answer(ctx)
	a.questions.put(key, q)
	var checkID string
	for _, act := range reply.Actions {
		if act.Kind != bot.ActionCheck || act.Target == "" {
			continue
		}
		checkID = idCheck + checkValue(act.Symptom, act.Target)
		if len(checkID) > maxCustomID {
			form := checkForm(checkValue(act.Symptom, act.Target))
			a.questions.put(key+"t", question{form: &form})
			checkID = idCheck + "#" + key + "t"
		}
		break
	}
	sw := bot.SwitchFor(a.opts.Translator, reply.Lang)
	langs := make([]LangButton, 0, len(sw.Choices))
	for _, c := range sw.Choices {
		langs = append(langs, LangButton{ID: idLang + c.Lang + ":" + key, Lang: c.Lang, Name: c.Name})
	}
	return Render(reply, checkID, langs, sw.Label)
}

// checking is the deferral's words for a slow plan.
func (a *Adapter) checking(plan *bot.Plan) string {
	return "⏳ " + EscapeMarkdown(a.opts.Translator.For(plan.Lang()).Text("discord.checking", map[string]any{"Target": plan.Target()}))
}

// autocomplete offers the known clients matching what was typed.
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction) {
	typed := ""
	data := i.ApplicationCommandData()
	if len(data.Options) > 0 {
		for _, o := range data.Options[0].Options {
			if o.Focused {
				typed = strings.ToLower(fmt.Sprint(o.Value))
			}
		}
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	for _, c := range a.opts.Router.Clients() {
		if typed == "" || strings.Contains(strings.ToLower(c.Name), typed) || strings.Contains(string(c.ID), typed) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: string(c.ID)})
		}
	}
	if len(choices) > maxChoices {
		choices = choices[:maxChoices]
	}
	a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}})
}

// maxChoices is Discord's limit on autocomplete choices.
const maxChoices = 25

// interactionLocale is the user's Discord locale, else the guild's; the
// router matches it to a language.
func interactionLocale(i *discordgo.Interaction) string {
	if i.Locale != "" {
		return string(i.Locale)
	}
	if i.GuildLocale != nil {
		return string(*i.GuildLocale)
	}
	return ""
}

// question is what an answer answered, kept for its buttons: a message's
// plain text, or a command's form.
type question struct {
	text string
	form *bot.Form
}

// request asks q again, in lang when set, else in the locale's language.
func (q question) request(lang, locale string) *bot.Request {
	req := &bot.Request{Text: q.text, Platform: "discord", ForceLang: lang, LocaleHint: locale}
	if q.form != nil {
		f := *q.form
		req.Form = &f
	}
	return req
}

// store keeps questions for the buttons, bounded and expiring.
type store struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	m     map[string]storeEntry
	order []string
}

type storeEntry struct {
	q  question
	at time.Time
}

func newStore(ttl time.Duration, max int) *store {
	return &store{ttl: ttl, max: max, m: map[string]storeEntry{}}
}

func (s *store) put(key string, q question) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[key]; !ok {
		s.order = append(s.order, key)
	}
	s.m[key] = storeEntry{q: q, at: time.Now()}
	for len(s.order) > s.max {
		delete(s.m, s.order[0])
		s.order = s.order[1:]
	}
}

func (s *store) get(key string) (question, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	if !ok || time.Since(e.at) > s.ttl {
		return question{}, false
	}
	return e.q, true
}

// checkValue is what a check button carries: the target, or under a
// troubleshooting answer symptom + "::" + target, so that the result is
// explained for the problem.
func checkValue(symptom, target string) string {
	if symptom == "" {
		return target
	}
	return symptom + "::" + target
}

// checkForm reads a check button's value back as a form.
func checkForm(v string) bot.Form {
	if symptom, target, ok := strings.Cut(v, "::"); ok {
		return bot.Form{Intent: bot.IntentTroubleshoot, Symptom: symptom, Target: target}
	}
	return bot.Form{Intent: bot.IntentCheck, Target: v}
}
