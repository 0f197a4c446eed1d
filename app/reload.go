package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
)

// Notifier sends admins, by direct message, what they must know after a
// reload; the Slack and Discord adapters implement it.
type Notifier interface {
	// NotifyAdmins sends each user the preview of an announcement they
	// may post, with its Post and Cancel buttons.
	NotifyAdmins(ctx context.Context, users []string, preview *bot.Reply, ann *bot.Announcement) error
	// TellAdmins sends each user a plain message.
	TellAdmins(ctx context.Context, users []string, text string) error
}

// SetNotifier registers the notifier of a platform ("slack", "discord").
func (a *App) SetNotifier(platform string, n Notifier) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.notifiers[platform] = n
}

// notifyTimeout bounds the direct messages of one reload.
const notifyTimeout = 30 * time.Second

// Reload serves from cfg from now on, when it can be built: answers in
// flight finish on the old configuration, which is closed (its audit
// trail among what it opened) as soon as the last of them returns — at
// once when none is running. It returns what changed for users; admins
// are offered a change announcement for each domain whose settings
// changed. When cfg cannot be built, or names another audit file than
// the running one (that needs a restart), the running configuration
// stays and the refusal is recorded and told to admins.
func (a *App) Reload(cfg *config.Config, source string) ([]config.Change, error) {
	changes, retire, err := a.reload(cfg, source)
	if retire != nil {
		retire() // may close the old configuration: not under a.mu
	}
	return changes, err
}

// reload swaps the configuration and returns what retires the old one.
func (a *App) reload(cfg *config.Config, source string) ([]config.Change, func(), error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	old := a.cur
	if err := sameAuditFile(old.cfg, cfg); err != nil {
		a.refuseLocked(source, err)
		return nil, nil, err
	}
	if err := sameStore(old.cfg, cfg); err != nil {
		a.refuseLocked(source, err)
		return nil, nil, err
	}
	p, err := a.build(cfg)
	if err != nil {
		a.refuseLocked(source, err)
		return nil, nil, err
	}
	changes := config.Diff(old.cfg, cfg)
	a.cur = a.instance(cfg, p)
	a.ann.SetPolicy(p.policy)
	a.sw.Replace(p.router)
	// Recorded before it is logged: once the log says so, the trail
	// has it.
	a.record(p, source, "applied")
	log := a.opts.Logger
	log.Info("configuration reloaded", "source", source, "changes", len(changes))
	for _, c := range changes {
		log.Info("configuration change", "domain", c.Domain, "field", c.Field, "old", c.Old, "new", c.New)
	}
	go a.announceChanges(cfg, p.policy, a.notifiersLocked(), changes) // network calls: not on the reload path
	// Answers planned on the old router may still write to its trail:
	// it is closed when the last of them returns.
	return changes, func() { old.parts.router.Retire(p.router, old.parts.close) }, nil
}

// sameAuditFile refuses a new configuration whose audit file is not the
// running one: a trail must not be split over files by a reload (a file
// cut short while it was written names a path cut short too).
func sameAuditFile(running, next *config.Config) error {
	abs := func(p string) string {
		if p == "off" {
			return p
		}
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return filepath.Clean(p)
	}
	if abs(running.Audit.File) == abs(next.Audit.File) {
		return nil
	}
	return &config.Error{Problems: []config.Problem{{Field: "audit.file",
		Msg: fmt.Sprintf("the audit file cannot change without a restart (running: %q, new: %q)", running.Audit.File, next.Audit.File)}}}
}

// sameStore refuses a new configuration whose shared store (or claim
// lease) is not the running one: the replicas of a deployment share
// one, and a process cannot move its state to another while it
// answers. The URL, which may hold a password, is not quoted.
func sameStore(running, next *config.Config) error {
	if running.Store == next.Store {
		return nil
	}
	return &config.Error{Problems: []config.Problem{{Field: "store",
		Msg: "the shared store (url, claim_lease) cannot change without a restart"}}}
}

// Refuse records that a new configuration (which could not even be read)
// was refused: the running one stays, and admins are told why.
func (a *App) Refuse(source string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refuseLocked(source, err)
}

func (a *App) refuseLocked(source string, err error) {
	a.opts.Logger.Error("reload refused: the running configuration stays", "source", source, "err", err)
	a.record(a.cur.parts, source, "refused")
	go a.tellAdmins(a.cur.cfg, a.cur.parts.policy, a.notifiersLocked(), err)
}

// record writes a reload's outcome in a configuration's trail.
func (a *App) record(p *parts, source, result string) {
	if p.trail == nil {
		return
	}
	if err := p.trail.Record(audit.Entry{Platform: "ops", User: source, Action: "reload", Result: result}); err != nil {
		a.opts.Logger.Error("audit", "err", err)
	}
}

func (a *App) notifiersLocked() map[string]Notifier {
	out := make(map[string]Notifier, len(a.notifiers))
	for k, v := range a.notifiers {
		out[k] = v
	}
	return out
}

// tellAdmins sends each platform's admins, in the running configuration's
// language, why a new configuration was refused.
func (a *App) tellAdmins(cfg *config.Config, pol *handlers.AnnouncePolicy, notifiers map[string]Notifier, why error) {
	problems := why.Error()
	var ce *config.Error
	if errors.As(why, &ce) {
		lines := make([]string, 0, len(ce.Problems))
		for _, p := range ce.Problems {
			lines = append(lines, p.String())
		}
		problems = strings.Join(lines, "; ")
	}
	text := a.cat.For(cfg.DefaultLanguage).Text("reload.refused", map[string]any{"Problems": bot.Clip(problems, 500)})
	for platform, n := range notifiers {
		admins := pol.AdminUsers(platform)
		if len(admins) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
		if err := n.TellAdmins(ctx, admins, text); err != nil {
			a.opts.Logger.Error("reload refused: telling admins", "platform", platform, "err", err)
		}
		cancel()
	}
}

// announceChanges prepares, for each domain whose settings changed, an
// announcement of what changed, and sends it to the admins of each
// platform that has a channel for it; nothing is posted unless one of
// them confirms.
func (a *App) announceChanges(cfg *config.Config, pol *handlers.AnnouncePolicy, notifiers map[string]Notifier, changes []config.Change) {
	byDomain := map[string][]handlers.ChangeLine{}
	var order []string
	for _, c := range changes {
		if c.Field == "domain" {
			continue // added or removed: not a change of settings
		}
		if _, ok := byDomain[c.Domain]; !ok {
			order = append(order, c.Domain)
		}
		byDomain[c.Domain] = append(byDomain[c.Domain], handlers.ChangeLine{Field: c.Field, Old: c.Old, New: c.New})
	}
	for _, name := range order {
		d, ok := cfg.Directory.Lookup(name)
		if !ok {
			continue
		}
		lang := a.cat.Languages().Pick(d.Language, cfg.DefaultLanguage)
		for platform, channel := range cfg.Announce.Changes {
			n, ok := notifiers[platform]
			admins := pol.AdminUsers(platform)
			if !ok || len(admins) == 0 {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
			ann, preview := a.ann.PrepareChange(ctx, platform, channel, d, byDomain[name], lang)
			if err := n.NotifyAdmins(ctx, admins, preview, ann); err != nil {
				a.opts.Logger.Error("change announcement", "platform", platform, "domain", name, "err", err)
			}
			cancel()
		}
	}
}
