package parse

import (
	"testing"

	"github.com/mailhelp/mailhelp/bot"
)

// TestAccountIntent: asking to test one's own account is a check with
// Account set (answered with how to run the account test, as chat takes
// no password), in each language; a device or a problem keeps its own
// intent.
func TestAccountIntent(t *testing.T) {
	p := testParser(t)
	tests := []struct {
		text    string
		intent  bot.Intent
		account bool
	}{
		{"test my account alice@domaine.com", bot.IntentCheck, true},
		{"can I send and receive with alice@domaine.com?", bot.IntentCheck, true},
		{"tester mon compte alice@domaine.com", bot.IntentCheck, true},
		{"mein Konto testen alice@domaine.com", bot.IntentCheck, true},
		{"probar mi cuenta alice@domaine.com", bot.IntentCheck, true},
		{"test my account", bot.IntentCheck, true},
		{"check alice@domaine.com", bot.IntentCheck, false},
		{"set up my account on my iPhone alice@domaine.com", bot.IntentConfigure, true},
		{"my account says certificate error", bot.IntentTroubleshoot, true},
	}
	for _, tc := range tests {
		got := p.Parse(tc.text)
		if got.Intent != tc.intent || got.Account != tc.account {
			t.Errorf("%q: intent %s account %v, want %s %v", tc.text, got.Intent, got.Account, tc.intent, tc.account)
		}
	}
}
