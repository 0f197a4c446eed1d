package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/config"
)

// reloader reads the configuration file again and hands it to the app;
// one reload at a time.
type reloader struct {
	m       *Main
	app     *app.App
	cfgPath string
	mu      sync.Mutex
}

// reload reads the configuration again and, when it is valid, serves
// from it; it returns what changed for users.
func (r *reloader) reload(source string) ([]config.Change, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, err := r.m.loadConfig(r.cfgPath)
	if err != nil {
		r.app.Refuse(source, err)
		return nil, err
	}
	return r.app.Reload(cfg, source)
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
