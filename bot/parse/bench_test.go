package parse

import "testing"

func BenchmarkParse(b *testing.B) {
	p := testParser(b)
	for _, bc := range []struct{ name, text string }{
		{"configure_en", "configure BlackBerry for alice@domaine.com"},
		{"configure_fr", "Bonjour, je voudrais configurer ma messagerie sur mon BlackBerry, mon adresse est élodie@domaine.com. Merci !"},
		{"configure_de", "Wie richte ich mein BlackBerry für alice@domaine.com ein?"},
		{"configure_es", "¿Cómo configuro mi BlackBerry para alice@domaine.com?"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Parse(bc.text)
			}
		})
	}
}
