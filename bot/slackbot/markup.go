package slackbot

import (
	"strings"

	"github.com/mailhelp/mailhelp/bot"
)

// unwrap removes Slack's markup from a message, for the core parser,
// which reads plain text: <mailto:a@b|a@b> and <https://x|label> become
// the address or the URL; mentions of users, groups and everyone
// (<@U1>, <!subteam^S1>, <!here>) and dates (<!date^…>) are dropped, so
// they are never parsed as words nor echoed. The first channel link
// (<#C0123|general>) is returned by id, for announcements, and dropped
// from the text.
func unwrap(s string) (plain, channel string) {
	plain = bot.ReplaceMarkup(s, func(inner string) string {
		if id, ok := channelID(inner); ok && channel == "" {
			channel = id
		}
		return unwrapOne(inner)
	})
	return plain, channel
}

// unwrapOne is the plain text of one <…>.
func unwrapOne(inner string) string {
	target, _, _ := strings.Cut(inner, "|")
	switch {
	case inner == "":
		return ""
	case strings.HasPrefix(inner, "mailto:"):
		return strings.TrimPrefix(target, "mailto:")
	case strings.HasPrefix(inner, "http://"), strings.HasPrefix(inner, "https://"):
		return target
	case strings.ContainsRune("@#!", rune(inner[0])):
		return "" // a mention, a channel, a special mention or a date
	default:
		return inner
	}
}

// channelID reads a channel link's inside, "#C0123ABC|name" or
// "#C0123ABC": Slack's ids are capital letters and digits.
func channelID(inner string) (string, bool) {
	id, _, _ := strings.Cut(strings.TrimPrefix(inner, "#"), "|")
	if !strings.HasPrefix(inner, "#") || id == "" || len(id) > 40 {
		return "", false
	}
	for _, c := range id {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", false
		}
	}
	return id, true
}
