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
func Diff(old, new *Config) []Change {
	index := func(c *Config) map[string]knowledge.Domain {
		m := map[string]knowledge.Domain{}
		if c != nil && c.Directory != nil {
			for _, d := range c.Directory.Domains() {
				m[knowledge.DisplayDomain(d.Name)] = d
			}
		}
		return m
	}
	before, after := index(old), index(new)
	var out []Change
	for name, o := range before {
		n, ok := after[name]
		if !ok {
			out = append(out, Change{Domain: name, Field: "domain", Old: "configured", New: "removed"})
			continue
		}
		for _, f := range []struct{ field, o, n string }{
			{"host", o.Host, n.Host},
			{"incoming", endpoint(o.Incoming()), endpoint(n.Incoming())},
			{"outgoing", endpoint(o.Outgoing()), endpoint(n.Outgoing())},
			{"webmail", o.WebmailURL(), n.WebmailURL()},
			{"support", o.Support, n.Support},
			{"language", o.Language, n.Language},
		} {
			if f.o != f.n {
				out = append(out, Change{Domain: name, Field: f.field, Old: f.o, New: f.n})
			}
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			out = append(out, Change{Domain: name, Field: "domain", Old: "", New: "configured"})
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

func endpoint(e knowledge.Endpoint) string {
	return fmt.Sprintf("%s:%d %s", e.Host, e.Port, e.Security)
}
