package slackbot

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// TestUnwrapThenPlan: Slack's markup is removed by the adapter, and what
// remains means what the person wrote (these rows were the parser's).
func TestUnwrapThenPlan(t *testing.T) {
	r, _ := testRouter(t, nil)
	tests := []struct {
		text    string
		intent  bot.Intent
		client  knowledge.ClientID
		target  string
		lang    string
		channel string
	}{
		{"<@U024BE7LH> configure BlackBerry for <mailto:alice@domaine.com|alice@domaine.com>", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "en", ""},
		{"configure BlackBerry for <mailto:carol+phone@domaine.com|carol+phone@domaine.com>", bot.IntentConfigure, knowledge.BlackBerry10, "carol@domaine.com", "en", ""},
		{"configurer BlackBerry pour <mailto:alice@domaine.com|alice@domaine.com> stp", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "fr", ""},
		{"check <http://bm.domaine.com|bm.domaine.com>", bot.IntentCheck, "", "bm.domaine.com", "en", ""},
		{"<@U024BE7LH>", bot.IntentHelp, "", "", "en", ""},
		{"<@U024BE7LH> announce domaine.com in <#C0123ABC|it-news>", bot.IntentAnnounce, "", "domaine.com", "en", "C0123ABC"},
		{"annonce domaine.com dans <#C0123ABC|it-news> et <#C999>", bot.IntentAnnounce, "", "domaine.com", "fr", "C0123ABC"},
		{"<!channel> free pizza in the kitchen", bot.IntentUnknown, "", "", "en", ""},
		{"<@U1> Wie richte ich mein BlackBerry für <mailto:alice@domaine.com|alice@domaine.com> ein?", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "de", ""},
		{"<@U1> ¿Cómo configuro mi BlackBerry para <mailto:alice@domaine.com|alice@domaine.com>?", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "es", ""},
		{"<!subteam^S1|@it> <!date^1392734382^{date}|Feb 18> help", bot.IntentHelp, "", "", "en", ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			plain, channel := unwrap(tc.text)
			if strings.ContainsAny(plain, "<>") {
				t.Errorf("markup left in %q", plain)
			}
			plan := r.Plan(context.Background(), &bot.Request{Text: plain, Channel: channel})
			p := plan.Request.Parsed
			if p.Intent != tc.intent || p.Client != tc.client || plan.Target() != tc.target || plan.Lang() != tc.lang || channel != tc.channel {
				t.Errorf("got %s %q %q %s channel %q; want %s %q %q %s channel %q", p.Intent, p.Client, plan.Target(), plan.Lang(), channel,
					tc.intent, tc.client, tc.target, tc.lang, tc.channel)
			}
			if p.Addresses > 1 {
				t.Errorf("the address was counted %d times", p.Addresses)
			}
		})
	}
}

func FuzzUnwrap(f *testing.F) {
	for _, s := range []string{"<mailto:|>", "<<<<>>>>", "<@", "<#C1|x>", "<#c1>", "<https://x|<y>>", "<!here>", "\xff<\xfe>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain, channel := unwrap(s)
		if len(plain) > 3*len(s)+2 {
			t.Fatalf("grew from %d to %d bytes", len(s), len(plain))
		}
		if utf8.ValidString(s) && !utf8.ValidString(plain) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, c := range channel {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				t.Fatalf("channel %q", channel)
			}
		}
	})
}
