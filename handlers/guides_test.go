package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
)

// TestGuideGoldens renders every device's guide in every language, for
// an address of a configured domain: at least six numbered steps with
// the address, server, ports and security filled in, no message left
// untranslated, and no "no guide yet".
func TestGuideGoldens(t *testing.T) {
	r := newRouter(t)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range knowledge.Clients() {
		if len(c.Variants) > 0 {
			continue // "Outlook" asks which one
		}
		for _, lang := range cat.Languages() {
			t.Run(string(c.ID)+"_"+lang, func(t *testing.T) {
				reply := r.Serve(context.Background(), &bot.Request{Platform: "test", ForceLang: lang,
					Form: &bot.Form{Intent: bot.IntentConfigure, Client: string(c.ID), Target: "alice@example.org"}})
				if !c.HasGuide() {
					t.Fatalf("%s has no guide", c.ID)
				}
				if len(reply.Steps) < 6 {
					t.Errorf("%d steps", len(reply.Steps))
				}
				text, md := render.Text(reply), render.Markdown(reply)
				for _, want := range []string{"alice@example.org", "mail.example.org", "143", "465"} {
					if !strings.Contains(text, want) {
						t.Errorf("lacks %q", want)
					}
				}
				for _, id := range c.Guide.MessageIDs() {
					if strings.Contains(text, id) {
						t.Errorf("message %s is not translated", id)
					}
				}
				if strings.Contains(text, "<no value>") {
					t.Error("a template lacks data")
				}
				name := "guides/" + string(c.ID) + "_" + lang
				golden.Assert(t, name+".txt", text)
				golden.Assert(t, name+".md", md)
			})
		}
	}
}
