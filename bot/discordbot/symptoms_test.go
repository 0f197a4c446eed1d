package discordbot

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// TestSymptomEmbedGoldens renders every symptom's answer, after the live
// check a chat answer runs, in every language, as an embed with its
// buttons; "Check again" keeps the problem.
func TestSymptomEmbedGoldens(t *testing.T) {
	r, cat := testbot.Router(t, testbot.SlowProber{})
	a := newAdapter(nil, Options{Router: r, Translator: cat, Logger: testbot.Quiet()})
	for _, s := range knowledge.Symptoms {
		for _, lang := range cat.Languages() {
			t.Run(string(s)+"_"+lang, func(t *testing.T) {
				q := question{form: &bot.Form{Intent: bot.IntentTroubleshoot, Symptom: string(s), Target: "alice@domaine.com"}}
				if s == knowledge.SymptomUnsupported {
					q = question{text: "POP3 alice@domaine.com"}
				}
				plan := r.Plan(context.Background(), q.request(lang, ""))
				embeds, comps := a.answer(context.Background(), plan, q, "K1")
				raw, _ := json.MarshalIndent(map[string]any{"embeds": embeds, "components": comps}, "", "  ")
				if s != knowledge.SymptomUnsupported && s != knowledge.SymptomSentFolder &&
					!strings.Contains(string(raw), idCheck+string(s)+"::alice@domaine.com") {
					t.Errorf("the check button does not keep the problem")
				}
				golden.Assert(t, "symptoms/"+string(s)+"_"+lang+".json", string(raw)+"\n")
			})
		}
	}
}

// TestFollowUpInChannel: in a channel or a DM, a follow-up from the same
// user is read with the previous answer; another user's, or one after
// the context expired, is not.
func TestFollowUpInChannel(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	r, cat := testbot.RouterWith(t, testbot.SlowProber{}, bot.NewLocalMemory(30*time.Minute, 100, clock))
	f := newFakeDiscord(t)
	startBot(t, f, Options{Router: r, Translator: cat, Logger: testbot.Quiet()})
	n := 0
	say := func(id, channel, user, text string) string {
		n++
		f.dispatch("MESSAGE_CREATE", messageCreate(id, channel, "", user, text, false))
		posts := f.waitCalls("POST", "/messages", n)
		return body(t, posts[n-1])
	}
	say("M1", "D1", "U1", "I can't send from alice@domaine.com")
	// A check ran: its "checking…" message was edited; the follow-up is
	// read with the problem and the address.
	f.waitCalls("PATCH", "/messages/", 1)
	say("M2", "D1", "U1", "and for iPhone?")
	edits := f.waitCalls("PATCH", "/messages/", 2)
	if got := body(t, edits[1]); !strings.Contains(got, "Cannot send: what the test of bm.domaine.com shows") {
		t.Errorf("the follow-up lost the problem or the address: %.400s", got)
	}
	if got := say("M3", "D2", "U2", "and for iPhone?"); strings.Contains(got, "alice@domaine.com") || strings.Contains(got, "Cannot send") {
		t.Errorf("another user's conversation leaked: %.300s", got)
	}
	mu.Lock()
	now = now.Add(31 * time.Minute)
	mu.Unlock()
	if got := say("M4", "D1", "U1", "and for Thunderbird?"); strings.Contains(got, "alice@domaine.com") {
		t.Errorf("an expired context was used: %.300s", got)
	}
}
