package slackbot

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/internal/testbot"
)

// hostile is what a hostile mail server puts in its banner and its
// certificate: mentions, links and markup of both platforms.
const hostile = "<!channel> <!here> @everyone @here <@U123> <#C123|general> [x](https://evil.example) *bold* _it_ ~s~ <https://evil.example|click> **b** ||spoiler||"

// textObjects collects every Block Kit text object of a message.
func textObjects(v any, out *[]map[string]any) {
	switch x := v.(type) {
	case map[string]any:
		if typ, _ := x["type"].(string); (typ == "mrkdwn" || typ == "plain_text") && x["text"] != nil {
			*out = append(*out, x)
		}
		for _, c := range x {
			textObjects(c, out)
		}
	case []any:
		for _, c := range x {
			textObjects(c, out)
		}
	}
}

var codeSpan = regexp.MustCompile("`[^`]*`")

// assertInertSlack fails when a message would show any of the hostile
// text live: a mention, a link, a channel or formatting. mrkdwn objects
// must be verbatim (no automatic links, channels or mentions) and hold
// the hostile text only inside code spans; plain_text objects are never
// formatted, but Slack's control characters must still be escaped. It
// returns the text Slack would show, for the caller to check that the
// hostile text did arrive.
func assertInertSlack(t *testing.T, where string, c apiCall) string {
	t.Helper()
	raw := c.Form.Get("blocks")
	fallback := c.Form.Get("text")
	if c.JSON != nil {
		b, _ := json.Marshal(c.JSON["blocks"])
		raw = string(b)
		fallback, _ = c.JSON["text"].(string)
	}
	var blocks any
	if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
		t.Fatalf("%s: blocks: %v", where, err)
	}
	var objs []map[string]any
	textObjects(blocks, &objs)
	var shown strings.Builder
	for _, o := range objs {
		text := o["text"].(string)
		shown.WriteString(text + "\n")
		for _, bad := range []string{"<!", "<@", "<#", "<https://evil", "<http://evil"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s: %s text holds %q raw: %s", where, o["type"], bad, text)
			}
		}
		if o["type"] != "mrkdwn" {
			continue
		}
		if o["verbatim"] != true {
			t.Errorf("%s: mrkdwn without verbatim (Slack would link URLs, channels and mentions): %s", where, text)
		}
		outside := codeSpan.ReplaceAllString(text, "")
		for _, bad := range []string{"*bold*", "_it_", "~s~", "@everyone", "@here", "evil.example", "||spoiler||"} {
			if strings.Contains(outside, bad) {
				t.Errorf("%s: mrkdwn shows %q live: %s", where, bad, text)
			}
		}
	}
	for _, bad := range []string{"<!", "<@", "<#", "<http", "*bold*", "@everyone", "evil.example"} {
		if strings.Contains(fallback, bad) {
			t.Errorf("%s: the notification text holds %q: %s", where, bad, fallback)
		}
	}
	return shown.String()
}

// TestHostileServerTextIsInert: a hostile banner and certificate reach
// Slack through the live check, in a thread (chat.update), through a
// slash command's response_url and under a troubleshooting answer, and
// show as text: nothing pings, links or formats.
func TestHostileServerTextIsInert(t *testing.T) {
	f := newFakeSlack(t)
	r, cat := testRouter(t, testbot.HostileProber{Text: hostile})
	startBotWith(t, f, Options{Router: r, Translator: cat})

	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1", "<@UBOT> check bm.domaine.com"))
	upd := f.waitCalls("chat.update", 1)[0]
	shown := assertInertSlack(t, "mention", upd)

	f.send(commandEnvelope(f, "env-2", "trig-2", "U1", "check bm.domaine.com"))
	f.send(buttonEnvelope(f, "env-3", "trig-3", "U1", actionCheck, `{"t":"bm.domaine.com","s":"cert_warning"}`, "1.3"))
	posts := f.waitCalls("response_url", 4) // "checking…" and the result, twice
	for _, p := range posts {
		shown += assertInertSlack(t, p.Form.Get("path"), p)
	}
	// The hostile text did reach the answers, as text.
	for _, want := range []string{"&lt;!channel&gt;", "&lt;@U123&gt;", "*bold*", "[x](https://evil.example)"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the answers do not show %q: the test proves nothing\n%s", want, shown)
		}
	}
}
