package bot

import "testing"

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"configure_en", "configure BlackBerry for alice@domaine.com"},
		{"configure_fr", "Bonjour, je voudrais configurer ma messagerie sur mon BlackBerry, mon adresse est élodie@domaine.com. Merci !"},
		{"slack_wrapped", "<@U024BE7LH> configure BlackBerry for <mailto:alice@domaine.com|alice@domaine.com>"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Parse(bc.text)
			}
		})
	}
}
