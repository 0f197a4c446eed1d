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
		{"check my mailbox alice@domaine.com", bot.IntentCheck, true},
		{"tester mon compte alice@domaine.com", bot.IntentCheck, true},
		{"mein Konto testen alice@domaine.com", bot.IntentCheck, true},
		{"probar mi cuenta alice@domaine.com", bot.IntentCheck, true},
		{"test my account", bot.IntentCheck, true},
		{"check alice@domaine.com", bot.IntentCheck, false},
		{"configure my iPhone, then test my account alice@domaine.com", bot.IntentConfigure, true},
		// Ordinary questions that name "my account" keep their intent.
		{"what ports does my account use", bot.IntentPorts, false},
		{"quels ports pour mon compte", bot.IntentPorts, false},
		{"welche Ports für mein Konto", bot.IntentPorts, false},
		{"qué puertos usa mi cuenta", bot.IntentPorts, false},
		{"thanks, my account works now", bot.IntentThanks, false},
		{"merci, mon compte marche", bot.IntentThanks, false},
		{"help with my account", bot.IntentHelp, false},
		{"my account alice@domaine.com", bot.IntentConfigure, false},
		{"how do I set up my account", bot.IntentConfigure, false},
		{"I can send and receive now, thanks", bot.IntentPorts, false},
	}
	for _, text := range []string{"my account is locked", "mon compte est bloqué", "mein Konto ist gesperrt", "mi cuenta está bloqueada",
		"I forgot the password of my account"} {
		if got := p.Parse(text); got.Account {
			t.Errorf("%q: taken as the account test (%s)", text, got.Intent)
		}
	}
	for _, tc := range tests {
		got := p.Parse(tc.text)
		if got.Intent != tc.intent || got.Account != tc.account {
			t.Errorf("%q: intent %s account %v, want %s %v", tc.text, got.Intent, got.Account, tc.intent, tc.account)
		}
	}
}
