package locales

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// filler is a message whose only template actions are fields of the
// data ("Set up {{.Client}} for {{.Address}}"): every message of the
// language files is one. Filling it in is a copy of its text and
// values, where executing it as a text/template costs reflection and
// tens of allocations for each message of an answer.
type filler struct {
	// text alternates literal text and field names: text[0], the field
	// fields[0], text[1], … text[len(fields)].
	text   []string
	fields []string
	size   int // bytes of literal text
}

// newFiller compiles a message, or reports false when it uses anything
// but {{.Field}} actions (spaces, pipelines, functions, trim markers):
// such a message is left to go-i18n.
func newFiller(msg string) (*filler, bool) {
	f := &filler{}
	for {
		i := strings.Index(msg, "{{")
		if i < 0 {
			f.text = append(f.text, msg)
			f.size += len(msg)
			return f, true
		}
		end := strings.Index(msg[i:], "}}")
		if end < 0 {
			return nil, false
		}
		name, ok := strings.CutPrefix(msg[i+2:i+end], ".")
		if !ok || !isIdentifier(name) {
			return nil, false
		}
		f.text = append(f.text, msg[:i])
		f.size += i
		f.fields = append(f.fields, name)
		msg = msg[i+end+2:]
	}
}

// isIdentifier reports whether s is a Go identifier of ASCII letters,
// digits and underscores, as a template field name is.
func isIdentifier(s string) bool {
	if s == "" || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// fill returns the message with data's values, or false when a field is
// missing or is neither a string nor an int: text/template prints those
// in its own ways ("<no value>", fmt's verbs), so go-i18n does it.
func (f *filler) fill(data map[string]any) (string, bool) {
	return f.fillCount(data, nil)
}

// fillCount is fill with the field Count, when count is not nil, set to
// *count whatever data holds.
func (f *filler) fillCount(data map[string]any, count *int) (string, bool) {
	n := f.size
	for _, name := range f.fields {
		if count != nil && name == "Count" {
			n += 20 // the longest int64
			continue
		}
		switch v := data[name].(type) {
		case string:
			n += len(v)
		case int:
			n += 20
		default:
			return "", false
		}
	}
	var b strings.Builder
	b.Grow(n)
	var digits [24]byte
	for i, name := range f.fields {
		b.WriteString(f.text[i])
		if count != nil && name == "Count" {
			b.Write(strconv.AppendInt(digits[:0], int64(*count), 10))
			continue
		}
		switch v := data[name].(type) {
		case string:
			b.WriteString(v)
		case int:
			b.Write(strconv.AppendInt(digits[:0], int64(v), 10))
		}
	}
	b.WriteString(f.text[len(f.fields)])
	return b.String(), true
}

// fieldNames are the fields a message's forms use, once each, or false
// when a form uses anything but {{.Field}} actions: such a message is
// left to go-i18n whole, since a form filled in once with markers
// would keep the branch or the value of that first time.
func fieldNames(forms ...string) ([]string, bool) {
	var names []string
	for _, form := range forms {
		f, ok := newFiller(form)
		if !ok {
			return nil, false
		}
		for _, n := range f.fields {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	return names, true
}

// maxCachedCount bounds the counts whose plural form is kept filled-in
// ready: counts in answers are steps, days, addresses, languages.
const maxCachedCount = 1000

// marker sets a field's name apart in a form go-i18n filled in with
// markers; messages never hold a NUL.
const marker = "\x00"

// plurals keeps, for each plural message and count, the form go-i18n
// picks, as a filler: go-i18n's plural rules are used once per message
// and count, not re-implemented.
type plurals struct {
	mu sync.RWMutex
	m  map[pluralKey]*filler
}

type pluralKey struct {
	id    string
	count int
}

// form returns the filler of message id for count, asking go-i18n the
// first time with each field's value a marker; false when go-i18n cannot
// give it, or the count is outside the cached range.
func (p *plurals) form(l *i18n.Localizer, id string, count int, fields []string) (*filler, bool) {
	if count < 0 || count >= maxCachedCount {
		return nil, false
	}
	key := pluralKey{id, count}
	p.mu.RLock()
	f, ok := p.m[key]
	p.mu.RUnlock()
	if ok {
		return f, f != nil
	}
	data := make(map[string]any, len(fields)+1)
	for _, n := range fields {
		data[n] = marker + n + marker
	}
	data["Count"] = marker + "Count" + marker
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err == nil {
		f = fromMarked(s, fields)
	}
	p.mu.Lock()
	if p.m == nil {
		p.m = make(map[pluralKey]*filler)
	}
	p.m[key] = f
	p.mu.Unlock()
	return f, f != nil
}

// fromMarked compiles a message filled in with markers, or returns nil
// when the markers do not pair up around the names of fields or Count.
func fromMarked(s string, fields []string) *filler {
	parts := strings.Split(s, marker)
	if len(parts)%2 == 0 {
		return nil
	}
	f := &filler{}
	for i, p := range parts {
		if i%2 == 0 {
			f.text = append(f.text, p)
			f.size += len(p)
		} else {
			if p != "Count" && !slices.Contains(fields, p) {
				return nil
			}
			f.fields = append(f.fields, p)
		}
	}
	return f
}
