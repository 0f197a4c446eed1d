// Package app is mailhelp's application service: from a configuration it
// builds everything that answers — the parser and the message catalogue
// (loaded once, each part when first used: a one-shot command parses
// only what it answers with), the router and its handlers, the audit
// trail, the live checker with its dial policy and limits, and the
// announcements — and
// Reload serves from a new configuration without dropping anything:
// requests in flight finish on the old one, pending previews survive,
// and what the old one opened is closed.
//
// cmd/mailhelp turns flags and the environment into an App and starts the
// adapters; the adapters talk to its Answerer.
package app
