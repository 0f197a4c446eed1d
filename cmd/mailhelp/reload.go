package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/config"
)

// reloader reads the configuration file again and hands it to the app;
// one reload at a time. Its zero optional fields mean their defaults.
type reloader struct {
	m       *Main
	app     *app.App
	cfgPath string
	mu      sync.Mutex

	// settle is how long the file must stay unchanged (settleTime);
	// wait sleeps between reads (a timer). Tests set them.
	settle time.Duration
	wait   func(context.Context, time.Duration) error
	// guard throttles and audits failed admin-token attempts.
	guard tokenGuard
}

// reload reads the configuration again once the file has settled and,
// when it is complete and valid, serves from it; it returns what changed
// for users.
func (r *reloader) reload(ctx context.Context, source string) ([]config.Change, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, err := r.load(ctx)
	if err != nil {
		r.app.Refuse(source, err)
		return nil, err
	}
	return r.app.Reload(cfg, source)
}

// load reads the configuration file once it has stayed unchanged for
// the settle time (the embedded default when none is named).
func (r *reloader) load(ctx context.Context) (*config.Config, error) {
	path := r.m.configPath(r.cfgPath)
	if path == "" {
		return r.m.withStoreEnv(r.m.withAudit(config.Default()))
	}
	settle := r.settle
	if settle <= 0 {
		settle = settleTime
	}
	ctx, cancel := context.WithTimeout(ctx, settleBudget)
	defer cancel()
	data, err := readSettled(ctx, path, config.MaxSize, settle, r.wait)
	if err != nil {
		return nil, configSizeError(path, err)
	}
	return r.m.withStoreEnv(r.m.withAudit(parseConfigFile(path, data)))
}

// adminHandler serves POST /admin/reload, for a bearer token only. Failed
// attempts are audited and throttled (see tokenGuard): a throttled client
// gets 429 whatever token it sends.
func (r *reloader) adminHandler(token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		got, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
		good := ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
		client := peer(req)
		v := r.guard.attempt(client, good)
		if v.record != "" {
			_ = r.app.Record(audit.Entry{Platform: "http", User: client, Action: "reload", Result: v.record})
		}
		switch {
		case v.wait > 0:
			secs := int(math.Ceil(v.wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeAdmin(w, http.StatusTooManyRequests, map[string]any{"error": map[string]string{"code": "throttled",
				"message": fmt.Sprintf("too many failed attempts: retry in %d s", secs)}})
			return
		case !good:
			writeAdmin(w, http.StatusUnauthorized, map[string]any{"error": map[string]string{"code": "unauthorized", "message": "a valid admin token is needed"}})
			return
		}
		// A client hanging up does not stop a reload half-way; the settle
		// budget bounds it.
		changes, err := r.reload(context.WithoutCancel(req.Context()), "POST /admin/reload")
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

// peer is the address of the client at the other end of the connection.
func peer(req *http.Request) string {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		return req.RemoteAddr
	}
	return host
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
			_, _ = r.reload(ctx, "SIGHUP")
		}
	}
}

// Failed admin-token attempts: each client may fail tokenPerClient times
// per tokenWindow and all clients together tokenTotal times; beyond that
// every attempt is refused unread until the window has moved on.
const (
	tokenPerClient = 5
	tokenTotal     = 20
	tokenWindow    = time.Minute
)

// tokenGuard throttles failed admin-token attempts and says which to
// audit: every failure it reads, and the first refusal of each throttled
// period (per client, or once for all when the total is reached), so a
// flood writes a bounded number of records. Its zero value is ready.
type tokenGuard struct {
	mu sync.Mutex
	// now is the clock (time.Now when nil).
	now      func() time.Time
	failures map[string][]time.Time // per client, within the window
	all      []time.Time            // every client's, within the window
	noted    map[string]time.Time   // throttled periods already recorded, until when
}

// verdict is the outcome of one attempt.
type verdict struct {
	// wait, when set, refuses the attempt unread for that long.
	wait time.Duration
	// record is the audit result to write ("refused:…"), or "".
	record string
}

// allClients keys the throttle of all clients together.
const allClients = "*"

// attempt decides on an attempt from client whose token is good or not.
func (g *tokenGuard) attempt(client string, good bool) verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	if g.now != nil {
		now = g.now()
	}
	g.prune(now)
	key, until := "", time.Time{}
	if f := g.failures[client]; len(f) >= tokenPerClient {
		key, until = client, f[len(f)-tokenPerClient].Add(tokenWindow)
	} else if len(g.all) >= tokenTotal {
		key, until = allClients, g.all[len(g.all)-tokenTotal].Add(tokenWindow)
	}
	if key != "" {
		v := verdict{wait: until.Sub(now)}
		if !g.noted[key].After(now) {
			g.noted[key] = until
			v.record = "refused:throttled"
		}
		return v
	}
	if good {
		return verdict{}
	}
	g.failures[client] = append(g.failures[client], now)
	g.all = append(g.all, now)
	return verdict{record: "refused:unauthorized"}
}

// prune forgets what is older than the window.
func (g *tokenGuard) prune(now time.Time) {
	if g.failures == nil {
		g.failures, g.noted = map[string][]time.Time{}, map[string]time.Time{}
	}
	cut := now.Add(-tokenWindow)
	recent := func(ts []time.Time) []time.Time {
		i := 0
		for i < len(ts) && !ts[i].After(cut) {
			i++
		}
		return ts[i:]
	}
	g.all = recent(g.all)
	for c, ts := range g.failures {
		if ts = recent(ts); len(ts) == 0 {
			delete(g.failures, c)
		} else {
			g.failures[c] = ts
		}
	}
	for k, until := range g.noted {
		if !until.After(now) {
			delete(g.noted, k)
		}
	}
}
