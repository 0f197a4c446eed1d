// Package locales holds everything a language needs, as files named by
// the language's tag and embedded in the binary: its messages
// (active.<lang>.toml, and one guide-<client>.<lang>.toml per device
// guide: go-i18n message files) and the parser's words
// (vocab.<lang>.toml, see parse.Vocabulary). The list of languages is
// discovered from the active message files: adding a language is adding
// files.
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/parse"
)

//go:embed active.*.toml vocab.*.toml guide-*.toml
var files embed.FS

// Files are the embedded language files.
func Files() fs.FS { return files }

// Catalog holds every message of every language, and the parser's
// vocabularies. It is read-only after Load and safe for concurrent use.
type Catalog struct {
	langs  bot.Languages
	locs   map[string]*Localizer
	ids    map[string][]string // language -> sorted message IDs
	vocabs []parse.Vocabulary
}

// Load reads the embedded language files.
func Load() (*Catalog, error) { return LoadFS(files) }

// LoadFS reads the language files at the root of fsys: one language per
// active.<lang>.toml, English (the fallback) required, and its
// vocab.<lang>.toml if there is one.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	langs, err := discover(fsys)
	if err != nil {
		return nil, err
	}
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{langs: langs, locs: make(map[string]*Localizer), ids: make(map[string][]string)}
	for _, lang := range langs {
		names, err := MessageFiles(fsys, lang)
		if err != nil {
			return nil, err
		}
		static := make(map[string]string)
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("locales: %w", err)
			}
			mf, err := b.ParseMessageFileBytes(data, name)
			if err != nil {
				return nil, fmt.Errorf("locales: %s: %w", name, err)
			}
			for _, m := range mf.Messages {
				c.ids[lang] = append(c.ids[lang], m.ID)
				// Messages without template actions or plural forms are
				// resolved once here: most of a guide is such text.
				if !strings.Contains(m.Other, "{{") && m.One == "" && m.Zero == "" && m.Two == "" && m.Few == "" && m.Many == "" {
					static[m.ID] = m.Other
				}
			}
		}
		slices.Sort(c.ids[lang])
		c.locs[lang] = &Localizer{lang: lang, l: i18n.NewLocalizer(b, lang), static: static}

		vname := "vocab." + lang + ".toml"
		vdata, err := fs.ReadFile(fsys, vname)
		if err != nil {
			continue // a language may be answered in before it is recognised
		}
		v, err := parse.DecodeVocabulary(lang, vdata)
		if err != nil {
			return nil, fmt.Errorf("locales: %s: %w", vname, err)
		}
		c.vocabs = append(c.vocabs, v)
	}
	return c, nil
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
func (c *Catalog) Vocabularies() []parse.Vocabulary { return slices.Clone(c.vocabs) }

// Parser returns a parser that understands every language of the
// catalogue that has a vocabulary.
func (c *Catalog) Parser() *parse.Parser { return parse.New(c.vocabs...) }

// For returns the Localizer of lang, or of English when lang is not one
// of the catalogue's languages.
func (c *Catalog) For(lang string) bot.Localizer {
	if l, ok := c.locs[lang]; ok {
		return l
	}
	return c.locs[bot.LangEnglish]
}

// Name is a language's name in itself ("Deutsch"), for switches.
func (c *Catalog) Name(lang string) string { return c.For(lang).Text("lang.name", nil) }

// MessageIDs returns the sorted message IDs of a language.
func (c *Catalog) MessageIDs(lang string) []string {
	return slices.Clone(c.ids[lang])
}

// Localizer translates message IDs into one language. A missing message
// comes out as its ID, which the key-parity test prevents from shipping.
type Localizer struct {
	lang   string
	l      *i18n.Localizer
	static map[string]string
}

var _ bot.Localizer = (*Localizer)(nil)

// Lang returns the localizer's language.
func (l *Localizer) Lang() string { return l.lang }

// Text returns message id filled with data.
func (l *Localizer) Text(id string, data map[string]any) string {
	if s, ok := l.static[id]; ok {
		return s
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
	d := make(map[string]any, len(data)+1)
	for k, v := range data {
		d[k] = v
	}
	d["Count"] = count
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: count})
	if err != nil && s == "" {
		return id
	}
	// A message without plural forms comes back with an error and its
	// one form: that is what the caller wants.
	return s
}

// Tags lists the languages of the embedded message files, English first,
// without reading them: what a configuration may name.
func Tags() []string {
	langs, err := discover(files)
	if err != nil {
		return []string{bot.LangEnglish}
	}
	return langs
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
