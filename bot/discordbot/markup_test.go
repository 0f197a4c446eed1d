package discordbot

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testbot"
)

// TestUnwrapThenPlan: Discord's markup is removed by the adapter, and
// what remains means what the person wrote.
func TestUnwrapThenPlan(t *testing.T) {
	r, _ := testbot.Router(t, nil)
	tests := []struct {
		text    string
		intent  bot.Intent
		target  string
		lang    string
		channel string
	}{
		{"<@123> configure BlackBerry for alice@domaine.com", bot.IntentConfigure, "alice@domaine.com", "en", ""},
		{"<@!123> <@&456> check <https://bm.domaine.com>", bot.IntentCheck, "bm.domaine.com", "en", ""},
		{"announce domaine.com <#123456789012345678>", bot.IntentAnnounce, "domaine.com", "en", "123456789012345678"},
		{"<:blob:111> <a:party:222> <t:1700000000:R> </mailhelp:333> help", bot.IntentHelp, "", "en", ""},
		{"<@123> prüfe alice@domaine.com", bot.IntentCheck, "alice@domaine.com", "de", ""},
		{"<@123> comprueba alice@domaine.com", bot.IntentCheck, "alice@domaine.com", "es", ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			plain, channel := unwrap(tc.text)
			if strings.ContainsAny(plain, "<>") {
				t.Errorf("markup left in %q", plain)
			}
			plan := r.Plan(context.Background(), &bot.Request{Text: plain, Channel: channel})
			if plan.Intent() != tc.intent || plan.Target() != tc.target || plan.Lang() != tc.lang || channel != tc.channel {
				t.Errorf("got %s %q %s channel %q; want %s %q %s channel %q", plan.Intent(), plan.Target(), plan.Lang(), channel,
					tc.intent, tc.target, tc.lang, tc.channel)
			}
		})
	}
}

func FuzzUnwrap(f *testing.F) {
	for _, s := range []string{"<@1>", "<<<<>>>>", "<#", "<#12>", "<#x>", "<https://x>", "<:a:1>", "\xff<\xfe>"} {
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
		if channel != "" && !isSnowflake(channel) {
			t.Fatalf("channel %q", channel)
		}
	})
}
