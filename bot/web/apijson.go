package web

import (
	"encoding"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mailhelp/mailhelp/bot"
)

// The API's answer is written by appendAskResponse rather than by
// encoding/json, whose reflection was a third of the API's own cost.
// The output is the same bytes encoding/json writes (HTML-safe, a
// newline at the end): apijson_test.go compares both on every answer
// the handlers give, on values with every field set, and on fuzzed
// strings. When the types are not the shape appendAskResponse was
// written for (a field added, renamed, retagged, or a marshaler added),
// answerShapeKnown is false and encoding/json writes the answer, so a
// change to bot.Reply is never silently dropped; a test fails until
// this file follows.

// answerShape is, for each type of an answer, its fields' names and
// JSON tags, as appendAskResponse writes them.
var answerShape = []struct {
	t      reflect.Type
	fields string
}{
	{reflect.TypeFor[askResponse](), "Intent:intent Symptom:symptom,omitempty Reply:reply Permalink:permalink,omitempty " +
		"Check:check,omitempty Discovery:discovery,omitempty"},
	{reflect.TypeFor[bot.Reply](), "Intent:intent Lang:lang Code:code,omitempty Title:title Intro:intro,omitempty " +
		"Steps:steps,omitempty Settings:settings,omitempty Notes:notes,omitempty Links:links,omitempty " +
		"Actions:actions,omitempty About:- RetryAfter:- Check:- Discovery:- Announcement:-"},
	{reflect.TypeFor[bot.Step](), "Text:text Fields:fields,omitempty"},
	{reflect.TypeFor[bot.Field](), "Label:label Value:value,omitempty Placeholder:placeholder,omitempty Hint:hint,omitempty"},
	{reflect.TypeFor[bot.SettingGroup](), "Title:title Fields:fields Folded:folded,omitempty"},
	{reflect.TypeFor[bot.Note](), "Severity:severity Text:text"},
	{reflect.TypeFor[bot.Link](), "Label:label URL:url"},
	{reflect.TypeFor[bot.Action](), "Kind:kind Label:label Phrase:phrase Target:target,omitempty Symptom:symptom,omitempty"},
	{reflect.TypeFor[bot.Intent](), ""},
	{reflect.TypeFor[bot.Severity](), ""},
	{reflect.TypeFor[bot.ActionKind](), ""},
}

// answerShapeKnown reports whether the answer's types are the shape
// appendAskResponse was written for.
var answerShapeKnown = shapeKnown()

func shapeKnown() bool {
	marshaler := reflect.TypeFor[json.Marshaler]()
	textMarshaler := reflect.TypeFor[encoding.TextMarshaler]()
	marshals := func(t reflect.Type) bool {
		return t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler) ||
			t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler)
	}
	for _, s := range answerShape {
		if marshals(s.t) {
			return false
		}
		if s.t.Kind() != reflect.Struct {
			if s.t.Kind() != reflect.String {
				return false
			}
			continue
		}
		var fields []string
		for i := range s.t.NumField() {
			f := s.t.Field(i)
			if f.Anonymous {
				return false
			}
			if f.IsExported() && f.Tag.Get("json") != "-" {
				// A field's own type could marshal itself, and a list
				// of pointers or interfaces hold nils encoding/json
				// writes as null: the hand-written encoder knows neither.
				if marshals(f.Type) {
					return false
				}
				if k := f.Type.Kind(); k == reflect.Slice || k == reflect.Array {
					if e := f.Type.Elem(); e.Kind() == reflect.Pointer || e.Kind() == reflect.Interface || marshals(e) {
						return false
					}
				}
			}
			if f.IsExported() {
				fields = append(fields, f.Name+":"+f.Tag.Get("json"))
			}
		}
		if strings.Join(fields, " ") != s.fields {
			return false
		}
	}
	return true
}

// jsonBuffers are the buffers answers are written in.
var jsonBuffers = sync.Pool{New: func() any { return &jsonWriter{b: make([]byte, 0, 8<<10)} }}

// writeAnswer writes an answer of the API, with status 200: what
// writeJSON writes.
func writeAnswer(w http.ResponseWriter, resp *askResponse) {
	if !answerShapeKnown || resp.Check != nil || resp.Discovery != nil {
		// A check's report is rare and slow anyway.
		writeJSON(w, http.StatusOK, resp)
		return
	}
	b := jsonBuffers.Get().(*jsonWriter)
	b.b = b.b[:0]
	appendAskResponse(b, resp)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The whole answer is known: its length spares chunked encoding.
	w.Header().Set("Content-Length", strconv.Itoa(len(b.b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.b)
	if cap(b.b) <= 64<<10 {
		jsonBuffers.Put(b)
	}
}

// appendAskResponse writes r as encoding/json's Encoder with HTML
// escaping does, newline included; r has no Check nor Discovery.
func appendAskResponse(b *jsonWriter, r *askResponse) {
	b.str(`{"intent":`)
	jsonString(b, string(r.Intent))
	if r.Symptom != "" {
		b.str(`,"symptom":`)
		jsonString(b, r.Symptom)
	}
	b.str(`,"reply":`)
	if r.Reply == nil {
		b.str("null")
	} else {
		appendReply(b, r.Reply)
	}
	if r.Permalink != "" {
		b.str(`,"permalink":`)
		jsonString(b, r.Permalink)
	}
	b.str("}\n")
}

func appendReply(b *jsonWriter, r *bot.Reply) {
	b.str(`{"intent":`)
	jsonString(b, string(r.Intent))
	b.str(`,"lang":`)
	jsonString(b, r.Lang)
	if r.Code != "" {
		b.str(`,"code":`)
		jsonString(b, r.Code)
	}
	b.str(`,"title":`)
	jsonString(b, r.Title)
	if r.Intro != "" {
		b.str(`,"intro":`)
		jsonString(b, r.Intro)
	}
	if len(r.Steps) > 0 {
		b.str(`,"steps":[`)
		for i, s := range r.Steps {
			comma(b, i)
			b.str(`{"text":`)
			jsonString(b, s.Text)
			if len(s.Fields) > 0 {
				b.str(`,"fields":`)
				appendFields(b, s.Fields)
			}
			b.byte('}')
		}
		b.byte(']')
	}
	if len(r.Settings) > 0 {
		b.str(`,"settings":[`)
		for i, g := range r.Settings {
			comma(b, i)
			b.str(`{"title":`)
			jsonString(b, g.Title)
			b.str(`,"fields":`)
			appendFields(b, g.Fields)
			if g.Folded {
				b.str(`,"folded":true`)
			}
			b.byte('}')
		}
		b.byte(']')
	}
	if len(r.Notes) > 0 {
		b.str(`,"notes":[`)
		for i, n := range r.Notes {
			comma(b, i)
			b.str(`{"severity":`)
			jsonString(b, string(n.Severity))
			b.str(`,"text":`)
			jsonString(b, n.Text)
			b.byte('}')
		}
		b.byte(']')
	}
	if len(r.Links) > 0 {
		b.str(`,"links":[`)
		for i, l := range r.Links {
			comma(b, i)
			b.str(`{"label":`)
			jsonString(b, l.Label)
			b.str(`,"url":`)
			jsonString(b, l.URL)
			b.byte('}')
		}
		b.byte(']')
	}
	if len(r.Actions) > 0 {
		b.str(`,"actions":[`)
		for i, a := range r.Actions {
			comma(b, i)
			b.str(`{"kind":`)
			jsonString(b, string(a.Kind))
			b.str(`,"label":`)
			jsonString(b, a.Label)
			b.str(`,"phrase":`)
			jsonString(b, a.Phrase)
			if a.Target != "" {
				b.str(`,"target":`)
				jsonString(b, a.Target)
			}
			if a.Symptom != "" {
				b.str(`,"symptom":`)
				jsonString(b, a.Symptom)
			}
			b.byte('}')
		}
		b.byte(']')
	}
	b.byte('}')
}

// appendFields writes fields; nil is null, as encoding/json writes a
// nil slice without omitempty.
func appendFields(b *jsonWriter, fields []bot.Field) {
	if fields == nil {
		b.str("null")
		return
	}
	b.byte('[')
	for i, f := range fields {
		comma(b, i)
		b.str(`{"label":`)
		jsonString(b, f.Label)
		if f.Value != "" {
			b.str(`,"value":`)
			jsonString(b, f.Value)
		}
		if f.Placeholder {
			b.str(`,"placeholder":true`)
		}
		if f.Hint != "" {
			b.str(`,"hint":`)
			jsonString(b, f.Hint)
		}
		b.byte('}')
	}
	b.byte(']')
}

func comma(b *jsonWriter, i int) {
	if i > 0 {
		b.byte(',')
	}
}

// jsonSafe are the bytes a JSON string holds as they are when they
// stand for themselves (encoding/json's htmlSafeSet): printable ASCII,
// but not quote, backslash, <, > nor &. Bytes of 0x80 and over are not
// in it: they start or continue a multi-byte character, looked at one
// character at a time.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// jsonString writes s as a JSON string exactly as encoding/json does
// with HTML escaping (its appendString): quote and backslash escaped,
// \b \f \n \r \t by name, other control characters and < > & as \u00XX,
// invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped.
//
// It is one pass: runs of safe ASCII are skipped eight bytes at a time,
// then a byte at a time, and only non-ASCII characters are decoded,
// which tells invalid UTF-8 apart on the way.
func jsonString(b *jsonWriter, s string) {
	const hex = "0123456789abcdef"
	b.byte('"')
	start, i := 0, 0
	for i < len(s) {
		i += jsonSafeRun(s[i:])
		for i < len(s) && jsonSafe[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b.str(s[start:i])
			switch c {
			case '\\', '"':
				b.byte('\\')
				b.byte(c)
			case '\b':
				b.str(`\b`)
			case '\f':
				b.str(`\f`)
			case '\n':
				b.str(`\n`)
			case '\r':
				b.str(`\r`)
			case '\t':
				b.str(`\t`)
			default:
				b.str(`\u00`)
				b.byte(hex[c>>4])
				b.byte(hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.str(s[start:i])
			b.str(`\ufffd`)
		case r == '\u2028' || r == '\u2029':
			b.str(s[start:i])
			b.str(`\u202`)
			b.byte(hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b.str(s[start:])
	b.byte('"')
}

// jsonSafeRun is how many bytes at the start of s, a multiple of eight,
// are all jsonSafe, looked at eight at a time: the table's entries of
// the eight bytes, and-ed, are true only when all are (faster than a
// test of each byte, or than testing the eight as one word).
func jsonSafeRun(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		if jsonSafeBit[w[0]]&jsonSafeBit[w[1]]&jsonSafeBit[w[2]]&jsonSafeBit[w[3]]&
			jsonSafeBit[w[4]]&jsonSafeBit[w[5]]&jsonSafeBit[w[6]]&jsonSafeBit[w[7]] == 0 {
			break
		}
	}
	return i
}

// jsonSafeBit is jsonSafe as 1 and 0.
var jsonSafeBit = func() (t [256]uint8) {
	for c, ok := range jsonSafe {
		if ok {
			t[c] = 1
		}
	}
	return t
}()

// jsonWriter is the buffer answers are written in: appends, which cost
// less than bytes.Buffer's writes, a few times per string.
type jsonWriter struct{ b []byte }

func (w *jsonWriter) str(s string) { w.b = append(w.b, s...) }

func (w *jsonWriter) byte(c byte) { w.b = append(w.b, c) }
