// Package parse understands what a person asks mailhelp, in any language
// it has a vocabulary for: the intent, the client, the address or host,
// the language, the ports and direction of a ports question. It also
// validates structured input (bot.Form) with the same rules.
//
// Its words are data: a Vocabulary per language, read from the files of
// package locales (vocab.<lang>.toml). It sees plain text only; each chat
// adapter removes its own platform's markup first.
package parse
