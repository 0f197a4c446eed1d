package discordbot

import (
	"regexp"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/internal/testbot"
)

// hostile is what a hostile mail server puts in its banner and its
// certificate: mentions, links and markup of both platforms.
const hostile = "<!channel> @everyone @here <@U123> <@&42> <#99> [x](https://evil.example) *bold* **b** _it_ ~~s~~ ||spoiler|| <https://evil.example> <t:0:R> <:x:1> </mailhelp:1> # h"

// strings of a JSON value, except ids and configured URLs.
func shownStrings(v any, key string, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			shownStrings(c, k, out)
		}
	case []any:
		for _, c := range x {
			shownStrings(c, key, out)
		}
	case string:
		if key != "custom_id" && key != "url" && key != "value" {
			*out = append(*out, x)
		}
	}
}

var (
	codeSpan  = regexp.MustCompile("`[^`]*`")
	bareAngle = regexp.MustCompile(`(^|[^\\])<[^\x{200d}]{1,10}`)
)

// assertInertDiscord fails when a message would show any of the hostile
// text live: a mention (even with allowed_mentions off), a masked or
// automatic link, or formatting. It returns the text Discord would
// show, for the caller to check that the hostile text did arrive.
func assertInertDiscord(t *testing.T, c restCall) string {
	t.Helper()
	where := c.Method + " " + c.Path
	raw := body(t, c)
	if !strings.Contains(raw, `"allowed_mentions":{"parse":[]`) {
		t.Errorf("%s: mentions not disabled: %.300s", where, raw)
	}
	var texts []string
	shownStrings(c.Body, "", &texts)
	for _, text := range texts {
		outside := codeSpan.ReplaceAllString(text, "")
		for _, bad := range []string{"@everyone", "@here", "<@", "<#", "*bold*", "**b**", "_it_", "~~s~~", "||spoiler||",
			"[x](", "](https://evil", "https://evil", "<https://evil"} {
			if strings.Contains(outside, bad) {
				t.Errorf("%s: shows %q live: %s", where, bad, text)
			}
		}
		// Any other <…> (a link, an emoji, a timestamp, a command) is
		// escaped.
		if m := bareAngle.FindString(outside); m != "" {
			t.Errorf("%s: shows %q live: %s", where, m, text)
		}
	}
	return strings.Join(texts, "\n")
}

// TestHostileServerTextIsInert: a hostile banner and certificate reach
// Discord through the live check, for a mention (message edit), a slash
// command and a troubleshooting button (interaction edits), and show as
// text: nothing pings, links or formats.
func TestHostileServerTextIsInert(t *testing.T) {
	f := newFakeDiscord(t)
	r, cat := testbot.Router(t, testbot.HostileProber{Text: hostile})
	startBot(t, f, Options{Router: r, Translator: cat, Logger: testbot.Quiet()})

	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "D1", "", "U1", "check bm.domaine.com", false))
	f.dispatch("INTERACTION_CREATE", commandInteraction("I1", "en-US", "check", map[string]string{"target": "bm.domaine.com"}))
	f.dispatch("INTERACTION_CREATE", buttonInteraction("I2", "en-US", idCheck+"cert_warning::bm.domaine.com"))
	edits := f.waitCalls("PATCH", "/messages/", 3)
	var shown string
	for _, c := range edits {
		shown += assertInertDiscord(t, c)
	}
	for _, c := range f.callsOf("POST", "/messages") {
		shown += assertInertDiscord(t, c)
	}
	// The hostile text did reach the answers, as text.
	for _, want := range []string{`\*bold\*`, "@\u200deveryone", `\[x\]`} {
		if !strings.Contains(shown, want) {
			t.Errorf("the answers do not show %q: the test proves nothing\n%s", want, shown)
		}
	}
}
