package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// offlineConfig is the demo configuration with live checks off, so that
// tests of the answers never depend on the network.
var offlineConfig string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mailhelp-cmd-")
	if err != nil {
		panic(err)
	}
	offlineConfig = filepath.Join(dir, "offline.yaml")
	cfg := "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\n    support: support@domaine.com\n    language: fr\ncheck:\n  enabled: false\n"
	if err := os.WriteFile(offlineConfig, []byte(cfg), 0o644); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs the program with args and stdin, and returns its exit code,
// stdout and stderr. A nil env uses the offline configuration.
func run(t *testing.T, stdin io.Reader, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	if env == nil {
		env = map[string]string{"MAILHELP_CONFIG": offlineConfig}
	}
	var out, errOut bytes.Buffer
	m := &Main{Stdin: stdin, Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	code := m.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestAskExamples(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"English guide", []string{"ask", "configure BlackBerry for alice@domaine.com"},
			[]string{"Set up BlackBerry 10 for alice@domaine.com", "bm.domaine.com", "993", "587", "“Done”"}},
		{"French guide", []string{"ask", "Comment configurer mon BlackBerry pour alice@domaine.com ?"},
			[]string{"Configurer BlackBerry 10 pour alice@domaine.com", "«\u00a0Done\u00a0» («\u00a0Valider\u00a0»)"}},
		{"German guide", []string{"ask", "Wie richte ich mein BlackBerry für alice@domaine.com ein?"},
			[]string{"BlackBerry 10 für alice@domaine.com einrichten", "bm.domaine.com", "993"}},
		{"Spanish guide", []string{"ask", "¿Cómo configuro mi BlackBerry para alice@domaine.com?"},
			[]string{"Configurar BlackBerry 10 para alice@domaine.com", "bm.domaine.com", "587"}},
		{"forced German", []string{"ask", "--lang", "de", "configure BlackBerry for alice@domaine.com"},
			[]string{"BlackBerry 10 für alice@domaine.com einrichten"}},
		{"words as separate arguments", []string{"ask", "configure", "BlackBerry", "for", "alice@domaine.com"},
			[]string{"Set up BlackBerry 10 for alice@domaine.com"}},
		{"forced language", []string{"ask", "--lang", "fr", "configure BlackBerry for alice@domaine.com"},
			[]string{"Configurer BlackBerry 10"}},
		{"markdown", []string{"ask", "--format", "markdown", "configure BlackBerry for alice@domaine.com"},
			[]string{"## Set up BlackBerry 10 for alice@domaine.com", "`bm.domaine.com`"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, nil, nil, tc.args...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestAskJSON(t *testing.T) {
	code, out, _ := run(t, nil, nil, "ask", "--format", "json", "quel port pour le serveur sortant ?")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var a struct {
		Intent, Client, Address, Host, Lang string
		Reply                               map[string]any
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if a.Intent != "ports" || a.Lang != "fr" || a.Reply["title"] == nil {
		t.Errorf("got %+v", a)
	}
	for text, lang := range map[string]string{
		"Wie richte ich mein BlackBerry für alice@domaine.com ein?": "de",
		"¿Cómo configuro mi BlackBerry para alice@domaine.com?":     "es",
	} {
		if code, out, _ := run(t, nil, nil, "ask", "--format", "json", text); code != exitOK || !strings.Contains(out, `"lang":"`+lang+`"`) {
			t.Errorf("%s: exit %d, %.200s", lang, code, out)
		}
	}
	code, out, _ = run(t, nil, nil, "ask", "--format", "json", "configure BlackBerry for alice@domaine.com")
	if code != exitOK || !strings.Contains(out, `"client":"blackberry10","address":"alice@domaine.com","host":"bm.domaine.com","lang":"en"`) {
		t.Errorf("exit %d, envelope %s", code, out[:min(len(out), 200)])
	}
}

// TestAskTroubleshootJSON: a problem comes out with its symptom, and the
// command line is offered the check command.
func TestAskTroubleshootJSON(t *testing.T) {
	code, out, _ := run(t, nil, nil, "ask", "--format", "json", "I can receive but not send from alice@domaine.com")
	if code != exitOK || !strings.Contains(out, `"intent":"troubleshoot"`) || !strings.Contains(out, `"symptom":"cannot_send"`) ||
		!strings.Contains(out, "mailhelp check alice@domaine.com") {
		t.Errorf("exit %d, %.600s", code, out)
	}
	code, out, _ = run(t, nil, nil, "ask", "merci !")
	if code != exitOK || !strings.Contains(out, "Avec plaisir") {
		t.Errorf("thanks: exit %d, %.300s", code, out)
	}
}

// TestAskTerminalLanguage: a question whose language is unclear is
// answered in the terminal's; a clear one in its own.
func TestAskTerminalLanguage(t *testing.T) {
	env := map[string]string{"LANG": "de_DE.UTF-8"}
	if _, out, _ := run(t, nil, env, "ask", "bb10 alice@domaine.com"); !strings.Contains(out, "BlackBerry 10 für alice@domaine.com einrichten") {
		t.Errorf("not in the terminal's language: %.200s", out)
	}
	if _, out, _ := run(t, nil, env, "ask", "configure BlackBerry for alice@domaine.com"); !strings.Contains(out, "Set up BlackBerry 10") {
		t.Errorf("an English question not in English: %.200s", out)
	}
	if _, out, _ := run(t, nil, map[string]string{"LC_ALL": "es_ES.UTF-8", "LANG": "fr_FR.UTF-8"}, "ask", "bb10 alice@domaine.com"); !strings.Contains(out, "Configurar BlackBerry 10") {
		t.Errorf("LC_ALL does not win: %.200s", out)
	}
	if _, out, _ := run(t, nil, nil, "ask", "Buongiorno, come posso configurare la posta sul telefonino?"); !strings.Contains(out, "English, Deutsch, Español, Français") {
		t.Errorf("a question in another language is not told which languages mailhelp speaks: %s", out)
	}
}

// TestAskStdinFollowUp: lines read from stdin are one conversation.
func TestAskStdinFollowUp(t *testing.T) {
	in := "configure BlackBerry for alice@domaine.com\nand for iPhone?\n"
	code, out, _ := run(t, strings.NewReader(in), nil, "ask")
	if code != exitOK || !strings.Contains(out, "Set up iPhone / iPad for alice@domaine.com") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, nil, nil, "ask", "and for iPhone?")
	if code != exitOK || strings.Contains(out, "alice@domaine.com") {
		t.Errorf("a separate question continued another: %s", out)
	}
}

func TestAskStdin(t *testing.T) {
	in := "check bob@domaine.com\n\n   \nquel port pour le serveur sortant ?\r\nhelp"
	code, out, _ := run(t, strings.NewReader(in), nil, "ask", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var intents []string
	for _, l := range lines {
		var a struct{ Intent string }
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("%v in %q", err, l)
		}
		intents = append(intents, a.Intent)
	}
	if got := strings.Join(intents, ","); got != "check,ports,help" {
		t.Errorf("intents = %s, want check,ports,help (blank lines skipped)", got)
	}
}

// TestAskBadInput: every hostile input gets a clear answer, exit 0, and
// nothing raw in the output.
func TestAskBadInput(t *testing.T) {
	var tenThousand strings.Builder
	for i := range 10000 {
		tenThousand.WriteString("user")
		tenThousand.WriteString(strings.Repeat("x", i%7))
		tenThousand.WriteString("@domaine.com ")
	}
	var binary bytes.Buffer
	for i := range 4000 {
		binary.WriteByte(byte(i * 7))
	}
	binaryLine := bytes.ReplaceAll(binary.Bytes(), []byte("\n"), []byte(" "))
	tests := []struct {
		name, text string
		wantCode   string
		forbid     []string
	}{
		{"empty", "", "", nil},
		{"one megabyte", strings.Repeat("configure BlackBerry ", 1<<20/21), "too_long", nil},
		{"ten thousand addresses", tenThousand.String(), "too_long", nil},
		{"binary", string(binaryLine), "", []string{"\x1b", "\x00"}},
		{"bidi overrides", "configure BlackBerry for \u202emoc.eniamod@ecila\u202c \u2066x\u2069", "", []string{"\u202e", "\u2066"}},
		{"control characters", "check\x1b[2J\x07 alice@domaine.com\x00", "", []string{"\x1b", "\x07", "\x00"}},
		{"mentions and links", "<!channel> @everyone <@U123> configure BlackBerry [click](https://evil.example) <script>", "", []string{"<!channel>", "<@U123>", "evil.example", "<script>", "@everyone"}},
	}
	for _, tc := range tests {
		for _, format := range []string{"text", "markdown", "json"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				code, out, errOut := run(t, strings.NewReader(tc.text+"\n"), nil, "ask", "--format", format)
				if code != exitOK {
					t.Fatalf("exit %d, stderr %s", code, errOut)
				}
				if tc.text != "" && out == "" {
					t.Fatal("no answer")
				}
				if tc.wantCode != "" && format == "json" && !strings.Contains(out, `"code":"`+tc.wantCode+`"`) {
					t.Errorf("no code %s in %.300s", tc.wantCode, out)
				}
				if len(out) > 64<<10 {
					t.Errorf("answer is %d bytes", len(out))
				}
				for _, f := range tc.forbid {
					if strings.Contains(out, f) {
						t.Errorf("output holds %q", f)
					}
				}
			})
		}
	}
}

func TestAskHugeLineIsBounded(t *testing.T) {
	// 64 MiB in one line, produced lazily: ask must not hold it in memory
	// and must report its real size.
	const size = 64 << 20
	in := io.MultiReader(io.LimitReader(repeatReader('a'), size), strings.NewReader("\nhelp\n"))
	code, out, _ := run(t, in, nil, "ask", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"code":"too_long"`) || !strings.Contains(lines[0], "67108864") {
		t.Errorf("got %.400s", out)
	}
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want int
		msg  string
	}{
		{nil, exitUsage, "Usage"},
		{[]string{"frobnicate"}, exitUsage, "unknown command"},
		{[]string{"ask", "--format", "xml", "help"}, exitUsage, "unknown format"},
		{[]string{"ask", "--lang", "xx", "help"}, exitUsage, "unknown language"},
		{[]string{"ask", "--nope"}, exitUsage, "flag provided but not defined"},
		{[]string{"ask", "--config", "/nonexistent/mailhelp.yaml", "help"}, exitFail, "no such file"},
		{[]string{"help"}, exitOK, ""},
		{[]string{"ask", "-h"}, exitOK, ""},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errOut := run(t, nil, nil, tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d", code, tc.want)
			}
			if !strings.Contains(errOut, tc.msg) {
				t.Errorf("stderr %q lacks %q", errOut, tc.msg)
			}
		})
	}
}

func TestConfigSources(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "mailhelp.yaml")
	if err := os.WriteFile(cfg, []byte("domains:\n  - domain: exemple.fr\n    host: imap.exemple.fr\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("domains:\n  - domain: exemple.fr\n    hots: typo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q := "configure BlackBerry for alice@exemple.fr"
	_, out, _ := run(t, nil, nil, "ask", "--config", cfg, q)
	if !strings.Contains(out, "imap.exemple.fr") {
		t.Errorf("--config not used:\n%s", out)
	}
	_, out, _ = run(t, nil, map[string]string{"MAILHELP_CONFIG": cfg}, "ask", q)
	if !strings.Contains(out, "imap.exemple.fr") {
		t.Errorf("MAILHELP_CONFIG not used:\n%s", out)
	}
	_, out, _ = run(t, nil, nil, "ask", q)
	if strings.Contains(out, "imap.exemple.fr") || !strings.Contains(out, "not in mailhelp's configuration") {
		t.Errorf("default config: exemple.fr should be unknown:\n%s", out)
	}
	code, _, errOut := run(t, nil, nil, "ask", "--config", bad, q)
	if code != exitFail || !strings.Contains(errOut, "hots") || !strings.Contains(errOut, "line 3") {
		t.Errorf("exit %d, stderr %q; want the bad field and its line", code, errOut)
	}
}

func TestAskPermalink(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "mailhelp.yaml")
	data := "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\ncheck:\n  enabled: false\nweb:\n  public_url: https://help.domaine.com/\n"
	if err := os.WriteFile(cfg, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := run(t, nil, map[string]string{"MAILHELP_CONFIG": cfg}, "ask", "configure BlackBerry for alice@domaine.com")
	if !strings.Contains(out, "Link to this answer, for tickets: https://help.domaine.com/en/blackberry10?address=alice%40domaine.com") {
		t.Errorf("no permalink:\n%s", out)
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(good, []byte("domains:\n  - domain: a.com\n    host: m.a.com\n"), 0o644)
	_ = os.WriteFile(bad, []byte("domains:\n  - domain: a.com\n    host: m.a.com\n    imap:\n      port: 2525\n"), 0o644)
	if code, out, _ := run(t, nil, nil, "config", "check", good); code != exitOK || out != good+": ok\n" {
		t.Errorf("good: %d %q", code, out)
	}
	code, out, _ := run(t, nil, nil, "config", "check", bad)
	if want := bad + ":4: domains[0].imap.security: port 2525 is not a standard imap port, so its security must be given\n"; code != exitFail || out != want {
		t.Errorf("bad: %d %q\nwant %q", code, out, want)
	}
	if code, _, _ := run(t, nil, nil, "config", "lint", good); code != exitUsage {
		t.Errorf("unknown subcommand: %d", code)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, nil, nil, "version")
	if code != exitOK || !strings.HasPrefix(out, "mailhelp ") {
		t.Errorf("exit %d, out %q", code, out)
	}
}
