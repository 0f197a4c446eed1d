// Package locales holds mailhelp's messages in every language it answers
// in, as go-i18n message files embedded in the binary, and gives the
// bot.Localizer of each language.
package locales

import (
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/mailhelp/mailhelp/bot"
)

//go:embed active.*.toml
var files embed.FS

// Languages are the languages mailhelp answers in, the fallback first.
var Languages = []string{bot.LangEnglish, bot.LangFrench}

// Catalog holds every message of every language. It is read-only after
// Load and safe for concurrent use.
type Catalog struct {
	bundle *i18n.Bundle
	locs   map[string]*Localizer
	ids    map[string][]string // language -> sorted message IDs
}

// Load parses the embedded message files.
func Load() (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{bundle: b, locs: make(map[string]*Localizer), ids: make(map[string][]string)}
	static := make(map[string]map[string]string)
	for _, lang := range Languages {
		path := "active." + lang + ".toml"
		mf, err := b.LoadMessageFileFS(files, path)
		if err != nil {
			return nil, fmt.Errorf("locales: %s: %w", path, err)
		}
		static[lang] = make(map[string]string)
		for _, m := range mf.Messages {
			c.ids[lang] = append(c.ids[lang], m.ID)
			// Messages without template actions or plural forms are
			// resolved once here: most of a guide is such text.
			if !strings.Contains(m.Other, "{{") && m.One == "" && m.Zero == "" && m.Two == "" && m.Few == "" && m.Many == "" {
				static[lang][m.ID] = m.Other
			}
		}
		sort.Strings(c.ids[lang])
	}
	for _, lang := range Languages {
		c.locs[lang] = &Localizer{
			lang:   lang,
			l:      i18n.NewLocalizer(b, lang),
			static: static[lang],
		}
	}
	return c, nil
}

// For returns the Localizer of lang, or of English when lang is not one
// of Languages.
func (c *Catalog) For(lang string) bot.Localizer {
	if l, ok := c.locs[lang]; ok {
		return l
	}
	return c.locs[bot.LangEnglish]
}

// MessageIDs returns the sorted message IDs of a language.
func (c *Catalog) MessageIDs(lang string) []string {
	return append([]string(nil), c.ids[lang]...)
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
