// Package discovery holds what lets mail clients configure themselves
// from a domain's settings: Mozilla autoconfig (Thunderbird, Thunderbird
// for Android, Evolution, KMail…), Outlook's Autodiscover (POX), and the
// DNS SRV records of RFC 6186 and RFC 8314. It writes each format from a
// knowledge.Domain, reads each back (to check what a domain really
// publishes), and defines the report of that check with its stable
// problem codes.
//
// It does no I/O: discovery/publish serves these documents over HTTP,
// discovery/profile builds Apple configuration profiles, and
// discovery/verify fetches what a domain publishes and compares it.
package discovery
