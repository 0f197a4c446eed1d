// Package slackbot is mailhelp's Slack adapter. It receives mentions,
// direct messages, the /mailhelp command and button presses, over Socket
// Mode or over HTTP (Events API, slash commands and interactivity), turns
// them into bot.Requests, and posts the answers as Block Kit messages.
//
// It translates and does nothing else: the answers come from the
// bot.Router. Every string of a reply is escaped for Slack's mrkdwn, so
// nothing in a question or a server banner can mention or link anyone.
package slackbot
