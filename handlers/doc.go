// Package handlers answers each intent mailhelp understands, one file per
// intent: configure, check, ports, clients, help and unknown. Handlers build
// a structured bot.Reply in the request's language from the knowledge
// package's data and the configured domains; they never format for a
// platform and never echo the request text.
package handlers
