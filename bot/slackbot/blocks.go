package slackbot

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mailhelp/mailhelp/bot"
)

// Block Kit limits (api.slack.com/reference/block-kit).
const (
	maxBlocks      = 50
	maxSectionText = 3000
	maxHeaderText  = 150
	maxFieldText   = 2000
	maxFields      = 10
	maxButtonValue = 2000
	maxOptionValue = 150
)

// Action IDs of the buttons.
const (
	actionCheck = "mailhelp_check"
	actionLang  = "mailhelp_lang"
)

// noteIcons mark notes by severity.
var noteIcons = map[bot.Severity]string{
	bot.SeverityInfo: ":information_source:", bot.SeverityTip: ":bulb:",
	bot.SeverityWarning: ":warning:", bot.SeverityError: ":x:",
}

// buttonValue is what a button carries back: the question (a phrase, or
// a check's target), and for the language switch the language to answer
// in.
type buttonValue struct {
	Phrase  string `json:"p,omitempty"`
	Target  string `json:"t,omitempty"`
	Symptom string `json:"s,omitempty"`
	Lang    string `json:"l,omitempty"`
}

// Question is what an answer answered, for its language switch to ask
// again: a message's plain text, or the target of a check asked with a
// button.
type Question struct {
	Text    string
	Target  string
	Symptom string
}

func (q Question) empty() bool { return q.Text == "" && q.Target == "" }

// Message is a rendered answer: the notification text and the blocks.
type Message struct {
	Text   string
	Blocks []slack.Block
}

// maxLangButtons is how many languages get a button each; more become a
// menu.
const maxLangButtons = 3

// Render turns a reply into a Block Kit message. q is what the reply
// answers, for the language switch (none when q is empty or langs offers
// no choice).
func Render(r *bot.Reply, q Question, langs bot.LangSwitch) Message {
	var blocks []slack.Block
	if r.Code == "" {
		title := bot.Clip(EscapeMrkdwn(r.Title), maxHeaderText)
		blocks = append(blocks, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, title, true, false)))
	} else {
		// A refusal is said, not shouted: a plain section.
		blocks = append(blocks, prose(EscapeMrkdwn(r.Title)))
	}
	if r.Intro != "" {
		blocks = append(blocks, prose(EscapeMrkdwn(r.Intro)))
	}
	for i, s := range r.Steps {
		var b strings.Builder
		b.WriteString("*" + strconv.Itoa(i+1) + ".* " + EscapeMrkdwn(s.Text))
		for _, f := range s.Fields {
			b.WriteString("\n• *" + EscapeMrkdwn(f.Label) + "*")
			if f.Value != "" {
				b.WriteString(fieldValue(f, ": "))
			}
			if f.Hint != "" {
				b.WriteString(" — _" + EscapeMrkdwn(f.Hint) + "_")
			}
		}
		blocks = append(blocks, section(b.String()))
	}
	for _, g := range r.Settings {
		blocks = append(blocks, section("*"+EscapeMrkdwn(g.Title)+"*"))
		var fields []*slack.TextBlockObject
		for _, f := range g.Fields {
			text := "*" + EscapeMrkdwn(f.Label) + "*\n"
			if f.Value != "" {
				text += fieldValue(f, "")
			}
			fields = append(fields, mrkdwn(bot.Clip(text, maxFieldText)))
			if len(fields) == maxFields {
				blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))
				fields = nil
			}
		}
		if len(fields) > 0 {
			blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))
		}
	}
	for _, n := range r.Notes {
		// Notes carry what a server said (certificate names, dates):
		// plain text, which Slack never formats nor links.
		blocks = append(blocks, slack.NewContextBlock("", plain(bot.Clip(noteIcons[n.Severity]+" "+EscapeMrkdwn(n.Text), maxSectionText))))
	}
	if len(r.Links) > 0 {
		var lines []string
		for _, l := range r.Links {
			lines = append(lines, link(l))
		}
		blocks = append(blocks, section(strings.Join(lines, "\n")))
	}
	var buttons []slack.BlockElement
	for _, a := range r.Actions {
		if a.Kind != bot.ActionCheck || a.Target == "" {
			continue
		}
		buttons = append(buttons, button(actionCheck, a.Label, buttonValue{Target: a.Target, Symptom: a.Symptom}, true))
		break
	}
	if !q.empty() && len(langs.Choices) > 0 {
		buttons = append(buttons, langSwitch(q, langs)...)
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("mailhelp_actions", buttons...))
	}
	if len(blocks) > maxBlocks {
		blocks = append(blocks[:maxBlocks-1], section("…"))
	}
	return Message{Text: bot.Clip(EscapeMrkdwn(r.Title), maxSectionText), Blocks: blocks}
}

// langSwitch is a button per other language, or one menu of them when
// they are many; each carries the question and its language.
func langSwitch(q Question, langs bot.LangSwitch) []slack.BlockElement {
	if len(langs.Choices) <= maxLangButtons {
		out := make([]slack.BlockElement, 0, len(langs.Choices))
		for _, c := range langs.Choices {
			out = append(out, button(actionLang, c.Name, buttonValue{Phrase: q.Text, Target: q.Target, Symptom: q.Symptom, Lang: c.Lang}, false))
		}
		return out
	}
	opts := make([]*slack.OptionBlockObject, 0, len(langs.Choices))
	for _, c := range langs.Choices {
		opts = append(opts, slack.NewOptionBlockObject(buttonPayload(buttonValue{Phrase: q.Text, Target: q.Target, Symptom: q.Symptom, Lang: c.Lang}),
			slack.NewTextBlockObject(slack.PlainTextType, bot.Clip(EscapeMrkdwn(c.Name), 75), false, false), nil))
	}
	menu := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic,
		slack.NewTextBlockObject(slack.PlainTextType, bot.Clip(EscapeMrkdwn(langs.Label), 150), false, false), actionLang, opts...)
	return []slack.BlockElement{menu}
}

// section is a section of mrkdwn this package wrote, with every
// untrusted part escaped or in a code span.
func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(mrkdwn(bot.Clip(text, maxSectionText)), nil, nil)
}

// prose is a section of escaped text shown as is: plain_text, which
// Slack neither formats (*bold*, _it_, ~s~) nor links, whatever the
// text holds. Prose may quote a server (a banner, a certificate's
// names), and mrkdwn has no escape for its formatting characters.
func prose(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(plain(bot.Clip(text, maxSectionText)), nil, nil)
}

// mrkdwn is a verbatim mrkdwn text object: Slack applies the markup this
// package wrote but links no URL, channel name or mention by itself.
func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, true)
}

// plain is a plain_text object (emoji shortcodes, as the notes' icons,
// are shown).
func plain(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, true, false)
}

// link writes a configured http(s) link; anything else shows as text.
func link(l bot.Link) string {
	label := EscapeMrkdwn(strings.ReplaceAll(l.Label, "|", "/"))
	u := l.URL
	if !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) || strings.ContainsAny(u, "<>| \n") {
		return label + ": " + code(u)
	}
	return "<" + u + "|" + label + ">"
}

// buttonPayload is a button's or an option's value: at most what Slack
// takes (options take 150 bytes, so long questions are cut there).
func buttonPayload(v buttonValue) string {
	if len(v.Phrase) > maxOptionValue-32 {
		v.Phrase = bot.Clip(v.Phrase, maxOptionValue-32)
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

func button(actionID, label string, v buttonValue, primary bool) *slack.ButtonBlockElement {
	if len(v.Phrase) > maxButtonValue-64 {
		v.Phrase = bot.Clip(v.Phrase, maxButtonValue-64)
	}
	raw, _ := json.Marshal(v)
	b := slack.NewButtonBlockElement(actionID, string(raw),
		slack.NewTextBlockObject(slack.PlainTextType, bot.Clip(EscapeMrkdwn(label), 75), false, false))
	if primary {
		b.Style = slack.StylePrimary
	}
	return b
}

// fieldValue is a field's value after sep: code to copy, or, for a
// placeholder, an instruction in italics, never in a code box.
func fieldValue(f bot.Field, sep string) string {
	if f.Placeholder {
		return " — _" + EscapeMrkdwn(f.Value) + "_"
	}
	return sep + code(f.Value)
}
