package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/probe"
)

// TestAnswerShapeKnown: the answer's types are the shape
// appendAskResponse writes. When this fails, a field of bot.Reply (or of
// what it holds) was added, renamed or retagged: make appendAskResponse
// write it, then update answerShape. Until then encoding/json writes the
// answers, so nothing is lost.
func TestAnswerShapeKnown(t *testing.T) {
	if !answerShapeKnown {
		t.Fatal("the types of an API answer changed: update appendAskResponse and answerShape (apijson.go)")
	}
}

// sameJSON fails when appendAskResponse does not write what
// encoding/json's Encoder writes for r.
func sameJSON(t testing.TB, what string, r *askResponse) {
	t.Helper()
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	var got jsonWriter
	appendAskResponse(&got, r)
	if string(got.b) != want.String() {
		g, w, i := string(got.b), want.String(), 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Errorf("%s: differs from encoding/json at byte %d:\ngot  …%.200q\nwant …%.200q", what, i, g[max(0, i-40):], w[max(0, i-40):])
	}
}

// TestAnswerJSONSameAsEncodingJSON: every answer the handlers give, in
// every language, is written as encoding/json wrote it.
func TestAnswerJSONSameAsEncodingJSON(t *testing.T) {
	s, cat, _ := pagesServer(t, "https://help.domaine.com")
	ctx := context.Background()
	n := 0
	check := func(what string, reply *bot.Reply) {
		n++
		sameJSON(t, what, &askResponse{Intent: reply.Intent, Symptom: reply.About.Symptom, Reply: reply,
			Permalink: bot.Permalink("https://help.domaine.com", reply)})
	}
	for _, c := range s.opts.Router.Clients() {
		for _, lang := range cat.Languages() {
			for _, form := range []bot.Form{
				{Intent: bot.IntentConfigure, Client: string(c.ID), Target: "alice@domaine.com", Kind: bot.TargetAddress},
				{Intent: bot.IntentConfigure, Client: string(c.ID), Target: "domaine.com", Kind: bot.TargetHost},
				{Intent: bot.IntentConfigure, Client: string(c.ID)},
			} {
				check(string(c.ID)+"/"+lang, s.opts.Router.Serve(ctx, &bot.Request{Form: &form, ForceLang: lang, Platform: "web"}))
			}
		}
	}
	for _, text := range []string{"help", "my mail does not arrive on alice@domaine.com", "ports", "bonjour",
		strings.Repeat("x", 5000), "configure <script> for \"a\"@domaine.com", "Comment configurer mon BlackBerry pour alice@domaine.com ?"} {
		for _, lang := range append([]string{""}, cat.Languages()...) {
			check(text+"/"+lang, s.opts.Router.Serve(ctx, &bot.Request{Text: text, ForceLang: lang, Platform: "web"}))
		}
	}
	if n < 50 {
		t.Errorf("only %d answers", n)
	}
}

// filled sets every exported field of v, recursively, to a value that is
// not its zero value: strings hold s and their own path, booleans are
// true, slices have two elements.
func filled(v reflect.Value, s, path string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s + path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(len(path)))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			filled(v.Index(i), s, path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
				filled(v.Field(i), s, path+"."+f.Name)
			}
		}
	}
}

// TestAnswerJSONEveryField: answers with every field set, none set, and
// empty lists are written as encoding/json writes them.
func TestAnswerJSONEveryField(t *testing.T) {
	for _, s := range hostile {
		var r askResponse
		filled(reflect.ValueOf(&r).Elem(), s, "")
		r.Reply = &bot.Reply{}
		sameJSON(t, "zero reply "+s, &r)
		filled(reflect.ValueOf(r.Reply).Elem(), s, "reply")
		sameJSON(t, "full "+s, &r)
		r.Reply.Settings[0].Fields, r.Reply.Settings[1].Fields = nil, []bot.Field{}
		r.Reply.Steps[0].Fields, r.Reply.Steps[1].Fields = nil, []bot.Field{}
		r.Reply.Notes, r.Reply.Links = []bot.Note{}, nil
		sameJSON(t, "empty lists "+s, &r)
	}
	sameJSON(t, "empty", &askResponse{})
}

// FuzzAnswerJSON: whatever the strings, appendAskResponse writes what
// encoding/json writes.
func FuzzAnswerJSON(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("\u2028\u2029\b\f\x7f\x1f\xed\xa0\x80\xf4\x90\x80\x80")
	f.Fuzz(func(t *testing.T, s string) {
		var r askResponse
		filled(reflect.ValueOf(&r).Elem(), s, "")
		r.Reply = &bot.Reply{}
		filled(reflect.ValueOf(r.Reply).Elem(), s, "")
		sameJSON(t, "fuzz", &r)
	})
}

// TestAnswerWithReportUsesEncodingJSON: an answer carrying a check's
// report is written by encoding/json, report included.
func TestAnswerWithReportUsesEncodingJSON(t *testing.T) {
	rec := httptest.NewRecorder()
	writeAnswer(rec, &askResponse{Intent: bot.IntentCheck, Reply: &bot.Reply{Intent: bot.IntentCheck}, Check: &probe.Report{Host: "bm.domaine.com"}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"check":{`) || !strings.Contains(rec.Body.String(), "bm.domaine.com") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// FuzzPlainObject: what plainObject reads, it reads as the token by
// token reader does.
func FuzzPlainObject(f *testing.F) {
	for _, s := range []string{`{"text":"configure BlackBerry for alice@domaine.com"}`, ` { "text" : "a" , "lang":"fr" } `,
		`{}`, `{"text":"a","text":"b"}`, `{"Text":"a"}`, `{"text":"a\u0062"}`, `{"account":true,"address":"a@b.c","password":"p"}`,
		`{"account":truex}`, `{"send":false}`, `{"text":1}`, `{"text":"a"} x`, `{"text":"a",}`, `{"text":"a"`, "{\"text\":\"\t\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fields := []string{"text", "lang", "address", "password", "account", "send"}
		got, ok := plainObject(data, fields)
		if !ok || !utf8.Valid(data) {
			return
		}
		want, err := tokenObject(data, fields)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: plainObject read %v, the token reader %v (%v)", data, got, want, err)
		}
	})
}

// TestJSONSafe8 tries every byte at every position among safe
// neighbours, against the byte table, through jsonSafeRun.
func TestJSONSafe8(t *testing.T) {
	for pos := range 8 {
		for b := range 256 {
			buf := []byte("abcdefgh")
			buf[pos] = byte(b)
			want := b < utf8.RuneSelf && jsonSafe[b]
			if got := jsonSafeRun(string(buf)) == 8; got != want {
				t.Errorf("byte %#x at %d: %v, want %v", b, pos, got, want)
			}
		}
	}
}
