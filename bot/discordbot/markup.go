package discordbot

import (
	"strings"

	"github.com/mailhelp/mailhelp/bot"
)

// unwrap removes Discord's markup from a message, for the core parser,
// which reads plain text: mentions of users and roles (<@1>, <@!1>,
// <@&1>), custom emoji (<:name:1>, <a:name:1>), timestamps (<t:1:R>) and
// command mentions (</mailhelp:1>) are dropped, so they are never parsed
// as words nor echoed; <https://x> (a link without preview) becomes the
// URL. The first channel link (<#1>) is returned by id, for
// announcements, and dropped from the text.
func unwrap(s string) (plain, channel string) {
	plain = bot.ReplaceMarkup(s, func(inner string) string {
		if id, ok := strings.CutPrefix(inner, "#"); ok && channel == "" && isSnowflake(id) {
			channel = id
		}
		return unwrapOne(inner)
	})
	return plain, channel
}

// unwrapOne is the plain text of one <…>.
func unwrapOne(inner string) string {
	switch {
	case inner == "":
		return ""
	case strings.HasPrefix(inner, "http://"), strings.HasPrefix(inner, "https://"):
		return inner
	case strings.ContainsRune("@#:/", rune(inner[0])), strings.HasPrefix(inner, "a:"), strings.HasPrefix(inner, "t:"):
		return "" // a mention, a channel, an emoji, a command or a timestamp
	default:
		return inner
	}
}

// isSnowflake reports whether s is a Discord id: digits only.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
