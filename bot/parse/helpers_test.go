package parse

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	parserOnce sync.Once
	parser     *Parser
	parserErr  error
)

// testParser is a Parser over the vocabularies of locales/, read from
// disk so that this package's tests need not import locales.
func testParser(tb testing.TB) *Parser {
	tb.Helper()
	parserOnce.Do(func() {
		paths, err := filepath.Glob("../../locales/vocab.*.toml")
		if err != nil || len(paths) == 0 {
			parserErr = err
			if err == nil {
				parserErr = os.ErrNotExist
			}
			return
		}
		var vocabs []Vocabulary
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				parserErr = err
				return
			}
			lang := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "vocab."), ".toml")
			v, err := DecodeVocabulary(lang, data)
			if err != nil {
				parserErr = err
				return
			}
			vocabs = append(vocabs, v)
		}
		parser = New(vocabs...)
	})
	if parserErr != nil {
		tb.Fatalf("vocabularies: %v", parserErr)
	}
	return parser
}

// testLangs are the languages of the test parser.
func testLangs(tb testing.TB) []string {
	var out []string
	for _, l := range testParser(tb).langs {
		out = append(out, l.lang)
	}
	return out
}
