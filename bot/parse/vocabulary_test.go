package parse

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeVocabularyRefusals: a vocabulary that does not say what the
// parser reads is an error that names the place, never a silent gap.
func TestDecodeVocabularyRefusals(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"a misspelt list", "[intents]\nchek = [\"check\"]\n", "unknown keys intents.chek"},
		{"a misspelt table", "[intent]\ncheck = [\"check\"]\n", "unknown keys intent"},
		{"two unknown keys", "[language]\nword = []\n[intents]\nchek = []\n", "unknown keys language.word, intents.chek"},
		{"a number for a word", "[intents]\ncheck = [1]\n", "vocabulary xx: "},
		{"broken TOML", "[intents]\ncheck = [\"check\"\n", "line 2"},
		{"not a symptom", "[symptoms]\nnope = [\"x\"]\n", "symptoms.nope is not a symptom"},
		{"unsupported is no symptom", "[symptoms]\nunsupported = [\"x\"]\n", "symptoms.unsupported is not a symptom"},
		{"not a topic", "[unsupported]\nnope = [\"x\"]\n", "unsupported.nope is not a topic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeVocabulary("xx", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "vocabulary xx: ") {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestDecodeVocabulary reads what a file says into the fields the parser
// uses, and the language from the caller.
func TestDecodeVocabulary(t *testing.T) {
	v, err := DecodeVocabulary("xx", []byte(`
[language]
words = ["hello", "world"]
letters = "ß"
names = ["xxish"]
before = ["in"]
after = ["please"]

[intents]
check = ["check", "test it"]
followup = ["and … for"]

[symptoms]
auth_failed = ["wrong password"]

[unsupported]
pop3 = ["pop"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if v.Lang != "xx" || strings.Join(v.Language.Words, ",") != "hello,world" || v.Language.Letters != "ß" ||
		v.Language.Names[0] != "xxish" || v.Language.Before[0] != "in" || v.Language.After[0] != "please" ||
		strings.Join(v.Intents.Check, ",") != "check,test it" || v.Intents.Followup[0] != "and … for" ||
		v.Symptoms["auth_failed"][0] != "wrong password" || v.Unsupported["pop3"][0] != "pop" {
		t.Errorf("decoded %+v", v)
	}
}

// TestWordListAdd: a list compiles to what compiling each entry word by
// word gives (the plain-word shortcut and the folding of the text
// between gaps at once change nothing), for every entry of locales/ and
// a few made to be awkward.
func TestWordListAdd(t *testing.T) {
	entries := []string{"", " ", "…", "... x", "x …", "a … … b", "a…b", "a ...b", "wi-fi", "Port", "été",
		"a  b", "ok2", "Œuvre Straße", "don’t work", "n\u00e3o\u0303 recebe", "\u0301a b", "x\u3000…\u3000y"}
	for _, v := range testVocabularies(t) {
		l := v.Language
		entries = append(entries, l.Words...)
		entries = append(entries, l.Names...)
		entries = append(entries, l.Before...)
		entries = append(entries, l.After...)
		in := v.Intents
		for _, list := range [][]string{in.Check, in.Problem, in.Ports, in.Outgoing, in.Incoming, in.Configure,
			in.Clients, in.Help, in.Announce, in.Discovery, in.Account, in.Public, in.Thanks, in.Followup} {
			entries = append(entries, list...)
		}
		for _, list := range v.Symptoms {
			entries = append(entries, list...)
		}
		for _, list := range v.Unsupported {
			entries = append(entries, list...)
		}
	}
	var got wordList
	got.add(entries)
	want := wordList{single: map[string]bool{}, phrases: map[string][][]string{}}
	for _, e := range entries {
		var ws []string
		for _, tok := range strings.Fields(e) {
			if tok == "…" || tok == "..." {
				if len(ws) > 0 && ws[len(ws)-1] != gap {
					ws = append(ws, gap)
				}
				continue
			}
			ws = append(ws, words(fold(tok))...)
		}
		for len(ws) > 0 && ws[len(ws)-1] == gap {
			ws = ws[:len(ws)-1]
		}
		switch len(ws) {
		case 0:
		case 1:
			want.single[ws[0]] = true
		default:
			want.phrases[ws[0]] = append(want.phrases[ws[0]], ws)
		}
	}
	if !reflect.DeepEqual(got.single, want.single) {
		t.Errorf("single words differ:\ngot  %v\nwant %v", got.single, want.single)
	}
	if !reflect.DeepEqual(got.phrases, want.phrases) {
		t.Errorf("phrases differ:\ngot  %q\nwant %q", got.phrases, want.phrases)
	}
	if len(want.single) < 100 || len(want.phrases) < 10 {
		t.Errorf("%d words and %d phrases: the vocabularies were not read", len(want.single), len(want.phrases))
	}
}

// testVocabularies are the vocabularies of locales/.
func testVocabularies(tb testing.TB) []Vocabulary {
	tb.Helper()
	var vocabs []Vocabulary
	for _, lang := range []string{"de", "en", "es", "fr"} {
		data, err := os.ReadFile("../../locales/vocab." + lang + ".toml")
		if err != nil {
			tb.Fatal(err)
		}
		v, err := DecodeVocabulary(lang, data)
		if err != nil {
			tb.Fatal(err)
		}
		vocabs = append(vocabs, v)
	}
	return vocabs
}

// BenchmarkNew builds the parser of every vocabulary of locales/, as a
// command's start does.
func BenchmarkNew(b *testing.B) {
	vocabs := testVocabularies(b)
	b.ReportAllocs()
	for b.Loop() {
		New(vocabs...)
	}
}

// BenchmarkDecodeVocabulary decodes every vocabulary of locales/, as a
// command's start does.
func BenchmarkDecodeVocabulary(b *testing.B) {
	var files [][]byte
	for _, lang := range []string{"de", "en", "es", "fr"} {
		data, err := os.ReadFile("../../locales/vocab." + lang + ".toml")
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			if _, err := DecodeVocabulary("xx", data); err != nil {
				b.Fatal(err)
			}
		}
	}
}
