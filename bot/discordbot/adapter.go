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
	"github.com/mailhelp/mailhelp/knowledge"
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
}

// Adapter answers Discord. It is safe for concurrent use.
type Adapter struct {
	rest      rest
	opts      Options
	botID     atomic.Value // string: the bot's user id, from READY
	seen      *bot.Dedup
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
	return &Adapter{rest: r, opts: opts, seen: bot.NewDedup(10*time.Minute, 20000),
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
// ignoring bots, itself and messages already handled.
func (a *Adapter) HandleMessage(ctx context.Context, m *discordgo.Message) {
	botID, _ := a.botID.Load().(string)
	if m.Author == nil || m.Author.Bot || m.Author.ID == botID || !a.seen.First("msg:"+m.ID) {
		return
	}
	mentioned := false
	for _, u := range m.Mentions {
		if u != nil && u.ID == botID {
			mentioned = true
		}
	}
	if m.GuildID != "" && !mentioned {
		return
	}
	if bot.Parse(m.Content).Intent == bot.IntentAnnounce {
		a.announceHint(ctx, m)
		return
	}
	text := strings.NewReplacer("<@"+botID+">", " ", "<@!"+botID+">", " ").Replace(m.Content)
	hint := a.guildLocale(m.GuildID)
	ref := m.Reference()
	opts := discordgo.WithContext(ctx)
	if bot.Parse(text).Intent == bot.IntentCheck {
		lang := bot.GuessLang(text, "", hint)
		wait := a.checking(lang, text)
		sent, err := a.rest.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
			Content: wait, Reference: ref, AllowedMentions: noMentions}, opts)
		if err != nil {
			a.opts.Logger.Error("discord: send", "channel", m.ChannelID, "err", err)
			return
		}
		embeds, comps := a.answer(ctx, text, "", hint, sent.ID)
		empty := ""
		if _, err := a.rest.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: sent.ID, Channel: m.ChannelID,
			Content: &empty, Embeds: &embeds, Components: &comps, AllowedMentions: noMentions}, opts); err != nil {
			a.opts.Logger.Error("discord: edit", "channel", m.ChannelID, "err", err)
		}
		return
	}
	embeds, comps := a.answer(ctx, text, "", hint, m.ID)
	if _, err := a.rest.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
		Embeds: embeds, Components: comps, Reference: ref, AllowedMentions: noMentions}, opts); err != nil {
		a.opts.Logger.Error("discord: send", "channel", m.ChannelID, "err", err)
	}
}

// HandleInteraction answers /mailhelp, its autocomplete, and the buttons.
func (a *Adapter) HandleInteraction(ctx context.Context, i *discordgo.Interaction) {
	if !a.seen.First("int:" + i.ID) {
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, i)
	case discordgo.InteractionApplicationCommand:
		a.command(ctx, i)
	case discordgo.InteractionMessageComponent:
		a.component(ctx, i)
	}
}

// command turns /mailhelp's options into words with no language of their
// own, so the user's Discord locale decides the answer's language.
func (a *Adapter) command(ctx context.Context, i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	if len(data.Options) == 0 {
		return
	}
	sub := data.Options[0]
	opt := func(name string) string {
		for _, o := range sub.Options {
			if o.Name == name {
				return o.StringValue()
			}
		}
		return ""
	}
	var text string
	switch sub.Name {
	case "configure":
		name := opt("client")
		if c, ok := knowledge.ClientByID(knowledge.ClientID(name)); ok {
			name = c.Name
		}
		text = "configure " + name + " " + opt("address")
	case "check":
		text = "test " + opt("target")
	case "ports":
		text = "ports " + opt("address")
	case "help":
		text = ""
	case "announce":
		ch := ""
		for _, o := range sub.Options {
			if o.Name == "channel" {
				ch = fmt.Sprint(o.Value)
			}
		}
		a.announce(ctx, i, "announce "+opt("domain")+" <#"+ch+">")
		return
	}
	text = bot.Clip(text, bot.MaxTextBytes)
	a.respond(ctx, i, text, "", interactionLocale(i), true)
}

// component handles a button.
func (a *Adapter) component(ctx context.Context, i *discordgo.Interaction) {
	id := i.MessageComponentData().CustomID
	hint := interactionLocale(i)
	switch {
	case strings.HasPrefix(id, idAnnounce):
		a.announceAction(ctx, i, strings.TrimPrefix(id, idAnnounce))
	case strings.HasPrefix(id, idCheck):
		target := strings.TrimPrefix(id, idCheck)
		if key, ok := strings.CutPrefix(target, "#"); ok {
			q, found := a.questions.get(key)
			if !found {
				a.expired(ctx, i, hint)
				return
			}
			target = q
		}
		a.respond(ctx, i, "test "+target, "", hint, false)
	case strings.HasPrefix(id, idLang):
		lang, key, _ := strings.Cut(strings.TrimPrefix(id, idLang), ":")
		q, found := a.questions.get(key)
		if !found {
			a.expired(ctx, i, hint)
			return
		}
		embeds, comps := a.answer(ctx, q, lang, hint, key)
		a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Embeds: embeds, Components: comps, AllowedMentions: noMentions}})
	}
}

// respond answers an interaction: at once, or for a live check, with a
// deferral first and the result edited in.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction, text, force, hint string, fromCommand bool) {
	if bot.Parse(text).Intent == bot.IntentCheck {
		a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
		embeds, comps := a.answer(ctx, text, force, hint, i.ID)
		if _, err := a.rest.InteractionResponseEdit(i, &discordgo.WebhookEdit{Embeds: &embeds, Components: &comps,
			AllowedMentions: noMentions}, discordgo.WithContext(ctx)); err != nil {
			a.opts.Logger.Error("discord: edit response", "err", err)
		}
		return
	}
	embeds, comps := a.answer(ctx, text, force, hint, i.ID)
	a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Embeds: embeds, Components: comps, AllowedMentions: noMentions}})
}

func (a *Adapter) send(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) {
	if err := a.rest.InteractionRespond(i, r, discordgo.WithContext(ctx)); err != nil {
		a.opts.Logger.Error("discord: respond", "type", int(r.Type), "err", err)
	}
}

// expired answers a button whose question is no longer remembered.
func (a *Adapter) expired(ctx context.Context, i *discordgo.Interaction, hint string) {
	lang := bot.GuessLang("", "", hint)
	a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: a.opts.Translator.For(lang).Text("discord.expired", nil),
			Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions}})
}

// answer routes text and renders the reply with its buttons; key names
// the question for the language toggle.
func (a *Adapter) answer(ctx context.Context, text, force, hint, key string) ([]*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	plain := bot.PlainWords(text)
	// Only live checks are slow: they alone take a slot, and always after
	// the user has been answered "checking…", so a full house never
	// delays a deferral past Discord's three seconds.
	if bot.Parse(text).Intent == bot.IntentCheck {
		if !a.acquire(ctx) {
			return Render(&bot.Reply{Title: "…", Lang: bot.GuessLang(text, force, hint)}, "", "", "")
		}
		defer a.release()
	}
	reply := a.opts.Router.Serve(ctx, &bot.Request{Text: text, Platform: "discord", ForceLang: force, LocaleHint: hint})
	a.questions.put(key, plain)
	var checkID string
	for _, act := range reply.Actions {
		if act.Kind != bot.ActionCheck {
			continue
		}
		target := strings.TrimSpace(act.Phrase[strings.IndexByte(act.Phrase, ' ')+1:])
		checkID = idCheck + target
		if len(checkID) > maxCustomID {
			a.questions.put(key+"t", target)
			checkID = idCheck + "#" + key + "t"
		}
		break
	}
	other := bot.LangFrench
	if reply.Lang == bot.LangFrench {
		other = bot.LangEnglish
	}
	langID := idLang + other + ":" + key
	label := a.opts.Translator.For(reply.Lang).Text("discord.other_language", nil)
	return Render(reply, checkID, langID, label)
}

// checking is the deferral's words for a check of text's target.
func (a *Adapter) checking(lang, text string) string {
	p := bot.Parse(text)
	name := p.Host
	if !p.Address.IsZero() {
		name = p.Address.Username()
	}
	return "⏳ " + EscapeMarkdown(a.opts.Translator.For(lang).Text("discord.checking", map[string]any{"Target": name}))
}

// autocomplete offers the known clients matching what was typed.
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction) {
	typed := ""
	data := i.ApplicationCommandData()
	if len(data.Options) > 0 {
		for _, o := range data.Options[0].Options {
			if o.Focused {
				typed = strings.ToLower(o.StringValue())
			}
		}
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	for _, c := range knowledge.Clients() {
		if typed == "" || strings.Contains(strings.ToLower(c.Name), typed) || strings.Contains(string(c.ID), typed) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: string(c.ID)})
		}
	}
	a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}})
}

// interactionLocale is the user's Discord language, else the guild's.
func interactionLocale(i *discordgo.Interaction) string {
	if l := bot.NormalizeLang(string(i.Locale)); l != "" {
		return l
	}
	if i.GuildLocale != nil {
		return bot.NormalizeLang(string(*i.GuildLocale))
	}
	return ""
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
	q  string
	at time.Time
}

func newStore(ttl time.Duration, max int) *store {
	return &store{ttl: ttl, max: max, m: map[string]storeEntry{}}
}

func (s *store) put(key, q string) {
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

func (s *store) get(key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	if !ok || time.Since(e.at) > s.ttl {
		return "", false
	}
	return e.q, true
}
