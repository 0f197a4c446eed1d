// Package knowledge is what mailhelp knows, kept as data in one place: the
// mail clients people ask about and the names they give them, the port and
// security policy of a BlueMind-style server, each client's step-by-step
// guide, and how one domain's settings are resolved from the configuration.
//
// It holds no text meant for people: guides and labels refer to message IDs
// that the locales package translates. It imports nothing from this module.
package knowledge
