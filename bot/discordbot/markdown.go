package discordbot

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot"
)

// markdownEscaper backslash-escapes Discord markdown: emphasis, spoilers,
// code, quotes, headings, lists, masked links ([text](url)), the <…>
// forms (links, emoji, timestamps, commands) and the "://" of a URL, so
// that no link is made from the text, masked or automatic; and it puts a
// zero-width joiner in everyone/here and user, role and channel mentions
// so they show as text even where allowed_mentions is not honoured.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`, ">", `\>`,
	"#", `\#`, "-", `\-`, "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`,
	"@everyone", "@\u200deveryone", "@here", "@\u200dhere", "<@", "<\u200d@", "<#", "<\u200d\\#",
	"<", `\<`, "://", `:\/\/`,
)

// EscapeMarkdown makes untrusted text safe in a Discord message or embed.
func EscapeMarkdown(s string) string {
	return markdownEscaper.Replace(bot.StripUnsafe(s))
}

// code shows a value as typed, in a code span (backquotes replaced).
func code(s string) string {
	return "`" + strings.ReplaceAll(bot.StripUnsafe(s), "`", "ˋ") + "`"
}

// noMentions is sent with every message: Discord parses no mention.
var noMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
