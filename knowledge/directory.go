package knowledge

import (
	"errors"
	"fmt"
	"iter"
)

// Directory finds the configured domain of an address or host.
// It is read-only after NewDirectory and safe for concurrent use.
type Directory struct {
	domains []Domain
	byName  map[string]int // canonical name or alias -> index in domains
	byHost  map[string]int // canonical host users type -> index in domains
}

// NewDirectory indexes domains by name and aliases. Each domain must be
// valid and each name may appear once.
func NewDirectory(domains []Domain) (*Directory, error) {
	d := &Directory{
		domains: make([]Domain, len(domains)),
		byName:  make(map[string]int, len(domains)),
		byHost:  make(map[string]int, len(domains)),
	}
	copy(d.domains, domains)
	var errs []error
	for i, dom := range d.domains {
		if err := dom.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("domains[%d]: %w", i, err))
			continue
		}
		for n := -1; n < len(dom.Aliases); n++ {
			name := dom.Name
			if n >= 0 {
				name = dom.Aliases[n]
			}
			key, _ := CanonicalDomain(name)
			if j, dup := d.byName[key]; dup {
				errs = append(errs, fmt.Errorf("domains[%d]: %q is already configured by domains[%d]", i, name, j))
				continue
			}
			d.byName[key] = i
		}
		for _, h := range [...]string{dom.Host, dom.IMAP.Host, dom.SMTP.Host} {
			if h == "" {
				continue // an endpoint without its own host: the domain's
			}
			if key, err := CanonicalDomain(h); err == nil {
				if _, seen := d.byHost[key]; !seen {
					d.byHost[key] = i
				}
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

// Lookup returns the domain configured for an address's domain part.
func (d *Directory) Lookup(domain string) (Domain, bool) {
	key, err := CanonicalDomain(domain)
	if err != nil {
		return Domain{}, false
	}
	i, ok := d.byName[key]
	if !ok {
		return Domain{}, false
	}
	return d.domains[i], true
}

// LookupHost returns the domain whose server is host, for checks asked by
// host name ("bm.domaine.com").
func (d *Directory) LookupHost(host string) (Domain, bool) {
	key, err := CanonicalDomain(host)
	if err != nil {
		return Domain{}, false
	}
	i, ok := d.byHost[key]
	if !ok {
		return Domain{}, false
	}
	return d.domains[i], true
}

// All yields the configured domains in configuration order, without
// copying the list: a provider's has tens of thousands.
func (d *Directory) All() iter.Seq[Domain] {
	return func(yield func(Domain) bool) {
		for _, dom := range d.domains {
			if !yield(dom) {
				return
			}
		}
	}
}

// Domains returns the configured domains in configuration order.
func (d *Directory) Domains() []Domain {
	out := make([]Domain, len(d.domains))
	copy(out, d.domains)
	return out
}
