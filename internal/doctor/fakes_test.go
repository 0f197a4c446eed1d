package doctor

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// allScopes is every scope the manifest asks for, plus channels:read so
// that doctor can read channel membership.
var allScopes = "app_mentions:read,chat:write,commands,im:history,im:read,im:write,users:read,usergroups:read,channels:read"

// slackToken is what the fake Slack knows of a bot token.
type slackToken struct {
	user   string
	scopes string // X-OAuth-Scopes; "-" sends no header
}

// slackChan is a channel of the fake Slack.
type slackChan struct {
	name             string
	member, archived bool
}

// fakeSlack is a Slack Web API on loopback for doctor's calls: auth.test
// (with X-OAuth-Scopes), apps.connections.open and conversations.info.
// The real slack-go client talks to it.
type fakeSlack struct {
	srv       *httptest.Server
	tokens    map[string]slackToken
	appTokens map[string]string // app token -> "ok" or a Slack error code
	channels  map[string]slackChan

	mu    sync.Mutex
	calls []string // methods called
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{
		tokens:    map[string]slackToken{"xoxb-good": {"mailhelp", allScopes}},
		appTokens: map[string]string{"xapp-good": "ok"},
		channels: map[string]slackChan{
			"CMEMBER":   {name: "it-news", member: true},
			"COUTSIDE":  {name: "general"},
			"CARCHIVED": {name: "old-news", member: true, archived: true},
		},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/auth.test", func(w http.ResponseWriter, r *http.Request) {
		f.record("auth.test")
		if r.FormValue("token") == "xoxb-limited" {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		tok, ok := f.tokens[r.FormValue("token")]
		if !ok {
			writeJSONT(w, map[string]any{"ok": false, "error": "invalid_auth"})
			return
		}
		if tok.scopes != "-" {
			w.Header().Set("X-OAuth-Scopes", tok.scopes)
		}
		writeJSONT(w, map[string]any{"ok": true, "user": tok.user, "user_id": "UBOT", "team": "Acme", "team_id": "T1", "bot_id": "B1"})
	})
	mux.HandleFunc("POST /api/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
		f.record("apps.connections.open")
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		switch res, ok := f.appTokens[tok]; {
		case !strings.HasPrefix(tok, "xapp-"):
			writeJSONT(w, map[string]any{"ok": false, "error": "not_allowed_token_type"})
		case !ok:
			writeJSONT(w, map[string]any{"ok": false, "error": "invalid_auth"})
		case res != "ok":
			writeJSONT(w, map[string]any{"ok": false, "error": res})
		default:
			writeJSONT(w, map[string]any{"ok": true, "url": "wss://wss-primary.slack.test/link/?ticket=1"})
		}
	})
	mux.HandleFunc("POST /api/conversations.info", func(w http.ResponseWriter, r *http.Request) {
		f.record("conversations.info")
		tok, ok := f.tokens[r.FormValue("token")]
		if !ok {
			writeJSONT(w, map[string]any{"ok": false, "error": "invalid_auth"})
			return
		}
		if !strings.Contains(tok.scopes, "channels:read") {
			writeJSONT(w, map[string]any{"ok": false, "error": "missing_scope", "needed": "channels:read", "provided": tok.scopes})
			return
		}
		ch, ok := f.channels[r.FormValue("channel")]
		if !ok {
			writeJSONT(w, map[string]any{"ok": false, "error": "channel_not_found"})
			return
		}
		writeJSONT(w, map[string]any{"ok": true, "channel": map[string]any{"id": r.FormValue("channel"), "name": ch.name,
			"is_channel": true, "is_member": ch.member, "is_archived": ch.archived}})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) record(method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, method)
}

// url is the Web API base, as SLACK_API_URL gives it.
func (f *fakeSlack) url() string { return f.srv.URL + "/api/" }

// fakeDiscord is Discord's REST API on loopback (version 9, as
// discordgo and the adapter use it) for doctor's calls.
type fakeDiscord struct {
	srv      *httptest.Server
	token    string // the bot token it accepts
	appID    string
	flags    int
	commands map[string][]map[string]any // "global" or a guild id -> commands
	channels map[string]map[string]any   // id -> channel object
	guilds   map[string]map[string]any   // id -> guild object
	members  map[string]map[string]any   // guild id -> the bot's member object
	forbid   map[string]bool             // channel ids answered 403 Missing Access
	hang     bool                        // never answer /users/@me
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{token: "discord-good", appID: "111", commands: map[string][]map[string]any{},
		channels: map[string]map[string]any{}, guilds: map[string]map[string]any{}, members: map[string]map[string]any{}, forbid: map[string]bool{}}
	mux := http.NewServeMux()
	auth := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bot "+f.token {
				w.WriteHeader(http.StatusUnauthorized)
				writeJSONT(w, map[string]any{"message": "401: Unauthorized", "code": 0})
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("GET /api/v9/users/@me", auth(func(w http.ResponseWriter, r *http.Request) {
		if f.hang {
			<-r.Context().Done()
			return
		}
		writeJSONT(w, map[string]any{"id": "999", "username": "mailhelp", "bot": true})
	}))
	mux.HandleFunc("GET /api/v9/oauth2/applications/@me", auth(func(w http.ResponseWriter, r *http.Request) {
		writeJSONT(w, map[string]any{"id": f.appID, "name": "mailhelp", "flags": f.flags})
	}))
	mux.HandleFunc("GET /api/v9/applications/{app}/commands", auth(func(w http.ResponseWriter, r *http.Request) {
		f.commandsOf(w, r, "global")
	}))
	mux.HandleFunc("GET /api/v9/applications/{app}/guilds/{guild}/commands", auth(func(w http.ResponseWriter, r *http.Request) {
		f.commandsOf(w, r, r.PathValue("guild"))
	}))
	mux.HandleFunc("GET /api/v9/channels/{id}", auth(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if f.forbid[id] {
			discordErr(w, http.StatusForbidden, 50001, "Missing Access")
			return
		}
		ch, ok := f.channels[id]
		if !ok {
			discordErr(w, http.StatusNotFound, 10003, "Unknown Channel")
			return
		}
		writeJSONT(w, ch)
	}))
	mux.HandleFunc("GET /api/v9/guilds/{id}", auth(func(w http.ResponseWriter, r *http.Request) {
		g, ok := f.guilds[r.PathValue("id")]
		if !ok {
			discordErr(w, http.StatusForbidden, 50001, "Missing Access")
			return
		}
		writeJSONT(w, g)
	}))
	mux.HandleFunc("GET /api/v9/guilds/{id}/members/{user}", auth(func(w http.ResponseWriter, r *http.Request) {
		m, ok := f.members[r.PathValue("id")]
		if !ok || r.PathValue("user") != "999" {
			discordErr(w, http.StatusNotFound, 10007, "Unknown Member")
			return
		}
		writeJSONT(w, m)
	}))
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeDiscord) commandsOf(w http.ResponseWriter, r *http.Request, where string) {
	if r.PathValue("app") != f.appID {
		discordErr(w, http.StatusForbidden, 50001, "Missing Access")
		return
	}
	cmds := f.commands[where]
	if cmds == nil {
		cmds = []map[string]any{}
	}
	writeJSONT(w, cmds)
}

// url is the API base, as DISCORD_API_URL gives it.
func (f *fakeDiscord) url() string { return f.srv.URL + "/api" }

func discordErr(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"message": msg, "code": code})
}

func writeJSONT(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// fakeResolver resolves the names it holds; others are not found.
type fakeResolver map[string][]string

func (r fakeResolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}
