// Package discordbot is mailhelp's Discord adapter. It registers the
// /mailhelp application command (with English and French names), answers
// it, mentions and direct messages through the bot.Router, and posts the
// answers as embeds with a "Check connection" button and a language
// toggle.
//
// It translates and does nothing else. Every message is sent with
// allowed_mentions that parse nothing, and every string of a reply is
// escaped for Discord's markdown, so nothing in a question or a server
// banner can ping anyone or hide a link.
package discordbot
