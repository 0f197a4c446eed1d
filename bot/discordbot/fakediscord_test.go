package discordbot

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeDiscord is a Discord for tests, on loopback: GET /gateway, a
// gateway websocket (hello, identify or resume, READY or RESUMED,
// heartbeat ACKs, dispatches with sequence numbers, replay on resume,
// op 7 and op 9 on demand, close codes), and the REST calls the bot makes,
// all recorded.
type fakeDiscord struct {
	t   testing.TB
	srv *httptest.Server

	mu   sync.Mutex
	conn *websocket.Conn
	// conns are every gateway connection opened, in order: several
	// replicas of the bot, or one that reconnected.
	conns []*websocket.Conn
	// slowc, when set, is told of each post to channel SLOW.
	slowc      chan struct{}
	wmu        sync.Mutex
	seq        int64
	events     []dispatchEvent
	identifies int
	resumes    int
	calls      []restCall
	ready      chan string // "READY" or "RESUMED" when sent
	limited    int         // answer this many message posts with 429
	nextID     atomic.Int64
	closeCode  int           // if set, close new connections with this code
	shards     int           // shards recommended by /gateway/bot
	shardIDs   []string      // the "shard" of each identify
	callc      chan restCall // each REST call, when watched
	// gatewayBotScript is how the next GET /gateway/bot calls fail, in
	// order: an HTTP status, or 0 to cut the connection; once it is
	// empty they succeed.
	gatewayBotScript []int
	gatewayBotCalls  int
	// gatewayDown refuses this many gateway connections (503).
	gatewayDown int
	// rejectToken answers every REST call 401, as for a bad token.
	rejectToken bool
}

type dispatchEvent struct {
	Seq  int64
	Type string
	Data any
}

// restCall is one REST request the bot made.
type restCall struct {
	Method, Path string
	Body         map[string]any
	At           time.Time
}

func newFakeDiscord(t testing.TB) *fakeDiscord {
	f := &fakeDiscord{t: t, ready: make(chan string, 16)}
	f.nextID.Store(9000)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		reject := f.rejectToken
		f.mu.Unlock()
		if reject {
			f.json(w, 401, map[string]any{"message": "401: Unauthorized", "code": 0})
			return
		}
		f.json(w, 200, map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway"})
	})
	mux.HandleFunc("GET /api/v9/gateway/bot", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		n := max(f.shards, 1)
		f.gatewayBotCalls++
		status := 200
		if f.rejectToken {
			status = 401
		} else if len(f.gatewayBotScript) > 0 {
			status, f.gatewayBotScript = f.gatewayBotScript[0], f.gatewayBotScript[1:]
		}
		f.mu.Unlock()
		switch status {
		case 200:
		case 0:
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			w.WriteHeader(http.StatusBadGateway)
			return
		case 401:
			f.json(w, 401, map[string]any{"message": "401: Unauthorized", "code": 0})
			return
		case 429:
			w.Header().Set("Retry-After", "0")
			f.json(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": 0.01, "global": false})
			return
		default:
			f.json(w, status, map[string]any{"message": "unavailable", "code": 0})
			return
		}
		f.json(w, 200, map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway", "shards": n,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})
	})
	mux.HandleFunc("/gateway/", f.gateway) // discordgo adds a slash before the query
	mux.HandleFunc("/api/v9/", f.rest)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		f.mu.Lock()
		if f.conn != nil {
			f.conn.Close()
		}
		f.mu.Unlock()
		f.srv.Close()
	})
	return f
}

func (f *fakeDiscord) json(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeDiscord) rest(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	reject := f.rejectToken
	f.mu.Unlock()
	if reject || !strings.HasPrefix(r.Header.Get("Authorization"), "Bot ") {
		f.json(w, 401, map[string]any{"message": "401: Unauthorized", "code": 0})
		return
	}
	var body map[string]any
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	_ = json.Unmarshal(raw, &body)
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	if r.Method == "POST" && path == "/channels/SLOW/messages" {
		// Discord takes a second: a post whose client goes away
		// meanwhile never reaches the channel.
		f.mu.Lock()
		slowc := f.slowc
		f.mu.Unlock()
		if slowc != nil {
			slowc <- struct{}{}
		}
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
			return
		}
	}
	if r.Method == "POST" && path == "/channels/FAIL/messages" {
		f.json(w, 403, map[string]any{"message": "Missing Access", "code": 50001})
		return
	}
	if r.Method == "POST" && strings.HasSuffix(path, "/messages") {
		f.mu.Lock()
		limited := f.limited > 0
		if limited {
			f.limited--
		}
		f.mu.Unlock()
		if limited {
			w.Header().Set("Retry-After", "1")
			f.json(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": 0.5, "global": false})
			return
		}
	}
	call := restCall{Method: r.Method, Path: path, Body: body, At: time.Now()}
	f.mu.Lock()
	f.calls = append(f.calls, call)
	callc := f.callc
	f.mu.Unlock()
	if callc != nil {
		callc <- call
	}
	switch {
	case r.Method == "POST" && path == "/users/@me/channels":
		f.json(w, 200, map[string]any{"id": fmt.Sprint("DM-", body["recipient_id"]), "type": 1})
	case strings.HasSuffix(path, "/callback"):
		w.WriteHeader(204)
	case strings.Contains(path, "/commands"):
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("[]"))
	default:
		id := fmt.Sprint(f.nextID.Add(1))
		parts := strings.Split(path, "/")
		if r.Method == "PATCH" {
			id = parts[len(parts)-1]
		}
		ch := ""
		if len(parts) > 2 && parts[1] == "channels" {
			ch = parts[2]
		}
		f.json(w, 200, map[string]any{"id": id, "channel_id": ch, "content": body["content"], "type": 0})
	}
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// gateway runs one gateway connection.
func (f *fakeDiscord) gateway(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	down := f.gatewayDown > 0
	if down {
		f.gatewayDown--
	}
	f.mu.Unlock()
	if down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		f.t.Logf("gateway upgrade: %v (%s %s)", err, r.Method, r.URL)
		return
	}
	f.mu.Lock()
	f.conn = c
	f.conns = append(f.conns, c)
	code := f.closeCode
	f.mu.Unlock()
	send := func(v any) error {
		f.wmu.Lock()
		defer f.wmu.Unlock()
		return c.WriteJSON(v)
	}
	_ = send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 500}})
	if code != 0 {
		f.wmu.Lock()
		_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, "fatal"))
		f.wmu.Unlock()
		c.Close()
		return
	}
	for {
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := c.ReadJSON(&p); err != nil {
			return
		}
		switch p.Op {
		case 1:
			_ = send(map[string]any{"op": 11})
		case 2:
			var id struct {
				Shard []int `json:"shard"`
			}
			_ = json.Unmarshal(p.D, &id)
			f.mu.Lock()
			f.shardIDs = append(f.shardIDs, fmt.Sprint(id.Shard))
			f.identifies++
			f.seq++
			seq := f.seq
			f.mu.Unlock()
			_ = send(map[string]any{"op": 0, "t": "READY", "s": seq, "d": map[string]any{
				"v": 10, "session_id": "sess-1", "resume_gateway_url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway",
				"user":        map[string]any{"id": "BOT", "username": "mailhelp", "bot": true, "discriminator": "0"},
				"application": map[string]any{"id": "APP"}, "guilds": []any{},
			}})
			f.ready <- "READY"
		case 6:
			var rp struct {
				Seq int64 `json:"seq"`
			}
			_ = json.Unmarshal(p.D, &rp)
			f.mu.Lock()
			f.resumes++
			f.seq++
			resumed := f.seq
			var replay []dispatchEvent
			for _, e := range f.events {
				if e.Seq > rp.Seq {
					replay = append(replay, e)
				}
			}
			f.mu.Unlock()
			_ = send(map[string]any{"op": 0, "t": "RESUMED", "s": resumed, "d": map[string]any{}})
			for _, e := range replay {
				_ = send(map[string]any{"op": 0, "t": e.Type, "s": e.Seq, "d": e.Data})
			}
			f.ready <- "RESUMED"
		}
	}
}

// dispatch sends an event (recorded for replay on resume).
func (f *fakeDiscord) dispatch(typ string, data any) {
	f.mu.Lock()
	f.seq++
	e := dispatchEvent{Seq: f.seq, Type: typ, Data: data}
	f.events = append(f.events, e)
	c := f.conn
	f.mu.Unlock()
	f.wmu.Lock()
	defer f.wmu.Unlock()
	if err := c.WriteJSON(map[string]any{"op": 0, "t": e.Type, "s": e.Seq, "d": e.Data}); err != nil {
		f.t.Logf("dispatch: %v", err)
	}
}

// dispatchOn sends an event on the i-th connection opened: two replicas
// running the same shard during a rolling update both receive it.
func (f *fakeDiscord) dispatchOn(i int, typ string, data any) {
	f.mu.Lock()
	f.seq++
	e := dispatchEvent{Seq: f.seq, Type: typ, Data: data}
	f.events = append(f.events, e)
	var c *websocket.Conn
	if i < len(f.conns) {
		c = f.conns[i]
	}
	f.mu.Unlock()
	if c == nil {
		f.t.Fatalf("no gateway connection %d", i)
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	if err := c.WriteJSON(map[string]any{"op": 0, "t": e.Type, "s": e.Seq, "d": e.Data}); err != nil {
		f.t.Logf("dispatch on %d: %v", i, err)
	}
}

// op sends a bare opcode (7 reconnect, 9 invalid session).
func (f *fakeDiscord) op(n int, d any) {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	f.wmu.Lock()
	defer f.wmu.Unlock()
	_ = c.WriteJSON(map[string]any{"op": n, "d": d})
}

func (f *fakeDiscord) waitReady(want string) {
	f.t.Helper()
	select {
	case got := <-f.ready:
		if got != want {
			f.t.Fatalf("got %s, want %s", got, want)
		}
	case <-time.After(15 * time.Second):
		f.t.Fatalf("no %s", want)
	}
}

// waitCalls waits for n calls whose path contains sub and method matches.
func (f *fakeDiscord) waitCalls(method, sub string, n int) []restCall {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := f.callsOf(method, sub)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("got %d %s %s calls, want %d; all: %v", len(got), method, sub, n, f.all())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *fakeDiscord) callsOf(method, sub string) []restCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []restCall
	for _, c := range f.calls {
		if c.Method == method && strings.Contains(c.Path, sub) {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeDiscord) all() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var s []string
	for _, c := range f.calls {
		s = append(s, c.Method+" "+c.Path)
	}
	return s
}

// Event builders, as Discord sends them.

func messageCreate(id, channel, guild, author, content string, mentionsBot bool) map[string]any {
	m := map[string]any{"id": id, "channel_id": channel, "content": content, "type": 0,
		"author":   map[string]any{"id": author, "username": "user-" + author, "discriminator": "0"},
		"mentions": []any{}, "timestamp": "2026-11-25T12:00:00.000000+00:00"}
	if guild != "" {
		m["guild_id"] = guild
	}
	if mentionsBot {
		m["mentions"] = []any{map[string]any{"id": "BOT", "username": "mailhelp", "bot": true}}
	}
	return m
}

func commandInteraction(id, locale, sub string, opts map[string]string) map[string]any {
	var options []map[string]any
	for k, v := range opts {
		options = append(options, map[string]any{"name": k, "type": 3, "value": v})
	}
	return map[string]any{"id": id, "application_id": "APP", "type": 2, "token": "tok-" + id, "version": 1,
		"locale": locale, "guild_locale": "en-US", "channel_id": "C1", "guild_id": "G1",
		"member": map[string]any{"user": map[string]any{"id": "U1", "username": "alice"}},
		"data": map[string]any{"id": "CMD", "name": "mailhelp", "type": 1,
			"options": []map[string]any{{"name": sub, "type": 1, "options": options}}}}
}

func buttonInteraction(id, locale, customID string) map[string]any {
	return map[string]any{"id": id, "application_id": "APP", "type": 3, "token": "tok-" + id, "version": 1,
		"locale": locale, "channel_id": "C1", "guild_id": "G1",
		"member":  map[string]any{"user": map[string]any{"id": "U1", "username": "alice"}},
		"message": map[string]any{"id": "M1", "channel_id": "C1", "content": ""},
		"data":    map[string]any{"custom_id": customID, "component_type": 2}}
}
