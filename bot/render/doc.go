// Package render turns a bot.Reply into the text of an output format:
// plain text for terminals, Markdown for tickets, JSON for programs. Each
// renderer is a pure function, golden-tested, and escapes every string of
// the Reply for its format: the Reply may carry text that came from a user
// (an address) or, later, from a server (a banner, a certificate field).
package render
