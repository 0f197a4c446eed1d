package app

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/parse"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/store"
)

// Options configures an App. The zero value of each field means its
// default.
type Options struct {
	// Logger receives errors, never message text. Default slog.Default().
	Logger *slog.Logger
	// Observer is told about every answer (metrics).
	Observer bot.Observer
	// Catalog is the messages and vocabularies; default the embedded
	// ones (locales.Load).
	Catalog *locales.Catalog
	// Prober, when set, runs live checks instead of the checker built
	// from the configuration (tests).
	Prober handlers.Prober
	// AuditAlways opens the audit trail even when neither live checks
	// nor admins need it: the command line's admin actions are recorded.
	AuditAlways bool
	// Lazy builds the parser when it first reads a text rather than in
	// New, for one-shot commands: building it decodes every language's
	// vocabulary, which mailhelp check, reading no text, does not need.
	Lazy bool
	// Shared opens the configuration's store (store.url), as mailhelp
	// serve does: its replicas then share which of them answers each
	// chat delivery, and the live checks' limits. Without it (one-shot
	// commands), all state stays in the process.
	Shared bool
}

// App is mailhelp's application: it answers requests from the running
// configuration and swaps configurations on Reload. Safe for concurrent
// use.
type App struct {
	opts     Options
	cat      *locales.Catalog
	parser   *lazyParser
	sw       *bot.Switch
	previews handlers.PreviewStore
	ann      *handlers.Announcements
	memory   bot.Memory

	// deliveries decide which replica answers a chat delivery; store is
	// the shared store they and the limits use, nil without one.
	deliveries bot.Deliveries
	store      *store.Redis
	claimLease time.Duration // the store's, as configured (0: its default)

	mu        sync.Mutex
	cur       *instance
	notifiers map[string]Notifier
}

// instance is what one configuration built.
type instance struct {
	cfg   *config.Config
	parts *parts
	// audit is where the configuration's announcements policy records;
	// the policy itself records through runningTrail.
	audit handlers.Recorder
}

// instance makes cfg's parts the running instance's. Announcements are
// confirmed, cancelled and posted outside any answer, so their records
// go to the running configuration's trail, held open by a.mu while they
// are written (a configuration is only retired under a.mu).
func (a *App) instance(cfg *config.Config, p *parts) *instance {
	in := &instance{cfg: cfg, parts: p, audit: p.policy.Audit}
	if p.policy.Audit != nil {
		p.policy.Audit = runningTrail{a}
	}
	return in
}

// runningTrail records in the running configuration's audit trail.
type runningTrail struct{ a *App }

// Record implements handlers.Recorder.
func (t runningTrail) Record(e audit.Entry) error {
	t.a.mu.Lock()
	defer t.a.mu.Unlock()
	if t.a.cur.audit == nil {
		return nil
	}
	return t.a.cur.audit.Record(e)
}

// New builds the application for cfg. It opens the audit trail (when
// live checks or admins need it) and reads the configured CA file; it
// makes no network call.
func New(cfg *config.Config, opts Options) (*App, error) {
	if cfg == nil {
		return nil, errors.New("app: no configuration")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	a := &App{opts: opts, cat: opts.Catalog, previews: &handlers.Previews{}, notifiers: map[string]Notifier{},
		memory: bot.NewLocalMemory(conversationTTL, maxConversations, nil)}
	if a.cat == nil {
		cat, err := locales.Load()
		if err != nil {
			return nil, fmt.Errorf("app: %w", err)
		}
		a.cat = cat
	}
	a.parser = newLazyParser(a.cat)
	if !opts.Lazy {
		a.parser.full()
	}
	if err := a.openStore(cfg); err != nil {
		return nil, err
	}
	a.ann = handlers.NewAnnouncements(a.previews, nil)
	p, err := a.build(cfg)
	if err != nil {
		a.closeStore()
		return nil, err
	}
	a.cur = a.instance(cfg, p)
	a.ann.SetPolicy(p.policy)
	a.sw = bot.NewSwitch(p.router)
	return a, nil
}

// lazyParser is the catalogue's parser, built by New or, with
// Options.Lazy, when it first reads a text. Forms and the list of
// clients need no vocabulary (parse.Parser reads them with the knowledge
// alone), so until then a parser without one reads them.
type lazyParser struct {
	full func() *parse.Parser
	bare *parse.Parser
	// built is set once full has been called: Form then uses it.
	built atomic.Bool
}

var _ bot.Parser = (*lazyParser)(nil)

func newLazyParser(cat *locales.Catalog) *lazyParser {
	l := &lazyParser{bare: parse.New()}
	l.full = sync.OnceValue(func() *parse.Parser {
		p := cat.Parser()
		l.built.Store(true)
		return p
	})
	return l
}

// forms is the parser that reads forms: the full one once built.
func (l *lazyParser) forms() *parse.Parser {
	if l.built.Load() {
		return l.full()
	}
	return l.bare
}

// Parse implements bot.Parser.
func (l *lazyParser) Parse(text string) bot.Parsed { return l.full().Parse(text) }

// Continue implements bot.Parser.
func (l *lazyParser) Continue(text string, prev bot.Context) bot.Parsed {
	return l.full().Continue(text, prev)
}

// Form implements bot.Parser.
func (l *lazyParser) Form(f bot.Form) (bot.Parsed, error) { return l.forms().Form(f) }

// Clients implements bot.Parser.
func (l *lazyParser) Clients() []bot.ClientName { return l.forms().Clients() }

// Conversations are remembered for follow-ups this long, this many at
// most, in memory only (a context holds an address).
const (
	conversationTTL  = 30 * time.Minute
	maxConversations = 20000
)

// Answerer plans and answers requests with the running configuration;
// adapters are given it.
func (a *App) Answerer() bot.Answerer { return a.sw }

// Catalog is the messages of every language.
func (a *App) Catalog() *locales.Catalog { return a.cat }

// Announcements confirms and cancels admins' previews, across reloads.
func (a *App) Announcements() *handlers.Announcements { return a.ann }

// Config is the running configuration.
func (a *App) Config() *config.Config {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cur.cfg
}

// AdminGroups are the Slack user groups whose members are admins, in the
// running configuration.
func (a *App) AdminGroups() []string { return a.ann.Policy().Admins["slack"].Roles }

// Record writes e in the running configuration's audit trail — opened
// for this one entry when the configuration does not keep it open — and
// does nothing when the trail is "off". A failure is logged and counted
// by the trail's hooks (see openAudit).
func (a *App) Record(e audit.Entry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t := a.cur.parts.trail; t != nil {
		return t.Record(e)
	}
	t, err := a.openAudit(a.cur.cfg)
	if err != nil || t == nil {
		return err
	}
	defer t.Close()
	return t.Record(e)
}

// Close releases what the running configuration opened, then the
// shared store, as soon as no answer is running on it (at once when
// none is); configurations replaced earlier are released likewise when
// their last answer returns (a trail released after the store closed
// leaves its pending refusal sums in the store, for another replica or
// the next start to write).
func (a *App) Close() {
	a.mu.Lock()
	p := a.cur.parts
	a.mu.Unlock()
	// The store closes after the trail, whose last refusal sums go
	// through it.
	p.router.Retire(nil, func() {
		p.close()
		a.closeStore()
	})
}
