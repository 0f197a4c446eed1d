package parse

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// Vocabulary is one language's words for the parser, as written in its
// locales/vocab.<lang>.toml file. Words are compared folded (lowercase,
// without accents), so files write them as people type them. An entry of
// several words matches them in a row.
type Vocabulary struct {
	// Lang is the language's tag ("de"); it comes from the file name.
	Lang string `toml:"-"`
	// Language tells the language apart and recognises requests for it.
	Language struct {
		// Words are clear signs that a text is in this language.
		Words []string `toml:"words"`
		// Letters are characters only this language's texts use.
		Letters string `toml:"letters"`
		// Names name this language, in any language ("german", "allemand").
		Names []string `toml:"names"`
		// Before are words that, before a language's name, ask for it
		// ("auf" in "auf Deutsch").
		Before []string `toml:"before"`
		// After are words that, after a language's name, ask for it
		// ("bitte" in "Deutsch bitte").
		After []string `toml:"after"`
	} `toml:"language"`
	// Intents are the words that signal each intent.
	Intents struct {
		Check     []string `toml:"check"`
		Problem   []string `toml:"problem"`
		Ports     []string `toml:"ports"`
		Outgoing  []string `toml:"outgoing"`
		Incoming  []string `toml:"incoming"`
		Configure []string `toml:"configure"`
		Clients   []string `toml:"clients"`
		Help      []string `toml:"help"`
		Announce  []string `toml:"announce"`
		Public    []string `toml:"public"`
	} `toml:"intents"`
}

// DecodeVocabulary reads a vocabulary file of language lang. Unknown keys
// are errors, so a misspelt list does not silently do nothing.
func DecodeVocabulary(lang string, data []byte) (Vocabulary, error) {
	var v Vocabulary
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&v)
	if err != nil {
		return Vocabulary{}, fmt.Errorf("vocabulary %s: %w", lang, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return Vocabulary{}, fmt.Errorf("vocabulary %s: unknown keys %s", lang, strings.Join(keys, ", "))
	}
	v.Lang = lang
	return v, nil
}

// wordList is a compiled list of entries: single words in a set, entries
// of several words as phrases.
type wordList struct {
	single  map[string]bool
	phrases [][]string
}

func (l *wordList) add(entries []string) {
	if l.single == nil {
		l.single = make(map[string]bool)
	}
	for _, e := range entries {
		ws := words(fold(e))
		switch len(ws) {
		case 0:
		case 1:
			l.single[ws[0]] = true
		default:
			l.phrases = append(l.phrases, ws)
		}
	}
}

// at reports whether an entry starts at ws[i].
func (l *wordList) at(ws []string, i int) bool {
	if l.single[ws[i]] {
		return true
	}
	for _, p := range l.phrases {
		if hasPrefixWords(ws[i:], p) {
			return true
		}
	}
	return false
}

// any reports whether an entry occurs anywhere in ws.
func (l *wordList) any(ws []string) bool {
	for i := range ws {
		if l.at(ws, i) {
			return true
		}
	}
	return false
}
