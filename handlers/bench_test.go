package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
)

// BenchmarkAnswer measures the whole path of one question: parse, route,
// handle (the BlackBerry 10 guide) and render as plain text.
func BenchmarkAnswer(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"en", "configure BlackBerry for alice@domaine.com"},
		{"fr", "Comment configurer mon BlackBerry pour alice@domaine.com ?"},
		{"de", "Wie richte ich mein BlackBerry für alice@domaine.com ein?"},
		{"es", "¿Cómo configuro mi BlackBerry para alice@domaine.com?"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := newRouter(b)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				reply := r.Serve(ctx, &bot.Request{Text: bc.text, Platform: "bench"})
				if len(render.Text(reply)) < 1000 {
					b.Fatal("short answer")
				}
			}
		})
	}
}

// BenchmarkBadInput measures the answer to hostile or absurd input; each
// must stay far below 50 ms.
func BenchmarkBadInput(b *testing.B) {
	var many strings.Builder
	for i := range 10000 {
		many.WriteString("u")
		many.WriteString(strings.Repeat("x", i%7))
		many.WriteString("@domaine.com ")
	}
	var binary []byte
	for i := range bot.MaxTextBytes {
		binary = append(binary, byte(i*31))
	}
	cases := []struct{ name, text string }{
		{"empty", ""},
		{"1MB", strings.Repeat("configure BlackBerry ", 1<<20/21)},
		{"10000_addresses", many.String()},
		{"4KB_of_addresses", many.String()[:bot.MaxTextBytes]},
		{"4KB_binary", string(binary)},
		{"4KB_bidi", strings.Repeat("\u202e\u2066a@b.c ", bot.MaxTextBytes/14)},
		{"4KB_markup", strings.Repeat("<", bot.MaxTextBytes)},
		{"4KB_at_signs", strings.Repeat("a@", bot.MaxTextBytes/2)},
	}
	r := newRouter(b)
	ctx := context.Background()
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = render.Text(r.Serve(ctx, &bot.Request{Text: bc.text, Platform: "bench"}))
			}
		})
	}
}
