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
}

// reload reads the configuration again and, when it is valid, serves
// from it; it returns what changed for users.
func (r *reloader) reload(source string) ([]config.Change, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, err := r.m.loadConfig(r.cfgPath)
	if err != nil {
		r.log.Error("reload refused: the running configuration stays", "source", source, "err", err)
		return nil, err
	}
	router, closer, err := r.m.newRouterObserved(cfg, r.log, r.metrics)
	if err != nil {
		r.log.Error("reload refused: the running configuration stays", "source", source, "err", err)
		return nil, err
	}
	changes := config.Diff(r.current, cfg)
	r.sw.Replace(router)
	r.current = cfg
	r.closers = append(r.closers, closer)
	r.log.Info("configuration reloaded", "source", source, "changes", len(changes))
	for _, c := range changes {
		r.log.Info("configuration change", "domain", c.Domain, "field", c.Field, "old", c.Old, "new", c.New)
	}
	go r.announceChanges(cfg, changes) // network calls: not on the reload path
	return changes, nil
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
