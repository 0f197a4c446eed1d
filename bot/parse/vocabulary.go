package parse

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"

	"github.com/mailhelp/mailhelp/knowledge"
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
		Discovery []string `toml:"discovery"`
		Account   []string `toml:"account"`
		Public    []string `toml:"public"`
		Thanks    []string `toml:"thanks"`
		Followup  []string `toml:"followup"`
	} `toml:"intents"`
	// Symptoms are the phrases of each problem people bring, by symptom
	// code (knowledge.Symptom, all but "unsupported").
	Symptoms map[string][]string `toml:"symptoms"`
	// Unsupported are the phrases of each topic mailhelp does not cover,
	// by topic (knowledge.Topic).
	Unsupported map[string][]string `toml:"unsupported"`
}

// DecodeVocabulary reads a vocabulary file of language lang. Unknown keys
// are errors, so a misspelt list does not silently do nothing.
func DecodeVocabulary(lang string, data []byte) (Vocabulary, error) {
	var v Vocabulary
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		var missing *toml.StrictMissingError
		if errors.As(err, &missing) {
			keys := make([]string, len(missing.Errors))
			for i, e := range missing.Errors {
				keys[i] = strings.Join(e.Key(), ".")
			}
			return Vocabulary{}, fmt.Errorf("vocabulary %s: unknown keys %s", lang, strings.Join(keys, ", "))
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return Vocabulary{}, fmt.Errorf("vocabulary %s: line %d, column %d: %w", lang, row, col, err)
		}
		return Vocabulary{}, fmt.Errorf("vocabulary %s: %w", lang, err)
	}
	for k := range v.Symptoms {
		if s := knowledge.Symptom(k); !s.Valid() || s == knowledge.SymptomUnsupported {
			return Vocabulary{}, fmt.Errorf("vocabulary %s: symptoms.%s is not a symptom", lang, k)
		}
	}
	for k := range v.Unsupported {
		if !slices.Contains(knowledge.Topics, knowledge.Topic(k)) {
			return Vocabulary{}, fmt.Errorf("vocabulary %s: unsupported.%s is not a topic", lang, k)
		}
	}
	v.Lang = lang
	return v, nil
}

// wordList is a compiled list of entries: single words in a set, entries
// of several words as phrases by their first word. The parser's index
// (index.go) is built from the lists and answers for all of them at once.
type wordList struct {
	single  map[string]bool
	phrases map[string][][]string
}

// gap, in a compiled phrase, lets up to maxGap words stand between its
// neighbours; files write it "…".
const (
	gap    = ""
	maxGap = 3
)

// add compiles entries into the list.
func (l *wordList) add(entries []string) {
	if l.single == nil {
		l.single = make(map[string]bool, len(entries))
		l.phrases = make(map[string][][]string)
	}
	var scratch []string
	for _, e := range entries {
		if plainWord(e) {
			// Already folded, and one word: most entries are.
			l.single[e] = true
			continue
		}
		ws := entryWords(scratch[:0], e)
		scratch = ws
		switch len(ws) {
		case 0:
		case 1:
			l.single[ws[0]] = true
		default:
			l.phrases[ws[0]] = append(l.phrases[ws[0]], slices.Clone(ws))
		}
	}
}

// entryWords appends to ws the words of an entry, folded, with a gap for
// each run of "…" (or "...") standing as a word of its own between two
// words. A word already folded is taken as it is.
func entryWords(ws []string, e string) []string {
	for i := 0; i < len(e); {
		start, end := nextField(e, i)
		if start == end {
			break
		}
		i = end
		switch tok := e[start:end]; {
		case tok == "…" || tok == "...":
			if len(ws) > 0 && ws[len(ws)-1] != gap {
				ws = append(ws, gap)
			}
		case plainWord(tok):
			ws = append(ws, tok)
		default:
			ws = append(ws, words(fold(tok))...)
		}
	}
	for len(ws) > 0 && ws[len(ws)-1] == gap {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// nextField returns the bounds of the first run of non-space characters
// of s at or after i, as strings.Fields splits; start == end when there
// is none.
func nextField(s string, i int) (start, end int) {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	start = i
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return start, i
}

// plainWord reports whether s is one word of lowercase ASCII letters
// and digits: its own folded form, and its only word.
func plainWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// matchPhrase reports whether ws starts with phrase, whose gaps may skip
// up to maxGap words each.
func matchPhrase(ws, phrase []string) bool {
	if len(phrase) == 0 {
		return true
	}
	if phrase[0] == gap {
		for skip := 0; skip <= maxGap && skip <= len(ws); skip++ {
			if matchPhrase(ws[skip:], phrase[1:]) {
				return true
			}
		}
		return false
	}
	return len(ws) > 0 && ws[0] == phrase[0] && matchPhrase(ws[1:], phrase[1:])
}
