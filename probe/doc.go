// Package probe will hold mailhelp's live connection checks (IMAP, SMTP,
// TLS and certificates) and the dial policy that bounds them. It is empty
// in this build: the live check is the next piece of work, and until it
// lands the bot says plainly that no automatic check is available.
package probe
