package parse

import (
	"testing"

	"github.com/mailhelp/mailhelp/bot"
)

// TestDiscoveryIntent: an admin's "check autoconfig for domaine.com", in
// each language, asks for a discovery check of the domain; naming
// autoconfig without a target or a check word does not.
func TestDiscoveryIntent(t *testing.T) {
	p := testParser(t)
	tests := []struct {
		text, lang, host, address string
		intent                    bot.Intent
	}{
		{"check autoconfig for domaine.com", "en", "domaine.com", "", bot.IntentDiscovery},
		{"check the SRV records of domaine.com", "en", "domaine.com", "", bot.IntentDiscovery},
		{"autodiscover is not working for alice@domaine.com", "en", "", "alice@domaine.com", bot.IntentDiscovery},
		{"vérifie l'autoconfiguration de domaine.com", "fr", "domaine.com", "", bot.IntentDiscovery},
		{"prüfe die Autokonfiguration für domaine.com", "de", "domaine.com", "", bot.IntentDiscovery},
		{"comprueba la autoconfiguración de domaine.com", "es", "domaine.com", "", bot.IntentDiscovery},
		{"autodiscover does not work for domaine.com", "en", "domaine.com", "", bot.IntentDiscovery},
		{"check alice@domaine.com", "en", "", "alice@domaine.com", bot.IntentCheck},
		// A person setting a device up "with autoconfig" wants the guide.
		{"set up thunderbird autoconfig for alice@domaine.com", "en", "", "alice@domaine.com", bot.IntentConfigure},
		{"configure outlook with autodiscover for alice@domaine.com", "en", "", "alice@domaine.com", bot.IntentConfigure},
		{"autoconfig", "en", "", "", bot.IntentUnknown},
		{"my Thunderbird autoconfig shows a certificate error", "en", "", "", bot.IntentTroubleshoot},
	}
	for _, tc := range tests {
		got := p.Parse(tc.text)
		if got.Intent != tc.intent || got.Host != tc.host || got.Address.Username() != tc.address {
			t.Errorf("%q: intent %s host %q address %q; want %s %q %q", tc.text, got.Intent, got.Host, got.Address.Username(), tc.intent, tc.host, tc.address)
		}
		if tc.intent == bot.IntentDiscovery && got.Lang != tc.lang {
			t.Errorf("%q: language %q, want %q", tc.text, got.Lang, tc.lang)
		}
	}
}
