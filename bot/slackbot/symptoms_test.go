package slackbot

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

// TestSymptomBlockGoldens renders every symptom's answer, after the live
// check a chat answer runs, in every language, as Block Kit; the "Check
// again" button keeps the problem.
func TestSymptomBlockGoldens(t *testing.T) {
	r, cat := testRouter(t, slowProber{})
	for _, s := range knowledge.Symptoms {
		for _, lang := range cat.Languages() {
			t.Run(string(s)+"_"+lang, func(t *testing.T) {
				req := &bot.Request{Platform: "slack", ForceLang: lang, Form: &bot.Form{Intent: bot.IntentTroubleshoot,
					Symptom: string(s), Target: "alice@domaine.com"}}
				if s == knowledge.SymptomUnsupported {
					req = &bot.Request{Platform: "slack", ForceLang: lang, Text: "POP3 alice@domaine.com"}
				}
				reply := r.Serve(context.Background(), req)
				if reply.Code != "" || reply.About.Symptom != string(s) {
					t.Fatalf("code %q symptom %q", reply.Code, reply.About.Symptom)
				}
				msg := Render(reply, Question{Target: "alice@domaine.com", Symptom: string(s)}, bot.SwitchFor(cat, lang))
				raw, _ := json.MarshalIndent(msg.Blocks, "", "  ")
				if s != knowledge.SymptomUnsupported && s != knowledge.SymptomSentFolder &&
					!strings.Contains(string(raw), `\"s\":\"`+string(s)+`\"`) {
					t.Errorf("the check button does not keep the problem")
				}
				golden.Assert(t, "symptoms/"+string(s)+"_"+lang+".json", string(raw)+"\n")
			})
		}
	}
}

// TestFollowUpInThread: in a thread, a follow-up from the same user is
// read with the previous answer; another user's, or one after the
// context expired, is not.
func TestFollowUpInThread(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	r, cat := testbot.RouterWith(t, slowProber{}, bot.NewLocalMemory(30*time.Minute, 100, clock))
	f := newFakeSlack(t)
	startBotWith(t, f, Options{Router: r, Translator: cat})
	inThread := func(env, user, ts, text string) string {
		e := mentionEnvelope(env, "Ev"+env, user, "C1", ts, text)
		e["payload"].(map[string]any)["event"].(map[string]any)["thread_ts"] = "100.1"
		n := len(f.callsOf("chat.postMessage")) + 1
		f.send(e)
		return blocksText(t, f.waitCalls("chat.postMessage", n)[n-1])
	}
	f.send(mentionEnvelope("e1", "Eve1", "U1", "C1", "100.1", "<@UBOT> configure BlackBerry for alice@domaine.com"))
	f.waitCalls("chat.postMessage", 1)
	if got := inThread("e2", "U1", "100.2", "<@UBOT> and for iPhone?"); !strings.Contains(got, "Set up iPhone / iPad for alice@domaine.com") {
		t.Errorf("the follow-up lost the address: %.300s", got)
	}
	if got := inThread("e3", "U2", "100.3", "<@UBOT> and for iPhone?"); strings.Contains(got, "alice@domaine.com") {
		t.Errorf("another user got the first user's address: %.300s", got)
	}
	mu.Lock()
	now = now.Add(31 * time.Minute)
	mu.Unlock()
	if got := inThread("e4", "U1", "100.4", "<@UBOT> and for Thunderbird?"); strings.Contains(got, "alice@domaine.com") {
		t.Errorf("an expired context was used: %.300s", got)
	}
}
