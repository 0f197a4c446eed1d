package parse

import (
	"testing"

	"github.com/mailhelp/mailhelp/bot"
)

// BenchmarkParse parses the same two requests in each language: a short
// one as people type it in chat, and a long polite one. Languages are
// compared on the same request (the target: French within 1.5×
// English).
//
//	go test ./bot/parse -run XXX -bench BenchmarkParse -benchmem
func BenchmarkParse(b *testing.B) {
	p := testParser(b)
	for _, bc := range []struct{ name, text string }{
		{"short_en", "How do I set up my BlackBerry for alice@domaine.com?"},
		{"short_fr", "Comment configurer mon BlackBerry pour alice@domaine.com ?"},
		{"short_de", "Wie richte ich mein BlackBerry für alice@domaine.com ein?"},
		{"short_es", "¿Cómo configuro mi BlackBerry para alice@domaine.com?"},
		{"polite_en", "Hello, I would like to set up my email on my BlackBerry, my address is élodie@domaine.com. Thank you!"},
		{"polite_fr", "Bonjour, je voudrais configurer ma messagerie sur mon BlackBerry, mon adresse est élodie@domaine.com. Merci !"},
		{"polite_de", "Hallo, ich möchte meine E-Mail auf meinem BlackBerry einrichten, meine Adresse ist élodie@domaine.com. Danke!"},
		{"polite_es", "Hola, quisiera configurar mi correo en mi BlackBerry, mi dirección es élodie@domaine.com. ¡Gracias!"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// The same answer in every language, or the comparison is void.
			if got := p.Parse(bc.text); got.Intent != bot.IntentConfigure || got.Client != "blackberry10" || got.Address.IsZero() {
				b.Fatalf("Parse(%q) = %+v", bc.text, got)
			}
			b.ReportAllocs()
			for b.Loop() {
				p.Parse(bc.text)
			}
		})
	}
}
