package web

import (
	"bytes"
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
var jsonBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 8<<10)) }}

// writeAnswer writes an answer of the API, with status 200: what
// writeJSON writes.
func writeAnswer(w http.ResponseWriter, resp *askResponse) {
	if !answerShapeKnown || resp.Check != nil || resp.Discovery != nil {
		// A check's report is rare and slow anyway.
		writeJSON(w, http.StatusOK, resp)
		return
	}
	b := jsonBuffers.Get().(*bytes.Buffer)
	b.Reset()
	appendAskResponse(b, resp)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The whole answer is known: its length spares chunked encoding.
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
	if b.Cap() <= 64<<10 {
		jsonBuffers.Put(b)
	}
}

// appendAskResponse writes r as encoding/json's Encoder with HTML
// escaping does, newline included; r has no Check nor Discovery.
func appendAskResponse(b *bytes.Buffer, r *askResponse) {
	b.WriteString(`{"intent":`)
	jsonString(b, string(r.Intent))
	if r.Symptom != "" {
		b.WriteString(`,"symptom":`)
		jsonString(b, r.Symptom)
	}
	b.WriteString(`,"reply":`)
	if r.Reply == nil {
		b.WriteString("null")
	} else {
		appendReply(b, r.Reply)
	}
	if r.Permalink != "" {
		b.WriteString(`,"permalink":`)
		jsonString(b, r.Permalink)
	}
	b.WriteString("}\n")
}

func appendReply(b *bytes.Buffer, r *bot.Reply) {
	b.WriteString(`{"intent":`)
	jsonString(b, string(r.Intent))
	b.WriteString(`,"lang":`)
	jsonString(b, r.Lang)
	if r.Code != "" {
		b.WriteString(`,"code":`)
		jsonString(b, r.Code)
	}
	b.WriteString(`,"title":`)
	jsonString(b, r.Title)
	if r.Intro != "" {
		b.WriteString(`,"intro":`)
		jsonString(b, r.Intro)
	}
	if len(r.Steps) > 0 {
		b.WriteString(`,"steps":[`)
		for i, s := range r.Steps {
			comma(b, i)
			b.WriteString(`{"text":`)
			jsonString(b, s.Text)
			if len(s.Fields) > 0 {
				b.WriteString(`,"fields":`)
				appendFields(b, s.Fields)
			}
			b.WriteByte('}')
		}
		b.WriteByte(']')
	}
	if len(r.Settings) > 0 {
		b.WriteString(`,"settings":[`)
		for i, g := range r.Settings {
			comma(b, i)
			b.WriteString(`{"title":`)
			jsonString(b, g.Title)
			b.WriteString(`,"fields":`)
			appendFields(b, g.Fields)
			if g.Folded {
				b.WriteString(`,"folded":true`)
			}
			b.WriteByte('}')
		}
		b.WriteByte(']')
	}
	if len(r.Notes) > 0 {
		b.WriteString(`,"notes":[`)
		for i, n := range r.Notes {
			comma(b, i)
			b.WriteString(`{"severity":`)
			jsonString(b, string(n.Severity))
			b.WriteString(`,"text":`)
			jsonString(b, n.Text)
			b.WriteByte('}')
		}
		b.WriteByte(']')
	}
	if len(r.Links) > 0 {
		b.WriteString(`,"links":[`)
		for i, l := range r.Links {
			comma(b, i)
			b.WriteString(`{"label":`)
			jsonString(b, l.Label)
			b.WriteString(`,"url":`)
			jsonString(b, l.URL)
			b.WriteByte('}')
		}
		b.WriteByte(']')
	}
	if len(r.Actions) > 0 {
		b.WriteString(`,"actions":[`)
		for i, a := range r.Actions {
			comma(b, i)
			b.WriteString(`{"kind":`)
			jsonString(b, string(a.Kind))
			b.WriteString(`,"label":`)
			jsonString(b, a.Label)
			b.WriteString(`,"phrase":`)
			jsonString(b, a.Phrase)
			if a.Target != "" {
				b.WriteString(`,"target":`)
				jsonString(b, a.Target)
			}
			if a.Symptom != "" {
				b.WriteString(`,"symptom":`)
				jsonString(b, a.Symptom)
			}
			b.WriteByte('}')
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
}

// appendFields writes fields; nil is null, as encoding/json writes a
// nil slice without omitempty.
func appendFields(b *bytes.Buffer, fields []bot.Field) {
	if fields == nil {
		b.WriteString("null")
		return
	}
	b.WriteByte('[')
	for i, f := range fields {
		comma(b, i)
		b.WriteString(`{"label":`)
		jsonString(b, f.Label)
		if f.Value != "" {
			b.WriteString(`,"value":`)
			jsonString(b, f.Value)
		}
		if f.Placeholder {
			b.WriteString(`,"placeholder":true`)
		}
		if f.Hint != "" {
			b.WriteString(`,"hint":`)
			jsonString(b, f.Hint)
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
}

func comma(b *bytes.Buffer, i int) {
	if i > 0 {
		b.WriteByte(',')
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
func jsonString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
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
			b.WriteString(s[start:i])
			switch c {
			case '\\', '"':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
		case r == '\u2028' || r == '\u2029':
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// jsonSafeRun is how many bytes at the start of s, a multiple of eight,
// are all jsonSafe, looked at eight at a time as one word (jsonSafe8).
func jsonSafeRun(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if !jsonSafe8(x) {
			break
		}
	}
	return i
}

// jsonSafe8 reports whether the 8 bytes of x are all ASCII that JSON
// strings keep as they are (jsonSafe): a byte of 0x80 or more, or below
// 0x20, sets its top bit in x|(x-0x20s); a byte equal to c is a zero
// byte of x^c, which (v-1)&^v marks. A borrow only starts at a byte that
// already set its bit.
func jsonSafe8(x uint64) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	q, bs, lt, gt, amp := x^('"'*ones), x^('\\'*ones), x^('<'*ones), x^('>'*ones), x^('&'*ones)
	bad := x | (x - 0x20*ones) | (q-ones)&^q | (bs-ones)&^bs | (lt-ones)&^lt | (gt-ones)&^gt | (amp-ones)&^amp
	return bad&highs == 0
}
