package slackbot

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/knowledge"
)

// TestGuideBlockGoldens renders every device's guide in every language
// as Block Kit.
func TestGuideBlockGoldens(t *testing.T) {
	r, cat := testRouter(t, slowProber{})
	for _, c := range knowledge.Clients() {
		if !c.HasGuide() {
			continue
		}
		for _, lang := range cat.Languages() {
			t.Run(string(c.ID)+"_"+lang, func(t *testing.T) {
				reply := r.Serve(context.Background(), &bot.Request{Platform: "slack", ForceLang: lang,
					Form: &bot.Form{Intent: bot.IntentConfigure, Client: string(c.ID), Target: "alice@domaine.com"}})
				msg := Render(reply, Question{Text: "configure " + string(c.ID) + " for alice@domaine.com"}, bot.SwitchFor(cat, lang))
				if len(msg.Blocks) > maxBlocks {
					t.Errorf("%d blocks", len(msg.Blocks))
				}
				raw, _ := json.MarshalIndent(msg.Blocks, "", "  ")
				golden.Assert(t, "guides/"+string(c.ID)+"_"+lang+".json", string(raw)+"\n")
			})
		}
	}
}
