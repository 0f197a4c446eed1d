// Package config reads mailhelp's YAML configuration: the answer language
// to fall back on and the mail domains the bot knows, with their servers.
// It parses bytes; reading files and the environment is cmd/mailhelp's job.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
)

// MaxSize is the largest configuration accepted, in bytes: room for a
// hosting provider's 100 000 domains with aliases and overrides (about
// 300 bytes each), while a runaway file is still refused.
const MaxSize = 64 << 20

// SizeError is the error for a configuration of size bytes, over
// MaxSize: it says what the limit is and how to stay under it.
func SizeError(size int64) error {
	return fmt.Errorf("%d bytes is over the %d MiB limit (%d bytes) of a configuration file; "+
		"a domain on one line ({domain: d.example, host: mail.d.example}) takes about 60 bytes: "+
		"write domains that way and drop comments to make it fit", size, MaxSize>>20, MaxSize)
}

//go:embed default.yaml
var defaultYAML []byte

// Config is a validated configuration.
type Config struct {
	// DefaultLanguage answers requests whose language cannot be told.
	DefaultLanguage string
	// Directory holds the configured domains.
	Directory *knowledge.Directory
	// Check configures the live connection check.
	Check Check
	// Web configures the web side of mailhelp serve.
	Web Web
	// Audit configures the audit trail.
	Audit Audit
	// Admins may run admin actions (announcements), per platform.
	Admins map[string]AdminSet
	// Announce configures announcements.
	Announce Announce
	// Store configures the state replicas share.
	Store Store
}

// Store configures where the state that several replicas of mailhelp
// serve share is kept: which replica answers a delivery, the live
// checks' rate limits. Without a URL it stays in each process, which is
// right for one.
type Store struct {
	// URL is a Redis (or Valkey) server: redis://host:port/db, or
	// rediss:// for TLS. A password does not belong in the file: the
	// whole URL may come from $MAILHELP_REDIS_URL instead, which wins.
	URL string
	// ClaimLease is how long a replica that stops answering (killed, cut
	// off) holds the chat deliveries it was answering before another may
	// take them; 0 means the store's default (30 s). A live replica renews
	// its claims three times a lease.
	ClaimLease time.Duration
}

// AdminSet is one platform's admins: user ids, and role or group ids
// (Slack user groups; Discord roles). ManageServer makes anyone with
// Discord's Manage Server permission an admin.
type AdminSet struct {
	Users, Roles []string
	ManageServer bool
}

// Announce configures admins' settings announcements.
type Announce struct {
	// Expiry is how long a preview may be confirmed.
	Expiry time.Duration
	// ChannelLang gives channels (by id) their languages: announcements
	// there are posted once in each, in this order.
	ChannelLang map[string][]string
	// Changes names, per platform, the channel where a reload's change
	// announcements go once an admin confirms them; none means they are
	// only logged.
	Changes map[string]string
}

// DefaultAuditName is the audit trail's file name in the state
// directory, where it goes when audit.file is not set.
const DefaultAuditName = "mailhelp-audit.jsonl"

// Audit configures the audit trail of admin actions and live checks.
type Audit struct {
	// File is the JSON-lines trail; "off" turns it off. Empty (the
	// default) means DefaultAuditName in the platform's state directory,
	// which the program reading the environment resolves (cmd/mailhelp:
	// $STATE_DIRECTORY, /var/lib/mailhelp, ~/.local/state/mailhelp…).
	File string
	// MaxBytes rotates the file past this size; Keep old files are kept.
	MaxBytes int64
	Keep     int
}

// Web configures the HTTP listener and the links to answers.
type Web struct {
	// Listen is the address the web side listens on.
	Listen string
	// PublicURL is where people reach the web side; when set, answers
	// carry a permalink under it.
	PublicURL string
	// TrustedProxies are the reverse proxies in front of the web side:
	// only from these peers are X-Forwarded-For and Forwarded read to
	// tell who the client is. None by default.
	TrustedProxies []netip.Prefix
	// ProfileSigning, when set, names the PEM certificate (then its
	// intermediates) and key that sign Apple configuration profiles, so
	// devices show them as verified. package app reads the files.
	ProfileSigning *ProfileSigning
}

// ProfileSigning names the files of the profile-signing identity.
type ProfileSigning struct {
	Cert, Key string
}

// Check configures the live connection check.
type Check struct {
	// Enabled turns live checks on (the default); off, a check request
	// is answered with the settings to verify by hand.
	Enabled bool
	// AllowAnyHost lets users check servers that are not configured;
	// those must resolve to public addresses only.
	AllowAnyHost bool
	// Budget bounds one whole check.
	Budget time.Duration
	// CAFile names extra trusted authorities (PEM), for servers whose
	// certificates come from an internal CA. cmd/mailhelp reads it.
	CAFile string
	// Hosts pins the addresses of host names, for a bot that cannot
	// resolve internal names (split DNS); host -> IP.
	Hosts map[string]netip.Addr
	// DNS, when set, is the name server (IP and port) checks ask, for a
	// bot whose system resolver does not see the mail domains' zones
	// (split DNS): the live check's addresses and the discovery check's
	// SRV records and web names. Hosts still come first.
	DNS netip.AddrPort
	// PerUser and PerTarget bound checks per Window; MaxConcurrent bounds
	// checks running at once.
	PerUser, PerTarget, MaxConcurrent int
	Window                            time.Duration
}

// file mirrors the YAML document.
type file struct {
	fileRest `yaml:",inline"`
	Domains  []domainFile `yaml:"domains"`
}

// fileRest is the document but its domains, which the scanner may read
// (fastdomains.go).
type fileRest struct {
	DefaultLanguage string    `yaml:"default_language"`
	Check           checkFile `yaml:"check"`
	Web             webFile   `yaml:"web"`
	Audit           auditFile `yaml:"audit"`
	Store           storeFile `yaml:"store"`
	Admins          struct {
		Slack struct {
			Users  []string `yaml:"users"`
			Groups []string `yaml:"groups"`
		} `yaml:"slack"`
		Discord struct {
			Users        []string `yaml:"users"`
			Roles        []string `yaml:"roles"`
			ManageServer bool     `yaml:"manage_server"`
		} `yaml:"discord"`
	} `yaml:"admins"`
	Announce struct {
		Expiry   string              `yaml:"expiry"`
		Channels map[string]langList `yaml:"channels"`
		Changes  struct {
			Slack   string `yaml:"slack"`
			Discord string `yaml:"discord"`
		} `yaml:"changes"`
	} `yaml:"announce"`
}

type storeFile struct {
	URL        string `yaml:"url"`
	ClaimLease string `yaml:"claim_lease"`
}

type auditFile struct {
	File  string `yaml:"file"`
	MaxMB int    `yaml:"max_mb"`
	Keep  int    `yaml:"keep"`
}

type webFile struct {
	Listen         string   `yaml:"listen"`
	PublicURL      string   `yaml:"public_url"`
	TrustedProxies []string `yaml:"trusted_proxies"`
	ProfileSigning *struct {
		Cert string `yaml:"cert"`
		Key  string `yaml:"key"`
	} `yaml:"profile_signing"`
}

type checkFile struct {
	Enabled       *bool             `yaml:"enabled"`
	AllowAnyHost  bool              `yaml:"allow_any_host"`
	Budget        string            `yaml:"budget"`
	CAFile        string            `yaml:"ca_file"`
	Hosts         map[string]string `yaml:"hosts"`
	DNS           string            `yaml:"dns"`
	PerUser       int               `yaml:"per_user"`
	PerTarget     int               `yaml:"per_target"`
	Window        string            `yaml:"window"`
	MaxConcurrent int               `yaml:"max_concurrent"`
}

type domainFile struct {
	Domain   string       `yaml:"domain"`
	Aliases  []string     `yaml:"aliases"`
	Host     string       `yaml:"host"`
	Webmail  string       `yaml:"webmail"`
	Support  string       `yaml:"support"`
	Language string       `yaml:"language"`
	IMAP     endpointFile `yaml:"imap"`
	SMTP     endpointFile `yaml:"smtp"`
}

type endpointFile struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Security string `yaml:"security"`
}

// Default returns the embedded default configuration.
func Default() (*Config, error) {
	c, err := Parse(defaultYAML)
	if err != nil {
		return nil, fmt.Errorf("embedded default configuration: %w", err)
	}
	return c, nil
}

// Parse decodes and validates a YAML configuration. Unknown fields are
// errors, so a misspelt key is reported instead of silently ignored.
func Parse(data []byte) (*Config, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("config: %w", SizeError(int64(len(data))))
	}
	f, ok := decodeFast(data)
	if !ok {
		var err error
		if f, err = decode(data); err != nil {
			return nil, err
		}
	}
	c, errs := f.build()
	if len(errs) > 0 {
		return nil, problemsOf(data, errs)
	}
	return c, nil
}

// decode decodes a document with yaml.v3 alone.
func decode(data []byte) (file, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return f, &Error{Problems: []Problem{{Msg: "the document is empty"}}}
		}
		var te *yaml.TypeError
		if errors.As(err, &te) {
			var errs []error
			for _, e := range te.Errors {
				errs = append(errs, errors.New(e))
			}
			return f, problemsOf(data, errs)
		}
		return f, problemsOf(data, []error{err})
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return f, &Error{Problems: []Problem{{Msg: "only one YAML document is allowed"}}}
	}
	return f, nil
}

// decodeFast decodes a document whose domain list the scanner reads
// (fastdomains.go), the rest with yaml.v3; ok is false for any other,
// and for any document yaml.v3 finds something wrong with (decode then
// says what).
func decodeFast(data []byte) (f file, ok bool) {
	r, ok := scanDomains(data, true)
	if !ok {
		return f, false
	}
	// yaml.v3 refuses a document that decodes too many nodes through
	// aliases for the nodes it decodes; without the list's nodes, the
	// count would not be the same. A document that may have aliases
	// ('*' outside the list, which has none) is left to decode.
	if bytes.IndexByte(data[:r.start], '*') >= 0 || bytes.IndexByte(data[r.end:], '*') >= 0 {
		return f, false
	}
	var rest struct {
		fileRest `yaml:",inline"`
		Domains  sentinelNode `yaml:"domains"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(r.blank(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&rest); err != nil {
		return f, false
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) || !rest.Domains.is(r) {
		return f, false
	}
	return file{fileRest: rest.fileRest, Domains: r.domains}, true
}

func (f file) build() (*Config, []error) {
	var errs []error
	lang := f.DefaultLanguage
	langs := locales.Tags()
	switch {
	case lang == "":
		lang = langs[0]
	case !slices.Contains(langs, lang):
		errs = append(errs, fmt.Errorf("default_language: %q is not one of %s", lang, strings.Join(langs, ", ")))
	}
	if len(f.Domains) == 0 {
		errs = append(errs, errors.New("domains: at least one domain is needed"))
	}
	domains := make([]knowledge.Domain, len(f.Domains))
	langOK := true
	for i, d := range f.Domains {
		domains[i] = knowledge.Domain{
			Name:     d.Domain,
			Aliases:  d.Aliases,
			Host:     d.Host,
			Webmail:  d.Webmail,
			Support:  d.Support,
			Language: d.Language,
			IMAP:     d.IMAP.endpoint(),
			SMTP:     d.SMTP.endpoint(),
		}
		langOK = langOK && (d.Language == "" || slices.Contains(langs, d.Language))
	}
	// The other sections' problems come after the domains' ones.
	check, rest := f.Check.build()
	web, werrs := f.Web.build()
	rest = append(rest, werrs...)
	store, serr := f.Store.build()
	rest = append(rest, serr...)
	au := Audit{File: f.Audit.File, MaxBytes: 10 << 20, Keep: 5}
	if f.Audit.MaxMB < 0 || f.Audit.MaxMB > 10000 {
		rest = append(rest, fmt.Errorf("audit.max_mb: %d is not between 1 and 10000", f.Audit.MaxMB))
	} else if f.Audit.MaxMB > 0 {
		au.MaxBytes = int64(f.Audit.MaxMB) << 20
	}
	if f.Audit.Keep < 0 || f.Audit.Keep > 100 {
		rest = append(rest, fmt.Errorf("audit.keep: %d is not between 1 and 100", f.Audit.Keep))
	} else if f.Audit.Keep > 0 {
		au.Keep = f.Audit.Keep
	}
	admins := map[string]AdminSet{
		"slack":   {Users: f.Admins.Slack.Users, Roles: f.Admins.Slack.Groups},
		"discord": {Users: f.Admins.Discord.Users, Roles: f.Admins.Discord.Roles, ManageServer: f.Admins.Discord.ManageServer},
	}
	ann := Announce{Expiry: 10 * time.Minute, ChannelLang: map[string][]string{}, Changes: map[string]string{}}
	if ch := f.Announce.Changes.Slack; ch != "" {
		ann.Changes["slack"] = ch
	}
	if ch := f.Announce.Changes.Discord; ch != "" {
		ann.Changes["discord"] = ch
	}
	if f.Announce.Expiry != "" {
		d, err := time.ParseDuration(f.Announce.Expiry)
		if err != nil || d < time.Minute || d > 24*time.Hour {
			rest = append(rest, fmt.Errorf("announce.expiry: %q is not a duration between 1m and 24h", f.Announce.Expiry))
		} else {
			ann.Expiry = d
		}
	}
	for ch, chLangs := range f.Announce.Channels {
		seen := map[string]bool{}
		for _, l := range chLangs {
			switch {
			case !slices.Contains(langs, l):
				rest = append(rest, fmt.Errorf("announce.channels.%s: %q is not one of %s", ch, l, strings.Join(langs, ", ")))
			case seen[l]:
				rest = append(rest, fmt.Errorf("announce.channels.%s: %q is listed twice", ch, l))
			}
			seen[l] = true
		}
		if len(chLangs) == 0 {
			rest = append(rest, fmt.Errorf("announce.channels.%s: no language (want one of %s, or a list of them)", ch, strings.Join(langs, ", ")))
		}
		ann.ChannelLang[ch] = chLangs
	}
	// The directory validates each domain as it indexes them: when it
	// can be built, no domain has a problem to report, and they are not
	// validated twice (a provider's configuration has tens of thousands).
	if len(errs) > 0 || !langOK || len(rest) > 0 {
		return nil, append(append(errs, domainProblems(domains, langs)...), rest...)
	}
	dir, err := knowledge.NewDirectory(domains)
	if err == nil {
		return &Config{DefaultLanguage: lang, Directory: dir, Check: check, Web: web, Audit: au, Admins: admins, Announce: ann, Store: store}, nil
	}
	if errs := domainProblems(domains, langs); len(errs) > 0 {
		return nil, errs
	}
	return nil, asProblems(err) // duplicates: "domains[1]: … is already configured"
}

// domainProblems lists what is wrong with each domain, field by field.
func domainProblems(domains []knowledge.Domain, langs []string) []error {
	var errs []error
	for i, d := range domains {
		for _, p := range d.Problems() {
			errs = append(errs, fmt.Errorf("domains[%d].%w", i, p))
		}
		if d.Language != "" && !slices.Contains(langs, d.Language) {
			errs = append(errs, fmt.Errorf("domains[%d].language: %q is not one of %s", i, d.Language, strings.Join(langs, ", ")))
		}
	}
	return errs
}

// build validates the web section and fills its defaults.
func (w webFile) build() (Web, []error) {
	var errs []error
	out := Web{Listen: "127.0.0.1:8080", PublicURL: strings.TrimSuffix(w.PublicURL, "/")}
	if w.Listen != "" {
		if _, _, err := net.SplitHostPort(w.Listen); err != nil {
			errs = append(errs, fmt.Errorf("web.listen: %q is not host:port", w.Listen))
		}
		out.Listen = w.Listen
	}
	if w.PublicURL != "" {
		u, err := url.Parse(w.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("web.public_url: %q is not an http(s) base URL", w.PublicURL))
		}
	}
	if ps := w.ProfileSigning; ps != nil {
		if ps.Cert == "" || ps.Key == "" {
			errs = append(errs, errors.New("web.profile_signing: both cert and key (PEM file paths) are needed"))
		} else {
			out.ProfileSigning = &ProfileSigning{Cert: ps.Cert, Key: ps.Key}
		}
	}
	for i, s := range w.TrustedProxies {
		p, err := parsePrefix(s)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("web.trusted_proxies[%d]: %q is not a CIDR (10.0.0.0/8) or an IP address: %w", i, s, err))
		case p.Bits() == 0:
			errs = append(errs, fmt.Errorf("web.trusted_proxies[%d]: %q would trust every peer to say who the client is", i, s))
		default:
			out.TrustedProxies = append(out.TrustedProxies, p)
		}
	}
	return out, errs
}

// parsePrefix reads a CIDR, or an address as the prefix of that one
// host; host bits are cleared ("172.16.5.4/12" is 172.16.0.0/12).
func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		if a.Zone() != "" {
			return netip.Prefix{}, errors.New("a zone is not allowed")
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		// ::ffff:10.0.0.0/104 is 10.0.0.0/8: clients are compared unmapped.
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

// build validates the check section and fills its defaults.
func (c checkFile) build() (Check, []error) {
	var errs []error
	out := Check{
		Enabled: c.Enabled == nil || *c.Enabled, AllowAnyHost: c.AllowAnyHost, CAFile: c.CAFile,
		Budget: 15 * time.Second, Window: time.Minute,
		PerUser: 5, PerTarget: 10, MaxConcurrent: 4,
	}
	dur := func(field, v string, lo, hi time.Duration, dst *time.Duration) {
		if v == "" {
			return
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < lo || d > hi {
			errs = append(errs, fmt.Errorf("check.%s: %q is not a duration between %s and %s", field, v, lo, hi))
			return
		}
		*dst = d
	}
	dur("budget", c.Budget, time.Second, 2*time.Minute, &out.Budget)
	dur("window", c.Window, time.Second, 24*time.Hour, &out.Window)
	count := func(field string, v, hi int, dst *int) {
		switch {
		case v == 0:
		case v < 0 || v > hi:
			errs = append(errs, fmt.Errorf("check.%s: %d is not between 1 and %d", field, v, hi))
		default:
			*dst = v
		}
	}
	count("per_user", c.PerUser, 10000, &out.PerUser)
	count("per_target", c.PerTarget, 10000, &out.PerTarget)
	count("max_concurrent", c.MaxConcurrent, 1000, &out.MaxConcurrent)
	if c.DNS != "" {
		ap, err := parseNameServer(c.DNS)
		if err != nil {
			errs = append(errs, fmt.Errorf("check.dns: %q is not an IP address with an optional port (10.0.0.53 or 10.0.0.53:53)", c.DNS))
		} else {
			out.DNS = ap
		}
	}
	for host, ip := range c.Hosts {
		key, err := knowledge.CanonicalDomain(host)
		if err != nil {
			errs = append(errs, fmt.Errorf("check.hosts: %w", err))
			continue
		}
		a, err := netip.ParseAddr(ip)
		if err != nil {
			errs = append(errs, fmt.Errorf("check.hosts.%s: %q is not an IP address", host, ip))
			continue
		}
		if out.Hosts == nil {
			out.Hosts = make(map[string]netip.Addr)
		}
		out.Hosts[key] = a
	}
	return out, errs
}

// parseNameServer reads "IP" (port 53) or "IP:port", IPv6 in brackets
// with a port.
func parseNameServer(s string) (netip.AddrPort, error) {
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return netip.AddrPortFrom(a, 53), nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.AddrPort{}, err
	}
	if ap.Port() == 0 || ap.Addr().Zone() != "" {
		return netip.AddrPort{}, errors.New("no port or a zone")
	}
	return ap, nil
}

func (e endpointFile) endpoint() knowledge.Endpoint {
	return knowledge.Endpoint{Host: e.Host, Port: e.Port, Security: parseSecurity(e.Security)}
}

// parseSecurity accepts the names admins use for the two TLS modes.
func parseSecurity(s string) knowledge.Security {
	switch s {
	case "ssl", "ssl/tls", "implicit-tls":
		return knowledge.ImplicitTLS
	case "starttls":
		return knowledge.StartTLS
	default:
		return knowledge.Security(s)
	}
}
