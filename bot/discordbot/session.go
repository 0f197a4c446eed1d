package discordbot

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot"
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
	// ShardID and ShardCount split a large bot over processes. A zero
	// count means automatic: this process runs every shard Discord
	// recommends (GET /gateway/bot).
	ShardID, ShardCount int
}

// Bot is a running Discord connection.
type Bot struct {
	Adapter *Adapter
	// Session is the first shard's session; it also makes the REST calls.
	Session *discordgo.Session
	// sessions are all the shards this process runs (Run fills it).
	sessions []*discordgo.Session
	// Reconnected is called on every connection after the first (metrics).
	Reconnected func()
	cfg         Config
	fatal       chan error
	mu          sync.Mutex // guards sessions and opened
	// opened are the shards Run opened, to close when it returns.
	opened []*discordgo.Session
}

// New builds the first session and the adapter. It does no I/O.
func New(cfg Config, opts Options) (*Bot, error) {
	s, err := newSession(cfg, cfg.ShardID, cfg.ShardCount)
	if err != nil {
		return nil, err
	}
	b := &Bot{Adapter: newAdapter(s, opts), Session: s, cfg: cfg, fatal: make(chan error, 1)}
	b.Adapter.guildLocale = b.guildLocale
	return b, nil
}

// newSession makes one shard's session.
func newSession(cfg Config, shard, count int) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	// Mentions and DMs need no privileged intent: Discord delivers their
	// content without MESSAGE_CONTENT.
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if count > 0 {
		s.ShardID, s.ShardCount = shard, count
	}
	if cfg.APIURL != "" {
		s.Client = &http.Client{Transport: redirect{base: strings.TrimSuffix(cfg.APIURL, "/"), next: http.DefaultTransport}}
	}
	s.LogLevel = discordgo.LogWarning
	return s, nil
}

// guildLocale is a guild's preferred locale, from whichever shard has it.
func (b *Bot) guildLocale(guildID string) string {
	if guildID == "" {
		return ""
	}
	for _, s := range b.shards() {
		if s.State == nil {
			continue
		}
		if g, err := s.State.Guild(guildID); err == nil {
			return string(g.PreferredLocale)
		}
	}
	return ""
}

func (b *Bot) shards() []*discordgo.Session {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.sessions) == 0 {
		return []*discordgo.Session{b.Session}
	}
	return append([]*discordgo.Session(nil), b.sessions...)
}

// plan decides the shards this process runs: the configured one, or
// every shard Discord recommends.
func (b *Bot) plan(ctx context.Context) error {
	if b.cfg.ShardCount > 0 {
		b.mu.Lock()
		b.sessions = []*discordgo.Session{b.Session}
		b.mu.Unlock()
		return nil
	}
	gb, err := b.Session.GatewayBot(discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("discord: gateway/bot: %w", err)
	}
	n := max(gb.Shards, 1)
	if n == 1 {
		b.mu.Lock()
		b.sessions = []*discordgo.Session{b.Session}
		b.mu.Unlock()
		return nil
	}
	b.Session.ShardID, b.Session.ShardCount = 0, n
	sessions := []*discordgo.Session{b.Session}
	for i := 1; i < n; i++ {
		s, err := newSession(b.cfg, i, n)
		if err != nil {
			return err
		}
		sessions = append(sessions, s)
	}
	b.mu.Lock()
	b.sessions = sessions
	b.mu.Unlock()
	b.Adapter.opts.Logger.Info("discord: running every recommended shard", "shards", n)
	return nil
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
// returned with a clear message rather than retried forever. A Discord
// that cannot be reached, or fails, at start-up (GET /gateway/bot, the
// gateway, the command registration) is tried again with backoff while
// Connected reports false; only a rejected token (HTTP 401, close code
// 4004) or another fatal close code makes Run return early, the token's
// case wrapping ErrTokenRejected.
func (b *Bot) Run(ctx context.Context) error {
	current.Store(b)
	loggerOnce.Do(func() { discordgo.Logger = logHook })
	if b.Adapter.opts.Journal != nil {
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); b.Adapter.resumeOrphans(rctx) }()
		defer func() { stop(); <-done }()
	}
	err := b.start(ctx)
	if err == nil {
		select {
		case <-ctx.Done():
		case err = <-b.fatal:
		}
	}
	b.closeShards()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// start plans the shards, opens them and registers /mailhelp, each step
// retried until it works.
func (b *Bot) start(ctx context.Context) error {
	if err := b.retry(ctx, "gateway/bot", func() error { return b.plan(ctx) }); err != nil {
		return err
	}
	var connects atomic.Int32
	shards := b.shards()
	for _, s := range shards {
		s.AddHandler(func(s *discordgo.Session, r *discordgo.Ready) {
			b.Adapter.botID.Store(r.User.ID)
			b.Adapter.opts.Logger.Info("discord: ready", "shard", s.ShardID)
		})
		s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
			if connects.Add(1) > int32(len(shards)) && b.Reconnected != nil {
				b.Reconnected()
			}
		})
		s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) {
			go b.Adapter.HandleMessage(ctx, m.Message)
		})
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) {
			go b.Adapter.HandleInteraction(ctx, i.Interaction)
		})
	}
	for _, s := range shards {
		if err := b.retry(ctx, fmt.Sprintf("open shard %d", s.ShardID), s.Open); err != nil {
			return err
		}
		b.mu.Lock()
		b.opened = append(b.opened, s)
		b.mu.Unlock()
	}
	return b.retry(ctx, "register commands", func() error {
		_, err := b.Session.ApplicationCommandBulkOverwrite(b.cfg.AppID, b.cfg.GuildID, Commands(b.Adapter.opts.Translator), discordgo.WithContext(ctx))
		return err
	})
}

// closeShards closes the shards start opened.
func (b *Bot) closeShards() {
	b.mu.Lock()
	opened := b.opened
	b.opened = nil
	b.mu.Unlock()
	for _, s := range opened {
		_ = s.Close()
	}
}

// Connected reports whether every shard's gateway connection is up, for
// readiness.
func (b *Bot) Connected() bool {
	for _, s := range b.shards() {
		s.RLock()
		ready := s.DataReady
		s.RUnlock()
		if !ready {
			return false
		}
	}
	return true
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
	if m := fatalClose.FindStringSubmatch(msg); m != nil {
		select {
		case b.fatal <- closedForGood(m[1]):
		default:
		}
		return
	}
	if level <= discordgo.LogWarning {
		b.Adapter.opts.Logger.Warn("discord: " + bot.Clip(firstLine(msg), 200))
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
