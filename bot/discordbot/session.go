package discordbot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// Config is what a Discord connection needs.
type Config struct {
	Token, AppID string
	// GuildID registers the command in one guild only (instant, for
	// testing); empty registers it globally.
	GuildID string
	// APIURL replaces https://discord.com/api for every REST call (the
	// gateway URL then comes from it too); empty for Discord's.
	APIURL string
	// ShardID and ShardCount split a large bot over processes; a zero
	// count means one shard.
	ShardID, ShardCount int
}

// Bot is a running Discord connection.
type Bot struct {
	Adapter *Adapter
	Session *discordgo.Session
	// Reconnected is called on every connection after the first (metrics).
	Reconnected func()
	cfg         Config
	fatal       chan error
}

// New builds the session and the adapter. It does no I/O.
func New(cfg Config, opts Options) (*Bot, error) {
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	// Mentions and DMs need no privileged intent: Discord delivers their
	// content without MESSAGE_CONTENT.
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if cfg.ShardCount > 0 {
		s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	}
	if cfg.APIURL != "" {
		s.Client = &http.Client{Transport: redirect{base: strings.TrimSuffix(cfg.APIURL, "/"), next: http.DefaultTransport}}
	}
	s.LogLevel = discordgo.LogWarning
	b := &Bot{Adapter: newAdapter(s, opts), Session: s, cfg: cfg, fatal: make(chan error, 1)}
	b.Adapter.guildLocale = func(guildID string) string {
		if guildID == "" || s.State == nil {
			return ""
		}
		if g, err := s.State.Guild(guildID); err == nil {
			return string(g.PreferredLocale)
		}
		return ""
	}
	return b, nil
}

// redirect sends what discordgo addresses to discord.com/api to base.
type redirect struct {
	base string
	next http.RoundTripper
}

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	const discordAPI = "https://discord.com/api"
	if u := req.URL.String(); strings.HasPrefix(u, discordAPI) {
		nu, err := req.URL.Parse(r.base + strings.TrimPrefix(u, discordAPI))
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.URL, req.Host = nu, nu.Host
	}
	return r.next.RoundTrip(req)
}

// fatalClose matches discordgo's report of a close code no reconnect can
// fix: authentication failed, invalid shard, sharding required, invalid
// API version, invalid or disallowed intents.
var fatalClose = regexp.MustCompile(`close (4004|4010|4011|4012|4013|4014)\b`)

var loggerOnce sync.Once

// Run connects, registers /mailhelp, and answers until ctx is done or
// Discord closes the connection for good (a fatal close code), which is
// returned with a clear message rather than retried forever.
func (b *Bot) Run(ctx context.Context) error {
	current.Store(b)
	loggerOnce.Do(func() { discordgo.Logger = logHook })
	s := b.Session
	var connects atomic.Int32
	s.AddHandler(func(s *discordgo.Session, r *discordgo.Ready) {
		b.Adapter.botID.Store(r.User.ID)
		b.Adapter.opts.Logger.Info("discord: ready", "shard", s.ShardID)
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
		if connects.Add(1) > 1 && b.Reconnected != nil {
			b.Reconnected()
		}
	})
	s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) {
		go b.Adapter.HandleMessage(ctx, m.Message)
	})
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) {
		go b.Adapter.HandleInteraction(ctx, i.Interaction)
	})
	if err := s.Open(); err != nil {
		return fmt.Errorf("discord: open: %w", err)
	}
	defer s.Close()
	if _, err := s.ApplicationCommandBulkOverwrite(b.cfg.AppID, b.cfg.GuildID, Commands(), discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("discord: register commands: %w", err)
	}
	select {
	case <-ctx.Done():
		return nil
	case err := <-b.fatal:
		return err
	}
}

// Connected reports whether the gateway connection is up, for readiness.
func (b *Bot) Connected() bool {
	b.Session.RLock()
	defer b.Session.RUnlock()
	return b.Session.DataReady
}

// current is the running bot that discordgo's package-wide logger
// reports to.
var current currentBot

type currentBot struct {
	mu sync.Mutex
	b  *Bot
}

func (c *currentBot) Store(b *Bot) {
	c.mu.Lock()
	c.b = b
	c.mu.Unlock()
}

func (c *currentBot) Load() *Bot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b
}

// logHook receives discordgo's log lines: fatal close codes stop the
// bot; the rest go to the adapter's logger at their level, without the
// gateway payloads discordgo may print (they can hold message text).
func logHook(level, _ int, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	b := current.Load()
	if b == nil {
		return
	}
	if m := fatalClose.FindString(msg); m != "" {
		select {
		case b.fatal <- errors.New("discord: the gateway closed the connection for good (" + m + "): check the token, the intents and the shard settings"):
		default:
		}
		return
	}
	if level <= discordgo.LogWarning {
		b.Adapter.opts.Logger.Warn("discord: " + clip(firstLine(msg), 200))
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
