// Package locales holds everything a language needs, as files named by
// the language's tag and embedded in the binary: its messages
// (active.<lang>.toml, and one guide-<client>.<lang>.toml per device
// guide: go-i18n message files) and the parser's words
// (vocab.<lang>.toml, see parse.Vocabulary). The list of languages is
// discovered from the active message files: adding a language is adding
// files.
package locales

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/parse"
)

//go:embed active.*.toml vocab.*.toml guide-*.toml
var files embed.FS

// Files are the embedded language files.
func Files() fs.FS { return files }

// Catalog holds every message of every language, and the parser's
// vocabularies. A language's message files are parsed when the language
// is first used (see LoadLazy), or all at once by Load and LoadFS; either
// way a Catalog is safe for concurrent use.
type Catalog struct {
	fsys  fs.FS
	langs bot.Languages
	// data has an entry for each of langs, made by open: the map itself
	// is never written after.
	data  map[string]*langData
	vocab struct {
		once   sync.Once
		vocabs []parse.Vocabulary
		err    error
	}
}

// langData is one language's messages, parsed once.
type langData struct {
	once sync.Once
	loc  *Localizer
	// templated are the messages the language's bundle holds: English's
	// are the other languages' fallback.
	templated []*i18n.Message
	ids       []string // in no order
	err       error
}

// Load reads and checks every embedded language file.
func Load() (*Catalog, error) { return LoadFS(files) }

// LoadFS reads and checks the language files at the root of fsys: one
// language per active.<lang>.toml, English (the fallback) required, and
// its vocab.<lang>.toml if there is one. Any file that does not parse is
// an error here.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	c, err := open(fsys)
	if err != nil {
		return nil, err
	}
	for _, lang := range c.langs {
		if _, err := c.load(lang); err != nil {
			return nil, err
		}
	}
	if _, err := c.vocabularies(); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadLazy returns the catalogue of the embedded language files without
// parsing them: each language's messages are parsed when it is first
// used, the vocabularies when the parser is first asked for. It is for
// one-shot commands, which use one language. The embedded files are
// checked by this package's tests and by Load; should one fail to parse
// all the same, its language answers in English (or, for English, with
// message IDs) and a broken vocabulary is left out of the parser.
func LoadLazy() (*Catalog, error) { return open(files) }

// embeddedLangs are the languages of the embedded files, discovered
// once: every command asks (Tags, for its flags; LoadLazy).
var embeddedLangs = sync.OnceValues(func() (bot.Languages, error) { return discover(files) })

// open discovers the languages of fsys and parses nothing.
func open(fsys fs.FS) (*Catalog, error) {
	var langs bot.Languages
	var err error
	if fsys == fs.FS(files) {
		langs, err = embeddedLangs()
	} else {
		langs, err = discover(fsys)
	}
	if err != nil {
		return nil, err
	}
	c := &Catalog{fsys: fsys, langs: langs, data: make(map[string]*langData, len(langs))}
	for _, lang := range langs {
		c.data[lang] = &langData{}
	}
	return c, nil
}

// load parses lang's message files the first time it is called for lang,
// and returns them, or why they could not be parsed. lang is one of
// c.langs.
func (c *Catalog) load(lang string) (*langData, error) {
	d := c.data[lang]
	d.once.Do(func() { d.err = c.parseLang(lang, d) })
	return d, d.err
}

// parseLang parses the message files of lang into a bundle of its own:
// its messages, over English's for the messages it lacks.
func (c *Catalog) parseLang(lang string, d *langData) error {
	b := i18n.NewBundle(language.English)
	var fallback map[string]string
	if lang != bot.LangEnglish {
		en, err := c.load(bot.LangEnglish)
		if err != nil {
			return err
		}
		if err := b.AddMessages(language.English, en.templated...); err != nil {
			return fmt.Errorf("locales: %w", err)
		}
		fallback = en.loc.static
	}
	names, err := MessageFiles(c.fsys, lang)
	if err != nil {
		return err
	}
	contents := make([][]byte, len(names))
	lines := 0
	for i, name := range names {
		if contents[i], err = fs.ReadFile(c.fsys, name); err != nil {
			return fmt.Errorf("locales: %w", err)
		}
		lines += bytes.Count(contents[i], []byte("\n\"")) // about one a message
	}
	tag := language.Make(lang)
	static := make(map[string]string, lines)
	fillers, plural := make(map[string]*filler), make(map[string][]string)
	d.ids = make([]string, 0, lines)
	for i, name := range names {
		data := contents[i]
		msgs, err := parseMessageFile(data)
		if err == errNotSimple {
			var mf *i18n.MessageFile
			if mf, err = i18n.ParseMessageFileBytes(data, name, map[string]i18n.UnmarshalFunc{"toml": unmarshalTOML}); err == nil {
				msgs = mf.Messages
			}
		}
		if err != nil {
			return fmt.Errorf("locales: %s: %w", name, err)
		}
		templated := make([]*i18n.Message, 0, len(msgs)/4)
		for _, m := range msgs {
			d.ids = append(d.ids, m.ID)
			// Messages without template actions or plural forms are
			// resolved once here: most of a guide is such text. Only
			// the others go to go-i18n, and the empty ones, which it
			// tells apart.
			if m.LeftDelim == "" && m.RightDelim == "" && !strings.Contains(m.Other, "{{") &&
				m.One == "" && m.Zero == "" && m.Two == "" && m.Few == "" && m.Many == "" {
				static[m.ID] = m.Other
				if m.Other != "" {
					continue
				}
			}
			templated = append(templated, m)
			// Messages whose only actions are {{.Field}} are filled in
			// without text/template; plural ones once per count.
			if m.LeftDelim == "" && m.RightDelim == "" {
				switch {
				case m.One != "" || m.Zero != "" || m.Two != "" || m.Few != "" || m.Many != "":
					if names, ok := fieldNames(m.Zero, m.One, m.Two, m.Few, m.Many, m.Other); ok {
						plural[m.ID] = names
					}
				default:
					if f, ok := newFiller(m.Other); ok {
						fillers[m.ID] = f
					}
				}
			}
		}
		if err := b.AddMessages(tag, templated...); err != nil {
			return fmt.Errorf("locales: %s: %w", name, err)
		}
		d.templated = append(d.templated, templated...)
	}
	d.loc = &Localizer{lang: lang, l: i18n.NewLocalizer(b, lang), static: static, fallback: fallback,
		fillers: fillers, plural: plural}
	return nil
}

// errNotSimple is parseMessageFile's word for a file that go-i18n must
// read.
var errNotSimple = errors.New("locales: not a file of messages and plural forms")

// parseMessageFile reads the messages of a file made of what the
// language files hold, IDs each with a text or with plural forms, as
// go-i18n would; go-i18n's own reading allocates several times a message
// to find that out. It returns errNotSimple for anything else (nested
// IDs, a file that is one message, keys both reserved and not), which
// go-i18n then reads.
func parseMessageFile(data []byte) ([]*i18n.Message, error) {
	var raw map[string]any
	if err := unmarshalTOML(data, &raw); err != nil {
		return nil, err
	}
	msgs := make([]*i18n.Message, 0, len(raw))
	for id, v := range raw {
		if reservedKey(id, v) {
			return nil, errNotSimple // the file itself may be a message
		}
		switch v := v.(type) {
		case string:
			msgs = append(msgs, &i18n.Message{ID: id, Other: v})
		case map[string]any:
			if len(v) == 0 {
				return nil, errNotSimple // no message, for go-i18n
			}
			for k, kv := range v {
				if !reservedKey(k, kv) {
					return nil, errNotSimple
				}
			}
			m, err := i18n.NewMessage(v)
			if err != nil {
				return nil, err
			}
			if m.ID == "" {
				m.ID = id
			}
			msgs = append(msgs, m)
		default:
			return nil, errNotSimple
		}
	}
	return msgs, nil
}

// reservedKey reports whether go-i18n reads key, with value v, as a
// field of a message rather than as (part of) an ID.
func reservedKey(key string, v any) bool {
	switch strings.ToLower(key) {
	case "id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other", "translation":
		if key == "translation" {
			return true
		}
		_, ok := v.(string)
		return ok
	}
	return false
}

// unmarshalTOML decodes a message file for go-i18n, saying where a
// syntax error is.
func unmarshalTOML(data []byte, v any) error {
	err := toml.Unmarshal(data, v)
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return fmt.Errorf("line %d, column %d: %w", row, col, err)
	}
	return err
}

// vocabularies parses the vocabulary files the first time it is called:
// vocab.<lang>.toml of each language that has one.
func (c *Catalog) vocabularies() ([]parse.Vocabulary, error) {
	v := &c.vocab
	v.once.Do(func() {
		for _, lang := range c.langs {
			vname := "vocab." + lang + ".toml"
			vdata, err := fs.ReadFile(c.fsys, vname)
			if err != nil {
				continue // a language may be answered in before it is recognised
			}
			voc, err := parse.DecodeVocabulary(lang, vdata)
			if err != nil {
				v.err = errors.Join(v.err, fmt.Errorf("locales: %s: %w", vname, err))
				continue
			}
			v.vocabs = append(v.vocabs, voc)
		}
	})
	return v.vocabs, v.err
}

// discover lists the languages of the message files, English first, then
// by tag.
func discover(fsys fs.FS) (bot.Languages, error) {
	names, err := fs.Glob(fsys, "active.*.toml")
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	var langs bot.Languages
	for _, n := range names {
		tag := strings.TrimSuffix(strings.TrimPrefix(path.Base(n), "active."), ".toml")
		if _, err := language.Parse(tag); err != nil || tag != strings.ToLower(tag) || strings.ContainsAny(tag, "-_") {
			return nil, fmt.Errorf("locales: %s: want a lowercase language tag such as de or es", n)
		}
		if tag != bot.LangEnglish {
			langs = append(langs, tag)
		}
	}
	if !slices.Contains(names, "active."+bot.LangEnglish+".toml") {
		return nil, fmt.Errorf("locales: active.%s.toml, the fallback language, is missing", bot.LangEnglish)
	}
	slices.Sort(langs)
	return append(bot.Languages{bot.LangEnglish}, langs...), nil
}

// Languages lists the languages there are messages for, English first.
func (c *Catalog) Languages() bot.Languages { return slices.Clone(c.langs) }

// Vocabularies are the parser's words of every language that has them.
func (c *Catalog) Vocabularies() []parse.Vocabulary {
	vocabs, _ := c.vocabularies()
	return slices.Clone(vocabs)
}

// Parser returns a parser that understands every language of the
// catalogue that has a vocabulary.
func (c *Catalog) Parser() *parse.Parser {
	vocabs, _ := c.vocabularies()
	return parse.New(vocabs...)
}

// For returns the Localizer of lang, or of English when lang is not one
// of the catalogue's languages.
func (c *Catalog) For(lang string) bot.Localizer {
	if _, ok := c.data[lang]; !ok {
		lang = bot.LangEnglish
	}
	if d, err := c.load(lang); err == nil {
		return d.loc
	}
	if d, err := c.load(bot.LangEnglish); err == nil {
		return d.loc
	}
	return &Localizer{lang: bot.LangEnglish} // every message comes out as its ID
}

// Name is a language's name in itself ("Deutsch"), for switches.
func (c *Catalog) Name(lang string) string { return c.For(lang).Text("lang.name", nil) }

// MessageIDs returns the sorted message IDs of a language.
func (c *Catalog) MessageIDs(lang string) []string {
	if _, ok := c.data[lang]; !ok {
		return nil
	}
	d, err := c.load(lang)
	if err != nil {
		return nil
	}
	ids := slices.Clone(d.ids)
	slices.Sort(ids)
	return ids
}

// Localizer translates message IDs into one language. A missing message
// comes out as its ID, which the key-parity test prevents from shipping.
type Localizer struct {
	lang string
	l    *i18n.Localizer // nil: no message at all
	// static are the messages without template actions nor plural
	// forms, which go-i18n is not given; fallback are English's, for
	// Plural, as go-i18n falls back to English for a message a language
	// lacks.
	static, fallback map[string]string
	// fillers are the messages with fields and one form, plural the
	// plural messages' fields, forms their forms by count.
	fillers map[string]*filler
	plural  map[string][]string
	forms   plurals
}

var _ bot.Localizer = (*Localizer)(nil)

// Lang returns the localizer's language.
func (l *Localizer) Lang() string { return l.lang }

// Text returns message id filled with data.
func (l *Localizer) Text(id string, data map[string]any) string {
	if s, ok := l.static[id]; ok {
		return s
	}
	if f, ok := l.fillers[id]; ok {
		if s, ok := f.fill(data); ok {
			return s
		}
	}
	if l.l == nil {
		return id
	}
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

// Plural returns the plural form of message id for count, with data's
// Count field set to count.
func (l *Localizer) Plural(id string, count int, data map[string]any) string {
	// A message without plural forms is its one text, whatever the
	// count: what go-i18n gives (with an error for most counts).
	if s := l.static[id]; s != "" {
		return s
	}
	if l.l == nil {
		return id
	}
	if fields, ok := l.plural[id]; ok {
		if f, ok := l.forms.form(l.l, id, count, fields); ok {
			if s, ok := f.fillCount(data, &count); ok {
				return s
			}
		}
	}
	d := make(map[string]any, len(data)+1)
	for k, v := range data {
		d[k] = v
	}
	d["Count"] = count
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: count})
	if err != nil && s == "" {
		if f := l.fallback[id]; f != "" {
			return f
		}
		return id
	}
	// A message without the count's plural form comes back with an
	// error and its other form: that is what the caller wants.
	return s
}

// Tags lists the languages of the embedded message files, English first,
// without reading them: what a configuration may name.
func Tags() []string {
	langs, err := embeddedLangs()
	if err != nil {
		return []string{bot.LangEnglish}
	}
	return slices.Clone(langs)
}

// MessageFiles are the message files of a language in fsys: its active
// file, then its guides' files.
func MessageFiles(fsys fs.FS, lang string) ([]string, error) {
	guides, err := fs.Glob(fsys, "guide-*."+lang+".toml")
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	slices.Sort(guides)
	return append([]string{"active." + lang + ".toml"}, guides...), nil
}
