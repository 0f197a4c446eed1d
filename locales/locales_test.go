package locales

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// rawMessages reads a language's message files as plain TOML, merged;
// an ID in two files is an error.
func rawMessages(t *testing.T, lang string) map[string]any {
	t.Helper()
	names, err := MessageFiles(files, lang)
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]any{}
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id, v := range m {
			if _, dup := all[id]; dup {
				t.Errorf("%s: %q is also in another file of %s", name, id, lang)
			}
			all[id] = v
		}
	}
	return all
}

// allLanguages are the languages of the embedded files.
func allLanguages(t *testing.T) bot.Languages {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Languages()
}

// TestKeyParity fails when a message exists in one language and not in
// another, or has plural forms in one and not in another.
func TestKeyParity(t *testing.T) {
	Languages := allLanguages(t)
	ref := rawMessages(t, Languages[0])
	for _, lang := range Languages[1:] {
		other := rawMessages(t, lang)
		for id, v := range ref {
			ov, ok := other[id]
			if !ok {
				t.Errorf("%s lacks %q", lang, id)
				continue
			}
			_, plural := v.(map[string]any)
			_, oplural := ov.(map[string]any)
			if plural != oplural {
				t.Errorf("%q is plural in one language only", id)
			}
		}
		for id := range other {
			if _, ok := ref[id]; !ok {
				t.Errorf("%s has %q, which %s lacks", lang, id, Languages[0])
			}
		}
	}
	for _, lang := range Languages {
		for id, v := range rawMessages(t, lang) {
			if forms, ok := v.(map[string]any); ok {
				if _, ok := forms["one"]; !ok {
					t.Errorf("%s %q: plural without a one form", lang, id)
				}
				if _, ok := forms["other"]; !ok {
					t.Errorf("%s %q: plural without an other form", lang, id)
				}
			}
		}
	}
}

var idPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

// codeLiterals returns every string literal of the module's non-test Go
// files.
func codeLiterals(t *testing.T) map[string]string {
	t.Helper()
	lits := make(map[string]string)
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					lits[s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lits
}

// TestMessagesUsed fails on a message no code refers to, and on an
// ID-shaped literal in the code that names no message.
func TestMessagesUsed(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ids := c.MessageIDs(bot.LangEnglish)
	lits := codeLiterals(t)
	// The symptoms' tables build some IDs ("ts.unsupported." + topic).
	for _, id := range knowledge.SymptomMessageIDs() {
		if _, ok := lits[id]; !ok {
			lits[id] = "knowledge.SymptomMessageIDs"
		}
	}
	namespaces := make(map[string]bool)
	for _, id := range ids {
		namespaces[strings.SplitN(id, ".", 2)[0]] = true
		if _, ok := lits[id]; !ok {
			t.Errorf("message %q is not used by any code", id)
		}
	}
	for lit, pos := range lits {
		if idPattern.MatchString(lit) && namespaces[strings.SplitN(lit, ".", 2)[0]] && !slices.Contains(ids, lit) {
			t.Errorf("%s: %q looks like a message ID but there is no such message", pos, lit)
		}
	}
	for _, id := range knowledge.SymptomMessageIDs() {
		if !slices.Contains(ids, id) {
			t.Errorf("the symptoms' tables use %q, which is not a message", id)
		}
	}
	for _, cl := range knowledge.Clients() {
		if cl.Guide == nil {
			continue
		}
		for _, id := range cl.Guide.MessageIDs() {
			if !slices.Contains(ids, id) {
				t.Errorf("guide of %s uses %q, which is not a message", cl.ID, id)
			}
		}
	}
}

func TestLocalizer(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, id string
		count    int
		data     map[string]any
		want     string
	}{
		{"en", "label.server", -1, nil, "Server"},
		{"fr", "label.server", -1, nil, "Serveur"},
		{"de", "label.server", -1, nil, "Server"},
		{"en", "phrase.check", -1, map[string]any{"Target": "alice@domaine.com"}, "check alice@domaine.com"},
		{"fr", "phrase.check", -1, map[string]any{"Target": "alice@domaine.com"}, "vérifie alice@domaine.com"},
		{"en", "configure.guide.intro", 1, nil, "1 step on the device. Have your mail password at hand."},
		{"en", "configure.guide.intro", 15, nil, "15 steps on the device, in order. Have your mail password at hand."},
		// French: 0 and 1 take the singular.
		{"fr", "configure.guide.intro", 0, nil, "0 étape sur l'appareil. Gardez votre mot de passe de messagerie sous la main."},
		{"fr", "configure.guide.intro", 2, nil, "2 étapes sur l'appareil, dans l'ordre. Gardez votre mot de passe de messagerie sous la main."},
		{"en", "no.such.message", -1, nil, "no.such.message"},
		// Plural of a message without plural forms gives its text.
		{"en", "label.server", 3, nil, "Server"},
		// Template data is data: actions inside it are not run.
		{"en", "phrase.check", -1, map[string]any{"Target": "{{.Target}}"}, "check {{.Target}}"},
	}
	for _, tc := range tests {
		t.Run(tc.lang+"/"+tc.id, func(t *testing.T) {
			l := c.For(tc.lang)
			var got string
			if tc.count >= 0 {
				got = l.Plural(tc.id, tc.count, tc.data)
			} else {
				got = l.Text(tc.id, tc.data)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLanguagesAreFiles: the languages are the message files; each has a
// vocabulary, a name in itself and Discord locales; and a catalogue built
// with one more file speaks one more language.
func TestLanguagesAreFiles(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Languages(), " "); got != "en de es fr" {
		t.Errorf("languages %q, want en first, then by tag", got)
	}
	if got := strings.Join(Tags(), " "); got != "en de es fr" {
		t.Errorf("tags %q", got)
	}
	names := map[string]bool{}
	for _, lang := range c.Languages() {
		if _, err := files.ReadFile("vocab." + lang + ".toml"); err != nil {
			t.Errorf("%s has no vocabulary: %v", lang, err)
		}
		name := c.Name(lang)
		if name == "lang.name" || names[name] {
			t.Errorf("%s: name %q missing or not unique", lang, name)
		}
		names[name] = true
		if strings.TrimSpace(c.For(lang).Text("lang.discord_locales", nil)) == "" {
			t.Errorf("%s has no Discord locale", lang)
		}
	}
	if len(c.Vocabularies()) != len(c.Languages()) {
		t.Errorf("%d vocabularies for %d languages", len(c.Vocabularies()), len(c.Languages()))
	}

	en, _ := files.ReadFile("active.en.toml")
	extra := fstest.MapFS{"active.it.toml": {Data: []byte(strings.Replace(string(en), `"lang.name" = "English"`, `"lang.name" = "Italiano"`, 1))}}
	for _, name := range []string{"active.en.toml", "active.fr.toml", "vocab.en.toml", "vocab.fr.toml"} {
		data, _ := files.ReadFile(name)
		extra[name] = &fstest.MapFile{Data: data}
	}
	c2, err := LoadFS(extra)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c2.Languages(), " "); got != "en fr it" {
		t.Errorf("with an Italian file: %q", got)
	}
	if c2.Name("it") != "Italiano" || c2.For("it").Lang() != "it" {
		t.Errorf("Italian: %q %q", c2.Name("it"), c2.For("it").Lang())
	}
	// A language without a vocabulary is answered in, not recognised.
	if got := c2.Parser().Parse("comment configurer mon BlackBerry").Lang; got != "fr" {
		t.Errorf("parser language %q", got)
	}
}

func TestLoadFSRefusals(t *testing.T) {
	en, _ := files.ReadFile("active.en.toml")
	tests := []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"no English", fstest.MapFS{"active.fr.toml": {Data: en}}, "fallback language"},
		{"a tag that is not one", fstest.MapFS{"active.en.toml": {Data: en}, "active.pt-BR.toml": {Data: en}}, "lowercase language tag"},
		{"a broken vocabulary", fstest.MapFS{"active.en.toml": {Data: en}, "vocab.en.toml": {Data: []byte("[intents]\nchek = [1]\n")}}, "vocab.en.toml"},
		{"a broken message file", fstest.MapFS{"active.en.toml": {Data: []byte("\"x\" = ")}}, "active.en.toml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := LoadFS(tc.fs); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestParseMessageFile: the messages read without go-i18n are the ones
// go-i18n reads, in every language file and in files made to take the
// other way (errNotSimple, then go-i18n).
func TestParseMessageFile(t *testing.T) {
	docs := map[string]string{
		"nested":      "[label]\nserver = \"Server\"\n",
		"one message": "other = \"x\"\n",
		"mixed":       "\"a\" = { other = \"x\", foo = \"y\" }\n",
		"empty table": "\"a\" = {}\n\"b\" = \"x\"\n",
		"translation": "\"a\" = { Translation = \"x\" }\n\"b\" = { translation = { one = \"1\", other = \"n\" } }\n",
		"with an id":  "\"a\" = { id = \"b\", other = \"x\", Description = \"d\", leftDelim = \"<<\", rightDelim = \">>\" }\n",
		"plural":      "\"a\" = { zero = \"0\", one = \"1\", two = \"2\", few = \"f\", many = \"m\", other = \"o\" }\n",
		"a number":    "\"a\" = 1\n",
		"empty":       "",
		"broken":      "\"x\" = ",
	}
	names, err := fs.Glob(files, "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	simple := 0
	for _, name := range names {
		if strings.HasPrefix(name, "vocab.") {
			continue
		}
		data, _ := files.ReadFile(name)
		docs[name] = string(data)
	}
	for name, doc := range docs {
		want, wantErr := i18n.ParseMessageFileBytes([]byte(doc), "x.en.toml", map[string]i18n.UnmarshalFunc{"toml": unmarshalTOML})
		got, err := parseMessageFile([]byte(doc))
		if err == errNotSimple {
			continue
		}
		if strings.HasSuffix(name, ".toml") {
			simple++
		}
		if (err == nil) != (wantErr == nil) {
			t.Errorf("%s: error %v, go-i18n's %v", name, err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		byID := func(a, b *i18n.Message) int { return strings.Compare(a.ID, b.ID) }
		slices.SortFunc(got, byID)
		slices.SortFunc(want.Messages, byID)
		if (len(got) > 0 || len(want.Messages) > 0) && !reflect.DeepEqual(got, want.Messages) {
			t.Errorf("%s: messages differ from go-i18n's", name)
		}
	}
	if simple != len(names)-4 {
		t.Errorf("%d language files read without go-i18n, want all %d", simple, len(names)-4)
	}
}

// BenchmarkLoad parses every language, as serve does at start.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadLazyEnglish is what a one-shot command in English parses:
// the English messages and every vocabulary.
func BenchmarkLoadLazyEnglish(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := LoadLazy()
		if err != nil {
			b.Fatal(err)
		}
		if c.For(bot.LangEnglish).Text("label.server", nil) != "Server" || len(c.Vocabularies()) != 4 {
			b.Fatal("not loaded")
		}
	}
}

// TestLocalizerAsGoI18n: every message of every language comes out of
// Text and Plural as it comes out of go-i18n given every file in one
// bundle (how the catalogue was built before it parsed languages on
// demand and kept plain messages to itself), and so does a message a
// language lacks: Plural falls back to English's, Text gives the ID.
func TestLocalizerAsGoI18n(t *testing.T) {
	fsys := fstest.MapFS{}
	names, _ := fs.Glob(files, "*.toml")
	for _, name := range names {
		data, _ := files.ReadFile(name)
		if name == "active.fr.toml" {
			// French without two messages: a plain one and a plural one.
			data = regexp.MustCompile(`(?m)^"(label\.server|configure\.guide\.intro)" = .*\n`).ReplaceAll(data, nil)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	c, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ref := i18n.NewBundle(language.English)
	ref.RegisterUnmarshalFunc("toml", unmarshalTOML)
	for _, lang := range c.Languages() {
		names, _ := MessageFiles(fsys, lang)
		for _, name := range names {
			if _, err := ref.ParseMessageFileBytes(fsys[name].Data, name); err != nil {
				t.Fatal(err)
			}
		}
	}
	data := map[string]any{"Target": "alice@domaine.com", "Address": "alice@domaine.com", "Client": "Thunderbird",
		"Host": "bm.domaine.com", "Max": 4000, "Domain": "domaine.com", "Port": 993, "Name": "x"}
	ids := append(c.MessageIDs(bot.LangEnglish), "no.such.message")
	for _, lang := range c.Languages() {
		loc, rl := c.For(lang), i18n.NewLocalizer(ref, lang)
		for _, id := range ids {
			want, err := rl.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
			if err != nil {
				want = id
			}
			if got := loc.Text(id, data); got != want {
				t.Errorf("%s Text(%s) = %q, want %q", lang, id, got, want)
			}
			for _, n := range []int{0, 1, 2, 5} {
				d := maps.Clone(data)
				d["Count"] = n
				want, err := rl.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: n})
				if err != nil && want == "" {
					want = id
				}
				if got := loc.Plural(id, n, data); got != want {
					t.Errorf("%s Plural(%s, %d) = %q, want %q", lang, id, n, got, want)
				}
			}
		}
	}
	fr := c.For("fr")
	if fr.Text("label.server", nil) != "label.server" || fr.Plural("label.server", 2, nil) != "Server" ||
		fr.Plural("configure.guide.intro", 2, nil) != "2 steps on the device, in order. Have your mail password at hand." {
		t.Errorf("French without two messages: %q %q %q", fr.Text("label.server", nil), fr.Plural("label.server", 2, nil),
			fr.Plural("configure.guide.intro", 2, nil))
	}
}

// TestFillersAsGoI18n: with every field a message uses given, strings
// and ints alike, messages are filled in without go-i18n and must read
// as go-i18n makes them, for every count's plural form too.
func TestFillersAsGoI18n(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ref := i18n.NewBundle(language.English)
	ref.RegisterUnmarshalFunc("toml", unmarshalTOML)
	field := regexp.MustCompile(`\{\{\.(\w+)\}\}`)
	data := map[string]any{}
	for _, lang := range c.Languages() {
		names, _ := MessageFiles(files, lang)
		for _, name := range names {
			raw, _ := files.ReadFile(name)
			if _, err := ref.ParseMessageFileBytes(raw, name); err != nil {
				t.Fatal(err)
			}
			for i, m := range field.FindAllSubmatch(raw, -1) {
				if i%3 == 0 {
					data[string(m[1])] = 1000 + i // ints print as text/template prints them
				} else {
					data[string(m[1])] = "v<" + string(m[1]) + ">&é"
				}
			}
		}
	}
	if len(data) < 10 {
		t.Fatalf("only %d fields found", len(data))
	}
	filled := 0
	for _, lang := range c.Languages() {
		loc, rl := c.For(lang).(*Localizer), i18n.NewLocalizer(ref, lang)
		filled += len(loc.fillers) + len(loc.plural)
		for _, id := range c.MessageIDs(lang) {
			want, err := rl.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
			if err != nil {
				want = id
			}
			if got := loc.Text(id, data); got != want {
				t.Errorf("%s Text(%s) = %q, want %q", lang, id, got, want)
			}
			for _, n := range []int{0, 1, 2, 3, 5, 11, 21, 101, 999, 1000, 1_000_000, -1} {
				d := maps.Clone(data)
				d["Count"] = n
				want, err := rl.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: n})
				if err != nil && want == "" {
					want = id
				}
				if got := loc.Plural(id, n, data); got != want {
					t.Errorf("%s Plural(%s, %d) = %q, want %q", lang, id, n, got, want)
				}
			}
		}
	}
	if filled < 100 {
		t.Errorf("only %d messages are filled in without go-i18n", filled)
	}
}

// FuzzFiller: a message compiles to a filler only when it is made of
// text and {{.Field}} actions, and then fills in as text/template does.
func FuzzFiller(f *testing.F) {
	for _, s := range []string{"", "plain", "Set up {{.Client}} for {{.Address}}", "{{.A}}{{.B}}", "{{ .A }}", "{{.A}", "}}{{.A}}{{", "{{.1}}", "{{-.A}}", "{{.A.B}}", "x\x00{{.A}}"} {
		f.Add(s, "val<é>", 42)
	}
	f.Fuzz(func(t *testing.T, msg, s string, n int) {
		fl, ok := newFiller(msg)
		if !ok {
			return
		}
		tmpl, err := template.New("").Parse(msg)
		if err != nil {
			t.Fatalf("newFiller took %q, text/template refuses it: %v", msg, err)
		}
		data := map[string]any{}
		for i, name := range fl.fields {
			if i%2 == 0 {
				data[name] = s
			} else {
				data[name] = n
			}
		}
		var want strings.Builder
		if err := tmpl.Execute(&want, data); err != nil {
			t.Fatal(err)
		}
		if got, ok := fl.fill(data); !ok || got != want.String() {
			t.Fatalf("fill(%q) = %q, %v; text/template: %q", msg, got, ok, want.String())
		}
	})
}

// TestPluralWithActionsIsGoI18ns: a plural message whose forms use more
// than {{.Field}} is not filled in from a cached form: the branch taken
// and the values are the caller's each time.
func TestPluralWithActionsIsGoI18ns(t *testing.T) {
	fsys := fstest.MapFS{
		"active.en.toml": {Data: []byte(`[p]
one = "{{.Count}} file {{.Host}}"
other = "{{.Count}} files{{if .Late}} (late){{end}} {{.Host}}"
`)},
	}
	c, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	loc := c.For("en")
	for _, tc := range []struct {
		late bool
		want string
	}{{false, "2 files h"}, {true, "2 files (late) h"}, {false, "2 files h"}} {
		if got := loc.Plural("p", 2, map[string]any{"Late": tc.late, "Host": "h"}); got != tc.want {
			t.Errorf("Late %v: %q, want %q", tc.late, got, tc.want)
		}
	}
}
