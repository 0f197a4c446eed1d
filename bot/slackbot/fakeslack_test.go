package slackbot

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSlack is a Slack for tests, on loopback: the Web API methods the
// adapter calls, apps.connections.open, a Socket Mode websocket that says
// hello, pings and sends envelopes, and response_url endpoints. It
// records everything the bot sends.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	mu    sync.Mutex
	calls []apiCall // Web API calls and response_url posts, in order
	acks  []string  // envelope ids acknowledged
	ackAt map[string]time.Time
	ackc  chan string // each acknowledged envelope id, when watched
	opens int         // apps.connections.open calls
	conn  *websocket.Conn
	// conns are every Socket Mode connection opened, in order: several
	// replicas of the bot, or one that reconnected.
	conns     []*websocket.Conn
	connected chan struct{}
	limited   int            // answer this many chat.postMessage calls with 429
	postc     chan apiCall   // each chat.postMessage, when watched
	locales   map[string]int // users.info calls per user
	nextTS    atomic.Int64
	// halfPosts counts posts to CHALF, which takes one message only.
	halfPosts atomic.Int64
	silent    atomic.Bool // stop pinging: a connection that died quietly
	// authScript is how the next auth.test calls fail, in order: "drop"
	// (the connection is cut), "503", "429", or a Slack error code
	// ("invalid_auth"); once it is empty auth.test succeeds.
	authScript []string
	authCalls  int
	// appTokenRejected makes apps.connections.open answer invalid_auth.
	appTokenRejected atomic.Bool
	// slowc, when set, is told of each post to CSLOW, which Slack then
	// takes a second to answer; a post whose client goes away meanwhile
	// is not recorded (it never reached the channel).
	slowc chan struct{}
	// writers serialise the writes on each connection (pings, envelopes).
	writers map[*websocket.Conn]*sync.Mutex
	// pending are the events sent and not acknowledged yet, which Slack
	// sends again after each of retryDelays, on the next connection.
	pending     []*pendingEnvelope
	retryDelays []time.Duration
	stop        chan struct{}
}

// pendingEnvelope is an event Slack will send again until it is
// acknowledged.
type pendingEnvelope struct {
	envelope map[string]any
	id       string
	conn     int // the connection it was last sent on
	attempts int // retries sent
	next     time.Time
}

// apiCall is one request the bot made.
type apiCall struct {
	Method string         // "chat.postMessage", "response_url"…
	Form   url.Values     // form-encoded Web API arguments
	JSON   map[string]any // JSON body (response_url)
	At     time.Time
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, connected: make(chan struct{}, 16), locales: map[string]int{}, ackAt: map[string]time.Time{},
		writers: map[*websocket.Conn]*sync.Mutex{}, stop: make(chan struct{}),
		retryDelays: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}}
	go f.retry()
	f.nextTS.Store(1700000000)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/auth.test", f.authTest)
	mux.HandleFunc("/api/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
		if f.appTokenRejected.Load() {
			f.json(w, map[string]any{"ok": false, "error": "invalid_auth"})
			return
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer xapp-") {
			f.json(w, map[string]any{"ok": false, "error": "not_allowed_token_type"})
			return
		}
		f.mu.Lock()
		f.opens++
		f.mu.Unlock()
		f.json(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"})
	})
	mux.HandleFunc("/ws", f.websocket)
	for _, m := range []string{"chat.postMessage", "chat.update", "chat.postEphemeral"} {
		mux.HandleFunc("/api/"+m, func(w http.ResponseWriter, r *http.Request) { f.chat(w, r, m) })
	}
	mux.HandleFunc("/api/users.info", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		user := r.Form.Get("user")
		f.mu.Lock()
		f.locales[user]++
		f.mu.Unlock()
		locale := "en-US"
		switch {
		case strings.HasPrefix(user, "UFR"):
			locale = "fr-FR"
		case strings.HasPrefix(user, "UDE"):
			locale = "de-DE"
		case strings.HasPrefix(user, "UES"):
			locale = "es-LA"
		case strings.HasPrefix(user, "UNOLOC"):
			locale = ""
		}
		f.json(w, map[string]any{"ok": true, "user": map[string]any{"id": user, "name": "someone", "locale": locale}})
	})
	mux.HandleFunc("/api/usergroups.users.list", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		users := []string{}
		if r.Form.Get("usergroup") == "S1" {
			users = []string{"UGROUP"}
		}
		f.json(w, map[string]any{"ok": true, "users": users})
	})
	mux.HandleFunc("/response/", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)
		f.record(apiCall{Method: "response_url", JSON: body, Form: url.Values{"path": {r.URL.Path}}})
		w.WriteHeader(200)
		_, _ = w.Write([]byte("ok"))
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.close)
	return f
}

// authTest answers auth.test as authScript says.
func (f *fakeSlack) authTest(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.authCalls++
	step := ""
	if len(f.authScript) > 0 {
		step, f.authScript = f.authScript[0], f.authScript[1:]
	}
	f.mu.Unlock()
	switch step {
	case "":
		f.json(w, map[string]any{"ok": true, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"})
	case "drop":
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	case "503":
		w.WriteHeader(http.StatusServiceUnavailable)
	case "429":
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	default:
		f.json(w, map[string]any{"ok": false, "error": step})
	}
}

func (f *fakeSlack) close() {
	close(f.stop)
	f.mu.Lock()
	if f.conn != nil {
		f.conn.Close()
	}
	f.mu.Unlock()
	f.srv.Close()
}

func (f *fakeSlack) json(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) record(c apiCall) {
	c.At = time.Now()
	f.mu.Lock()
	f.calls = append(f.calls, c)
	postc := f.postc
	f.mu.Unlock()
	if postc != nil && c.Method == "chat.postMessage" {
		postc <- c
	}
}

// chat records a chat.* call and answers like Slack, or with a 429.
func (f *fakeSlack) chat(w http.ResponseWriter, r *http.Request, method string) {
	_ = r.ParseForm()
	f.mu.Lock()
	limited := method == "chat.postMessage" && f.limited > 0
	if limited {
		f.limited--
	}
	f.mu.Unlock()
	if limited {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	if r.Form.Get("channel") == "CSLOW" {
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
	if r.Form.Get("channel") == "CFAIL" || r.Form.Get("channel") == "CHALF" && method == "chat.postMessage" && f.halfPosts.Add(1) > 1 {
		f.json(w, map[string]any{"ok": false, "error": "not_in_channel"})
		return
	}
	f.record(apiCall{Method: method, Form: r.Form})
	ts := r.Form.Get("ts")
	if ts == "" {
		ts = fmt.Sprintf("%d.000100", f.nextTS.Add(1))
	}
	f.json(w, map[string]any{"ok": true, "channel": r.Form.Get("channel"), "ts": ts})
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// websocket runs one Socket Mode connection: hello, pings, and acks.
func (f *fakeSlack) websocket(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	wmu := &sync.Mutex{}
	f.mu.Lock()
	f.conn = c
	f.conns = append(f.conns, c)
	f.writers[c] = wmu
	f.mu.Unlock()
	write := func(v any) error {
		wmu.Lock()
		defer wmu.Unlock()
		return c.WriteJSON(v)
	}
	_ = write(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A1"}, "debug_info": map[string]any{"host": "fake"}})
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if f.silent.Load() {
					continue
				}
				wmu.Lock()
				err := c.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second))
				wmu.Unlock()
				if err != nil {
					return
				}
			}
		}
	}()
	f.connected <- struct{}{}
	defer close(done)
	for {
		var ack struct {
			EnvelopeID string `json:"envelope_id"`
		}
		if err := c.ReadJSON(&ack); err != nil {
			return
		}
		f.mu.Lock()
		f.acks = append(f.acks, ack.EnvelopeID)
		f.ackAt[ack.EnvelopeID] = time.Now()
		ackc := f.ackc
		f.mu.Unlock()
		if ackc != nil {
			ackc <- ack.EnvelopeID
		}
	}
}

// send writes an envelope on the current connection.
func (f *fakeSlack) send(envelope map[string]any) {
	f.t.Helper()
	f.mu.Lock()
	i := len(f.conns) - 1
	f.mu.Unlock()
	if i < 0 {
		f.t.Fatal("no Socket Mode connection")
	}
	f.sendOn(i, envelope)
}

// sendOn writes an envelope on the i-th connection opened: Slack spreads
// envelopes over an app's connections. An event not acknowledged is
// sent again, on the next connection (retry).
func (f *fakeSlack) sendOn(i int, envelope map[string]any) {
	f.t.Helper()
	if err := f.write(i, envelope); err != nil {
		f.t.Fatalf("send envelope on connection %d: %v", i, err)
	}
	if envelope["type"] == "events_api" {
		id, _ := envelope["envelope_id"].(string)
		f.mu.Lock()
		f.pending = append(f.pending, &pendingEnvelope{envelope: envelope, id: id, conn: i, next: time.Now().Add(f.retryDelays[0])})
		f.mu.Unlock()
	}
}

// write writes v on the i-th connection.
func (f *fakeSlack) write(i int, v any) error {
	f.mu.Lock()
	var c *websocket.Conn
	var w *sync.Mutex
	if i >= 0 && i < len(f.conns) {
		c = f.conns[i]
		w = f.writers[c]
	}
	f.mu.Unlock()
	if c == nil {
		return fmt.Errorf("no Socket Mode connection %d", i)
	}
	w.Lock()
	defer w.Unlock()
	return c.WriteJSON(v)
}

// retry sends again, as Slack does, each event not acknowledged after
// each of retryDelays, on the next connection that takes it, with its
// retry_attempt counted.
func (f *fakeSlack) retry() {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-f.stop:
			return
		case <-t.C:
		}
		now := time.Now()
		f.mu.Lock()
		var due []*pendingEnvelope
		kept := f.pending[:0]
		for _, p := range f.pending {
			switch {
			case f.ackedLocked(p.id) || p.attempts >= len(f.retryDelays):
				// acknowledged, or given up on
			case now.After(p.next):
				due = append(due, p)
				kept = append(kept, p)
			default:
				kept = append(kept, p)
			}
		}
		f.pending = kept
		n := len(f.conns)
		f.mu.Unlock()
		for _, p := range due {
			again := maps.Clone(p.envelope)
			p.attempts++
			// Each delivery has its own envelope id.
			again["envelope_id"] = fmt.Sprintf("%s-r%d", p.id, p.attempts)
			again["retry_attempt"] = p.attempts
			again["retry_reason"] = "timeout"
			for k := 1; k <= n; k++ {
				if f.write((p.conn+k)%n, again) == nil {
					p.conn = (p.conn + k) % n
					break
				}
			}
			f.mu.Lock()
			if p.attempts < len(f.retryDelays) {
				p.next = time.Now().Add(f.retryDelays[p.attempts])
			}
			f.mu.Unlock()
		}
	}
}

// sendRaw writes a frame as is.
func (f *fakeSlack) sendRaw(frame string) {
	f.mu.Lock()
	c := f.conn
	w := f.writers[c]
	f.mu.Unlock()
	w.Lock()
	defer w.Unlock()
	_ = c.WriteMessage(websocket.TextMessage, []byte(frame))
}

func (f *fakeSlack) waitConnected(n int) {
	f.t.Helper()
	for range n {
		select {
		case <-f.connected:
		case <-time.After(10 * time.Second):
			f.t.Fatal("the bot did not connect")
		}
	}
}

// waitCalls waits until n calls matching method have been made.
func (f *fakeSlack) waitCalls(method string, n int) []apiCall {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := f.callsOf(method)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("got %d %s calls, want %d; all: %v", len(got), method, n, f.methods())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *fakeSlack) callsOf(method string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeSlack) methods() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var m []string
	for _, c := range f.calls {
		m = append(m, c.Method)
	}
	return m
}

// acked reports whether the envelope id, or one of Slack's retries of
// it, was acknowledged.
func (f *fakeSlack) acked(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ackedLocked(id)
}

func (f *fakeSlack) ackedLocked(id string) bool {
	for _, a := range f.acks {
		if a == id || strings.HasPrefix(a, id+"-r") {
			return true
		}
	}
	return false
}

// Envelope builders, as Slack sends them.

func mentionEnvelope(envID, eventID, user, channel, ts, text string) map[string]any {
	return eventsEnvelope(envID, eventID, map[string]any{
		"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts,
	})
}

func dmEnvelope(envID, eventID, user, channel, ts, text string) map[string]any {
	return eventsEnvelope(envID, eventID, map[string]any{
		"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts,
	})
}

func eventsEnvelope(envID, eventID string, inner map[string]any) map[string]any {
	return map[string]any{
		"envelope_id": envID, "type": "events_api", "accepts_response_payload": false, "retry_attempt": 0,
		"payload": map[string]any{
			"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
			"event_id": eventID, "event_time": 1700000000, "event": inner,
		},
	}
}

func commandEnvelope(f *fakeSlack, envID, trigger, user, text string) map[string]any {
	return map[string]any{
		"envelope_id": envID, "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{
			"token": "x", "team_id": "T1", "channel_id": "C1", "user_id": user, "command": "/mailhelp",
			"text": text, "response_url": f.srv.URL + "/response/" + trigger, "trigger_id": trigger,
		},
	}
}

func buttonEnvelope(f *fakeSlack, envID, trigger, user, actionID, value, msgTS string) map[string]any {
	return map[string]any{
		"envelope_id": envID, "type": "interactive", "accepts_response_payload": false,
		"payload": map[string]any{
			"type": "block_actions", "trigger_id": trigger, "user": map[string]any{"id": user},
			"channel":      map[string]any{"id": "C1"},
			"container":    map[string]any{"type": "message", "message_ts": msgTS, "channel_id": "C1", "is_ephemeral": false},
			"message":      map[string]any{"ts": msgTS, "type": "message"},
			"response_url": f.srv.URL + "/response/" + trigger,
			"actions":      []map[string]any{{"action_id": actionID, "block_id": "mailhelp_actions", "value": value, "type": "button"}},
		},
	}
}
