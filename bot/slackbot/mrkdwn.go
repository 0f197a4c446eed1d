package slackbot

import (
	"strings"

	"github.com/mailhelp/mailhelp/bot"
)

// mrkdwnEscaper replaces the three characters Slack reserves for markup:
// with them escaped, "<!channel>", "<@U123>" and "<https://x|label>"
// show as text and notify or link no one.
var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// EscapeMrkdwn makes untrusted text safe inside a Slack mrkdwn or
// plain_text field: control and invisible characters are removed and
// &, < and > are escaped.
func EscapeMrkdwn(s string) string {
	return mrkdwnEscaper.Replace(bot.StripUnsafe(s))
}

// code wraps a value in backquotes so it shows as typed; a backquote
// inside would end the span, so it is replaced by a look-alike.
func code(s string) string {
	return "`" + strings.ReplaceAll(EscapeMrkdwn(s), "`", "ˋ") + "`"
}
