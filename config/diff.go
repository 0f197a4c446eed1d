package config

import (
	"fmt"
	"sort"

	"github.com/mailhelp/mailhelp/knowledge"
)

// Change is one difference users would notice between two
// configurations: a domain added or removed, or one of its settings.
type Change struct {
	Domain string
	// Field is "domain" (added or removed), "host", "incoming",
	// "outgoing", "webmail", "support" or "language".
	Field    string
	Old, New string
}

func (c Change) String() string {
	return fmt.Sprintf("%s %s: %q → %q", c.Domain, c.Field, c.Old, c.New)
}

// Diff lists what changed from old to new, by domain name, sorted.
//
// Every reload diffs two whole configurations, so the cost per domain
// is kept to two map look-ups and comparisons of fields: settings are
// formatted only for the domains that changed, and names that IDNA
// cannot change skip it (displayName).
func Diff(old, new *Config) []Change {
	before, after := domainsOf(old), domainsOf(new)
	beforeNames, afterNames := displayNames(before), displayNames(after)
	beforeAt, afterAt := indexOf(beforeNames), indexOf(afterNames)
	// With no name shown twice (as in any valid configuration), each
	// index is its name's, and a domain that kept its place needs no
	// look-up.
	unique := len(beforeAt) == len(before) && len(afterAt) == len(after)
	var out []Change
	matched := 0
	for i, name := range beforeNames {
		if !unique && beforeAt[name] != i {
			continue // shown under the same name as a later domain, which counts
		}
		j, ok := i, unique && i < len(afterNames) && afterNames[i] == name
		if !ok {
			j, ok = afterAt[name]
		}
		if !ok {
			out = append(out, Change{Domain: name, Field: "domain", Old: "configured", New: "removed"})
			continue
		}
		matched++
		out = appendChanges(out, name, &before[i], &after[j])
	}
	if matched < len(afterAt) {
		for j, name := range afterNames {
			if afterAt[name] != j {
				continue
			}
			if _, ok := beforeAt[name]; !ok {
				out = append(out, Change{Domain: name, Field: "domain", Old: "", New: "configured"})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		return out[i].Field < out[j].Field
	})
	return out
}

// domainsOf returns the domains of a configuration, none for nil.
func domainsOf(c *Config) []knowledge.Domain {
	if c == nil || c.Directory == nil {
		return nil
	}
	return c.Directory.Domains()
}

// displayNames returns the name each domain is shown under.
func displayNames(domains []knowledge.Domain) []string {
	names := make([]string, len(domains))
	for i := range domains {
		names[i] = displayName(domains[i].Name)
	}
	return names
}

// indexOf maps each name to its index; of a name given twice, the later
// index counts.
func indexOf(names []string) map[string]int {
	m := make(map[string]int, len(names))
	for i, name := range names {
		m[name] = i
	}
	return m
}

// appendChanges appends what users would notice changed from o to n,
// one domain under two configurations.
func appendChanges(out []Change, name string, o, n *knowledge.Domain) []Change {
	add := func(field, old, new string) {
		if old != new {
			out = append(out, Change{Domain: name, Field: field, Old: old, New: new})
		}
	}
	add("host", o.Host, n.Host)
	// The endpoints and the webmail URL follow from these fields: equal
	// fields, equal settings. Only settings that may differ are worked
	// out, and formatted only when they do (then compared as the text
	// users are shown).
	if o.Host != n.Host || o.IMAP != n.IMAP {
		if oi, ni := o.Incoming(), n.Incoming(); oi != ni {
			add("incoming", endpoint(oi), endpoint(ni))
		}
	}
	if o.Host != n.Host || o.SMTP != n.SMTP {
		if oo, no := o.Outgoing(), n.Outgoing(); oo != no {
			add("outgoing", endpoint(oo), endpoint(no))
		}
	}
	if o.Webmail != n.Webmail || o.Host != n.Host {
		add("webmail", o.WebmailURL(), n.WebmailURL())
	}
	add("support", o.Support, n.Support)
	add("language", o.Language, n.Language)
	return out
}

func endpoint(e knowledge.Endpoint) string {
	return fmt.Sprintf("%s:%d %s", e.Host, e.Port, e.Security)
}

// displayName is knowledge.DisplayDomain without the IDNA processing
// where it cannot change the name: a lowercase name of ASCII letters,
// digits, hyphens and dots, with no trailing dot and no punycode label,
// is shown as it is (FuzzDisplayName checks that they agree).
func displayName(name string) string {
	if !plainLowerName(name) {
		return knowledge.DisplayDomain(name)
	}
	return name
}

func plainLowerName(name string) bool {
	if name == "" || name[len(name)-1] == '.' {
		return false
	}
	label := 0 // index of the current label's start
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-':
			if i-label == 3 && c == '-' && name[label:i] == "xn-" {
				return false
			}
		case c == '.':
			label = i + 1
		default:
			return false
		}
	}
	return true
}
