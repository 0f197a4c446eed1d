package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
)

// reloader swaps in a new configuration without dropping anything: a
// broken file keeps the running one and says why.
type reloader struct {
	m       *Main
	cfgPath string
	log     *slog.Logger
	metrics *web.Metrics
	sw      *bot.Switch
	tr      bot.Translator

	mu      sync.Mutex
	current *config.Config
	closers []func()
	// notifiers send change announcements to admins, per platform.
	notifiers map[string]notifier
}

// notifier sends admins the preview of an announcement to confirm; the
// Slack and Discord adapters implement it.
type notifier interface {
	NotifyAdmins(ctx context.Context, users []string, preview *bot.Reply, ann *bot.Announcement) error
	TellAdmins(ctx context.Context, users []string, text string) error
}

// reload reads the configuration again and, when it is valid, serves
// from it; it returns what changed for users.
func (r *reloader) reload(source string) ([]config.Change, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, err := r.m.loadConfig(r.cfgPath)
	if err == nil {
		var router *bot.Router
		var closer func()
		if router, closer, err = r.m.newRouterObserved(cfg, r.log, r.metrics); err == nil {
			return r.apply(source, cfg, router, closer), nil
		}
	}
	r.log.Error("reload refused: the running configuration stays", "source", source, "err", err)
	r.audit(r.current, source, "refused")
	go r.tellAdmins(r.current, err)
	return nil, err
}

// apply serves from a new configuration; the caller holds r.mu.
func (r *reloader) apply(source string, cfg *config.Config, router *bot.Router, closer func()) []config.Change {
	changes := config.Diff(r.current, cfg)
	r.sw.Replace(router)
	r.current = cfg
	r.closers = append(r.closers, closer)
	r.log.Info("configuration reloaded", "source", source, "changes", len(changes))
	for _, c := range changes {
		r.log.Info("configuration change", "domain", c.Domain, "field", c.Field, "old", c.Old, "new", c.New)
	}
	r.audit(cfg, source, "applied")
	go r.announceChanges(cfg, changes) // network calls: not on the reload path
	return changes
}

// audit records a reload in the trail of cfg (the new configuration when
// it was applied, the running one when it was refused).
func (r *reloader) audit(cfg *config.Config, source, result string) {
	if cfg == nil {
		return
	}
	trail, err := openAudit(cfg)
	if err != nil || trail == nil {
		if err != nil {
			r.log.Error("audit", "err", err)
		}
		return
	}
	defer trail.Close()
	if err := trail.Record(audit.Entry{Platform: "ops", User: source, Action: "reload", Result: result}); err != nil {
		r.log.Error("audit", "err", err)
	}
}

// tellAdmins sends each platform's admins, in the running configuration's
// language, why a new configuration was refused.
func (r *reloader) tellAdmins(cfg *config.Config, why error) {
	if cfg == nil || r.tr == nil {
		return
	}
	problems := why.Error()
	var ce *config.Error
	if errors.As(why, &ce) {
		lines := make([]string, 0, len(ce.Problems))
		for _, p := range ce.Problems {
			lines = append(lines, p.String())
		}
		problems = strings.Join(lines, "; ")
	}
	text := r.tr.For(cfg.DefaultLanguage).Text("reload.refused", map[string]any{"Problems": bot.Clip(problems, 500)})
	for platform, n := range r.notifiers {
		admins := r.m.announcer.AdminUsers(platform)
		if len(admins) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := n.TellAdmins(ctx, admins, text); err != nil {
			r.log.Error("reload refused: telling admins", "platform", platform, "err", err)
		}
		cancel()
	}
}

// announceChanges prepares, for each domain whose settings changed, an
// announcement of what changed, and sends it to the admins of each
// platform that has a channel for it; nothing is posted unless one of
// them confirms.
func (r *reloader) announceChanges(cfg *config.Config, changes []config.Change) {
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
		lang := cmpOr(bot.NormalizeLang(d.Language), cfg.DefaultLanguage)
		for platform, channel := range cfg.Announce.Changes {
			n, ok := r.notifiers[platform]
			admins := r.m.announcer.AdminUsers(platform)
			if !ok || len(admins) == 0 {
				continue
			}
			ann, preview := r.m.announcer.PrepareChange(platform, channel, d, byDomain[name], lang)
			if err := n.NotifyAdmins(context.Background(), admins, preview, ann); err != nil {
				r.log.Error("change announcement", "platform", platform, "domain", name, "err", err)
			}
		}
	}
}

// close releases what every loaded configuration opened.
func (r *reloader) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.closers {
		c()
	}
}

// adminHandler serves POST /admin/reload, for a bearer token only.
func (r *reloader) adminHandler(token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		got, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			writeAdmin(w, http.StatusUnauthorized, map[string]any{"error": map[string]string{"code": "unauthorized", "message": "a valid admin token is needed"}})
			return
		}
		changes, err := r.reload("POST /admin/reload")
		if err != nil {
			var ce *config.Error
			problems := []string{err.Error()}
			if errors.As(err, &ce) {
				problems = problems[:0]
				for _, p := range ce.Problems {
					problems = append(problems, p.String())
				}
			}
			writeAdmin(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{
				"code": "bad_config", "message": "the running configuration stays", "problems": problems}})
			return
		}
		writeAdmin(w, http.StatusOK, map[string]any{"status": "reloaded", "changes": changes})
	})
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// watchHUP reloads on every SIGHUP until ctx is done.
func (r *reloader) watchHUP(ctx context.Context, hup <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			_, _ = r.reload("SIGHUP")
		}
	}
}
