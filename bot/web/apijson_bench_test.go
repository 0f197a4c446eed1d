package web

import (
	"context"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/locales"
)

// BenchmarkAnswerJSON measures writing the API's answer to "configure
// BlackBerry for alice@domaine.com" (English) and its French question,
// as the API writes it, without the network.
//
//	go test ./bot/web -run XXX -bench BenchmarkAnswerJSON -benchmem
func BenchmarkAnswerJSON(b *testing.B) {
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Default()
	if err != nil {
		b.Fatal(err)
	}
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), DefaultLang: "en"})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Translator: cat})
	for _, bc := range []struct{ name, text string }{
		{"en", "configure BlackBerry for alice@domaine.com"},
		{"fr", "Comment configurer mon BlackBerry pour alice@domaine.com ?"},
	} {
		reply := r.Serve(context.Background(), &bot.Request{Text: bc.text, Platform: "web"})
		resp := &askResponse{Intent: reply.Intent, Symptom: reply.About.Symptom, Reply: reply, Permalink: bot.Permalink("http://127.0.0.1:8080", reply)}
		var buf jsonWriter
		appendAskResponse(&buf, resp)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(buf.b)))
			b.ReportAllocs()
			for b.Loop() {
				buf.b = buf.b[:0]
				appendAskResponse(&buf, resp)
			}
		})
	}
}
