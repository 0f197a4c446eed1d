package discordbot

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot"
)

// Embed limits (discord.com/developers/docs/resources/message#embed-object-embed-limits).
const (
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedsTotal = 6000
)

// Custom ids of the buttons; the rest of the id says what to do.
const (
	idCheck     = "mh:check:" // + [symptom + "::"] + target, or + "#" + key for a long one
	idLang      = "mh:lang:"  // + lang (or langMenu) + ":" + key
	langMenu    = "menu"
	maxCustomID = 100
)

var noteIcons = map[bot.Severity]string{
	bot.SeverityInfo: "ℹ️", bot.SeverityTip: "💡", bot.SeverityWarning: "⚠️", bot.SeverityError: "❌",
}

// colors by verdict-like intent: blue for answers, red for refusals.
const (
	colorAnswer = 0x0b5cad
	colorError  = 0xa3001b
)

// LangButton is one entry of an answer's language switch: its custom id,
// the language, and the language's name in itself.
type LangButton struct {
	ID, Lang, Name string
}

// maxRowButtons is how many buttons fit in one row.
const maxRowButtons = 5

// Render turns a reply into one embed and its buttons. checkID is the
// check button's custom id ("" for none); langs is the language switch,
// buttons when they fit in the row, else one menu labelled menuLabel.
func Render(r *bot.Reply, checkID string, langs []LangButton, menuLabel string) ([]*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	e := &discordgo.MessageEmbed{Title: bot.Clip(EscapeMarkdown(r.Title), maxTitle), Color: colorAnswer}
	var desc strings.Builder
	if r.Code != "" {
		// A refusal is said, not shouted: in the text, not the title.
		e.Title, e.Color = "", colorError
		desc.WriteString(EscapeMarkdown(r.Title) + "\n\n")
	}
	if r.Intro != "" {
		desc.WriteString(EscapeMarkdown(r.Intro) + "\n\n")
	}
	for i, s := range r.Steps {
		desc.WriteString("**" + strconv.Itoa(i+1) + ".** " + EscapeMarkdown(s.Text) + "\n")
		for _, f := range s.Fields {
			desc.WriteString("  • **" + EscapeMarkdown(f.Label) + "**")
			if f.Value != "" {
				desc.WriteString(fieldValue(f))
			}
			if f.Hint != "" {
				desc.WriteString(" — *" + EscapeMarkdown(f.Hint) + "*")
			}
			desc.WriteString("\n")
		}
	}
	for _, n := range r.Notes {
		desc.WriteString("\n" + noteIcons[n.Severity] + " " + EscapeMarkdown(n.Text))
	}
	for _, l := range r.Links {
		desc.WriteString("\n🔗 " + link(l))
	}
	e.Description = bot.Clip(desc.String(), maxDescription)
	for _, g := range r.Settings {
		var val strings.Builder
		for _, f := range g.Fields {
			val.WriteString("**" + EscapeMarkdown(f.Label) + "**")
			if f.Value != "" {
				val.WriteString(fieldValue(f))
			}
			val.WriteString("\n")
		}
		if len(e.Fields) < maxFields {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
				Name: bot.Clip(EscapeMarkdown(g.Title), maxFieldName), Value: bot.Clip(val.String(), maxFieldValue),
			})
		}
	}
	embeds := []*discordgo.MessageEmbed{e}
	fitTotal(e)
	var buttons []discordgo.MessageComponent
	if checkID != "" {
		label := "Check connection"
		for _, a := range r.Actions {
			if a.Kind == bot.ActionCheck {
				label = a.Label
				break
			}
		}
		buttons = append(buttons, discordgo.Button{Label: bot.Clip(label, 80), Style: discordgo.PrimaryButton, CustomID: checkID})
	}
	var rows []discordgo.MessageComponent
	if len(buttons)+len(langs) <= maxRowButtons {
		for _, l := range langs {
			buttons = append(buttons, discordgo.Button{Label: bot.Clip(l.Name, 80), Style: discordgo.SecondaryButton, CustomID: l.ID})
		}
	} else if len(langs) > 0 {
		rows = append(rows, langSwitchMenu(langs, menuLabel))
	}
	if len(buttons) > 0 {
		rows = append([]discordgo.MessageComponent{discordgo.ActionsRow{Components: buttons}}, rows...)
	}
	if len(rows) == 0 {
		return embeds, []discordgo.MessageComponent{}
	}
	return embeds, rows
}

// langMenu is the language switch as a menu, for many languages; its
// custom id is the first entry's with the language replaced by langMenu.
func langSwitchMenu(langs []LangButton, label string) discordgo.ActionsRow {
	_, key, _ := strings.Cut(strings.TrimPrefix(langs[0].ID, idLang), ":")
	opts := make([]discordgo.SelectMenuOption, 0, min(len(langs), 25))
	for _, l := range langs[:min(len(langs), 25)] {
		opts = append(opts, discordgo.SelectMenuOption{Label: bot.Clip(l.Name, 100), Value: l.Lang})
	}
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
		CustomID: idLang + langMenu + ":" + key, Placeholder: bot.Clip(label, 150), Options: opts}}}
}

// fitTotal keeps an embed under Discord's 6000-character total.
func fitTotal(e *discordgo.MessageEmbed) {
	total := len([]rune(e.Title))
	for _, f := range e.Fields {
		total += len([]rune(f.Name)) + len([]rune(f.Value))
	}
	if room := maxEmbedsTotal - total; len([]rune(e.Description)) > room {
		e.Description = string([]rune(e.Description)[:max(room-1, 0)]) + "…"
	}
}

// link writes a configured http(s) link as a masked link; anything else
// as text.
func link(l bot.Link) string {
	u := l.URL
	if !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) || strings.ContainsAny(u, "()<> \n") {
		return EscapeMarkdown(l.Label) + ": " + code(u)
	}
	return "[" + EscapeMarkdown(l.Label) + "](" + u + ")"
}

// fieldValue is a field's value after its label: code to copy, or, for a
// placeholder, an instruction in italics, never in a code box.
func fieldValue(f bot.Field) string {
	if f.Placeholder {
		return " — *" + EscapeMarkdown(f.Value) + "*"
	}
	return ": " + code(f.Value)
}
