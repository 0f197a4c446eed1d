package web

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// results keeps the answers of recent live checks asked on the web, so
// that each has a page to link in a ticket. They live in this process's
// memory only, for resultTTL, at most maxResults of them: a check result
// is a moment's truth, not a record (the audit trail is the record).
type results struct {
	mu    sync.Mutex
	items map[string]result
	order []string
}

type result struct {
	reply *bot.Reply
	at    time.Time
}

const (
	resultTTL  = 7 * 24 * time.Hour
	maxResults = 1000
)

// put keeps a reply and returns its id: 24 hex digits, unguessable, so a
// result is only seen by those given its link.
func (rs *results) put(r *bot.Reply) string {
	var raw [12]byte
	_, _ = rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.items == nil {
		rs.items = make(map[string]result)
	}
	rs.items[id] = result{reply: r, at: time.Now()}
	rs.order = append(rs.order, id)
	for len(rs.order) > maxResults {
		delete(rs.items, rs.order[0])
		rs.order = rs.order[1:]
	}
	return id
}

// get returns a kept reply, if it is recent enough.
func (rs *results) get(id string) (*bot.Reply, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	it, ok := rs.items[id]
	if !ok || time.Since(it.at) > resultTTL {
		return nil, false
	}
	return it.reply, true
}
