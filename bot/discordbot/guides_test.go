package discordbot

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// TestGuideEmbedGoldens renders every device's guide in every language
// as an embed with its buttons.
func TestGuideEmbedGoldens(t *testing.T) {
	r, cat := testbot.Router(t, testbot.SlowProber{})
	a := newAdapter(nil, Options{Router: r, Translator: cat, Logger: testbot.Quiet()})
	for _, c := range knowledge.Clients() {
		if !c.HasGuide() {
			continue
		}
		for _, lang := range cat.Languages() {
			t.Run(string(c.ID)+"_"+lang, func(t *testing.T) {
				q := question{form: &bot.Form{Intent: bot.IntentConfigure, Client: string(c.ID), Target: "alice@domaine.com"}}
				plan := r.Plan(context.Background(), q.request(lang, ""))
				embeds, comps := a.answer(context.Background(), plan, q, "K1")
				total := 0
				for _, e := range embeds {
					total += len(e.Title) + len(e.Description)
					for _, f := range e.Fields {
						total += len(f.Name) + len(f.Value)
					}
				}
				if total > maxEmbedsTotal*4 { // bytes; Discord counts characters
					t.Errorf("embed of %d bytes", total)
				}
				raw, _ := json.MarshalIndent(map[string]any{"embeds": embeds, "components": comps}, "", "  ")
				golden.Assert(t, "guides/"+string(c.ID)+"_"+lang+".json", string(raw)+"\n")
			})
		}
	}
}
