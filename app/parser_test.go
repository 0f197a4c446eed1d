package app

import (
	"context"
	"reflect"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/parse"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
)

// TestLazyParserForms: the parser without vocabulary, which reads forms
// until a text is read, reads every form as the full parser does; if
// parse.Parser's forms ever need the vocabularies, this fails.
func TestLazyParserForms(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	full, bare := cat.Parser(), parse.New()
	if !reflect.DeepEqual(full.Clients(), bare.Clients()) {
		t.Errorf("clients differ:\n%v\n%v", full.Clients(), bare.Clients())
	}
	clients := []string{"", "nokia", "Thunderbird", "BlackBerry 10"}
	for _, c := range knowledge.Clients() {
		clients = append(clients, string(c.ID), c.Name)
		for _, a := range c.Aliases {
			clients = append(clients, string(a))
		}
	}
	symptoms := []string{"", "unsupported", "nope"}
	for _, s := range knowledge.Symptoms {
		symptoms = append(symptoms, string(s))
	}
	targets := []string{"", "alice@domaine.com", " Alice@Domaine.com ", "bm.domaine.com", "BM.DOMAINE.COM", "10.0.0.1", "::1",
		"not a target", "thunderbird", "iphone.domaine.com", "a@b@c", "alice@", "@domaine.com", "http://bm.domaine.com/",
		"bm.domaine.com:993", "xn--bcher-kva.example", "bücher.example", "alice@bücher.example", "localhost", "a.b"}
	var forms []bot.Form
	for _, intent := range []bot.Intent{bot.IntentCheck, bot.IntentConfigure, bot.IntentPorts, bot.IntentTroubleshoot,
		bot.IntentDiscovery, bot.IntentAnnounce, bot.IntentHelp} {
		for _, kind := range []bot.TargetKind{bot.TargetAny, bot.TargetAddress, bot.TargetHost} {
			for _, target := range targets {
				forms = append(forms, bot.Form{Intent: intent, Kind: kind, Target: target})
			}
		}
	}
	for _, client := range clients {
		for _, symptom := range symptoms {
			forms = append(forms, bot.Form{Intent: bot.IntentTroubleshoot, Target: "alice@domaine.com", Client: client, Symptom: symptom})
		}
	}
	for _, f := range forms {
		want, wantErr := full.Form(f)
		got, gotErr := bare.Form(f)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
			t.Errorf("%+v: without vocabulary %+v, %v; with %+v, %v", f, got, gotErr, want, wantErr)
		}
	}
}

// TestLazyParser: with Options.Lazy, a check from the command line
// builds no vocabulary; the first text read builds the parser, which
// then reads the forms too. Without, New builds it.
func TestLazyParser(t *testing.T) {
	cat, err := locales.LoadLazy()
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(mustConfig(t, "audit:\n  file: off\ndomains:\n  - domain: domaine.com\n    host: bm.domaine.com\n"),
		Options{Logger: quiet(), Catalog: cat, Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if r, err := a.Check(context.Background(), CheckRequest{Target: "not a target"}); err != nil || r.Code != bot.CodeBadTarget {
		t.Fatalf("check: %+v, %v", r, err)
	}
	if a.parser.built.Load() {
		t.Error("a check from the command line built the parser")
	}
	r := a.Answerer().Serve(context.Background(), &bot.Request{Text: "which ports for alice@domaine.com", Platform: "cli"})
	if r.Intent != bot.IntentPorts || !a.parser.built.Load() {
		t.Errorf("text: intent %q, built %v", r.Intent, a.parser.built.Load())
	}
	if a.parser.forms() != a.parser.full() {
		t.Error("forms are not read by the full parser once it is built")
	}
	eager, err := New(mustConfig(t, "audit:\n  file: off\ndomains:\n  - domain: domaine.com\n    host: bm.domaine.com\n"),
		Options{Logger: quiet(), Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	defer eager.Close()
	if !eager.parser.built.Load() {
		t.Error("without Lazy, New did not build the parser")
	}
}
