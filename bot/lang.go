package bot

import "strings"

// LangEnglish is the language of last resort: mailhelp's messages are
// written in it first, and every other language falls back to it.
const LangEnglish = "en"

// Languages are the languages mailhelp answers in, by tag ("en", "fr"),
// the fallback first. The list comes from the message files (see package
// locales), never from code: adding a language adds a file.
type Languages []string

// Has reports whether lang is one of the languages.
func (ls Languages) Has(lang string) bool {
	for _, l := range ls {
		if l == lang {
			return true
		}
	}
	return false
}

// Match maps a locale such as "fr-FR", "es_419" or "de" to one of the
// languages, or "" when it is none of them.
func (ls Languages) Match(locale string) string {
	l := strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	if ls.Has(l) {
		return l
	}
	return ""
}

// Others returns the languages other than lang, in order.
func (ls Languages) Others(lang string) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		if l != lang {
			out = append(out, l)
		}
	}
	return out
}

// Pick returns the first of locales that matches one of the languages,
// else the fallback language.
func (ls Languages) Pick(locales ...string) string {
	for _, l := range locales {
		if m := ls.Match(l); m != "" {
			return m
		}
	}
	return LangEnglish
}

// LangChoice is a language as a switch offers it: its tag, and its name
// in itself ("Deutsch").
type LangChoice struct {
	Lang, Name string
}

// LangSwitch is what an answer's language switch offers: the languages
// other than the answer's, and the switch's label in the answer's
// language, for platforms that show a menu rather than buttons.
type LangSwitch struct {
	Choices []LangChoice
	Label   string
}

// SwitchFor is the language switch under an answer in lang.
func SwitchFor(tr Translator, lang string) LangSwitch {
	others := tr.Languages().Others(lang)
	s := LangSwitch{Choices: make([]LangChoice, 0, len(others)), Label: tr.For(lang).Text("lang.other", nil)}
	for _, l := range others {
		s.Choices = append(s.Choices, LangChoice{Lang: l, Name: tr.For(l).Text("lang.name", nil)})
	}
	return s
}
