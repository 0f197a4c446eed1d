// Package probe checks a mail server live, the way a mail client will use
// it: for each IMAP and SMTP endpoint it resolves the host, connects, sets
// up TLS (implicit or STARTTLS), inspects the certificate, reads the
// greeting and the capabilities before and after TLS, and optionally logs
// in. It reports what works, what does not, and the device settings that
// follow from it.
//
// Because it dials hosts on other people's behalf, every connection goes
// through a Policy (which hosts, which addresses, which ports) and runs
// under budgets (time per step and per check, bytes per line and per
// connection), so a hostile server gets a verdict, not a hold on the bot.
//
// The probe speaks the few IMAP and SMTP commands it needs itself, over a
// connection it owns: it must see raw bytes (bounded lines, plaintext
// injected after STARTTLS, capabilities before TLS), which full client
// libraries hide. It imports nothing from this module.
package probe
