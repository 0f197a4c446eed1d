package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
)

// starter is what `mailhelp config init` asks for.
type starter struct {
	Domain, Host, Webmail, Support, Lang string
}

// starterField is one question of config init: its flag, its prompt, its
// default (from the answers so far; "" when it has none and must be
// given) and its check.
type starterField struct {
	flag, prompt string
	value        func(*starter) *string
	def          func(*starter) string
	check        func(string) (string, error)
}

// starterFields are config init's questions, in order; made when asked
// for, not at every command's start (the languages are looked up).
func starterFields() []starterField {
	return []starterField{
		{"domain", "Mail domain, the part after @ in users' addresses (e.g. example.org)",
			func(s *starter) *string { return &s.Domain }, nil, checkDomainName},
		{"host", "Webmail host: what users type as the server, without https:// (e.g. mail.example.org)",
			func(s *starter) *string { return &s.Host }, nil, checkDomainName},
		{"webmail", "Webmail address",
			func(s *starter) *string { return &s.Webmail }, func(s *starter) string { return "https://" + s.Host }, checkWebmail},
		{"support", "Support address, shown to users when something fails (e.g. helpdesk@example.org)",
			func(s *starter) *string { return &s.Support }, nil, checkSupport},
		{"lang", "Default answer language (" + strings.Join(locales.Tags(), ", ") + ")",
			func(s *starter) *string { return &s.Lang }, func(*starter) string { return locales.Tags()[0] }, checkLang},
	}
}

// configInit runs "mailhelp config init": it writes a commented starter
// configuration, from flags or, on a terminal, from answers to
// questions. It looks nothing up over the network.
func (m *Main) configInit(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("config init", flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	var s starter
	for _, f := range starterFields() {
		usage := f.prompt
		if f.flag == "webmail" {
			usage += " (default: https://HOST)"
		}
		fl.StringVar(f.value(&s), f.flag, "", usage)
	}
	output := fl.String("output", "mailhelp.yaml", "file to write (- for standard output)")
	force := fl.Bool("force", false, "overwrite the output file when it exists")
	fl.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp config init [--domain D] [--host H] [--webmail URL] [--support S] [--lang L] [--output FILE] [--force]")
		fmt.Fprintln(m.Stderr, "Writes a commented starter configuration that passes `mailhelp config check`. What no flag gives is asked on a terminal.")
		fl.PrintDefaults()
	}
	if code, ok := parseFlags(fl, args); !ok {
		return code
	}
	if fl.NArg() > 0 {
		fl.Usage()
		return exitUsage
	}
	if *output != "-" && !*force {
		if _, err := os.Lstat(*output); err == nil {
			fmt.Fprintf(m.Stderr, "mailhelp config init: %s exists; --force overwrites it, --output names another file\n", *output)
			return exitFail
		}
	}
	if err := m.completeStarter(&s); err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp config init: %v\n", err)
		return exitUsage
	}
	data, err := renderStarter(s)
	if err != nil { // a bug: the answers were checked one by one
		fmt.Fprintf(m.Stderr, "mailhelp config init: %v\n", err)
		return exitFail
	}
	if *output == "-" {
		_, err = m.Stdout.Write(data)
	} else {
		err = writeNewFile(*output, data, *force)
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp config init: %v\n", err)
		return exitFail
	}
	if *output != "-" {
		fmt.Fprintf(m.Stdout, "wrote %s\nnext: mailhelp config check %s\n      mailhelp doctor --config %s\n", *output, *output, *output)
	}
	return exitOK
}

// completeStarter checks the answers given as flags and fills the others:
// asked on a terminal, else their defaults; without a terminal a missing
// answer that has no default is an error naming its flag.
func (m *Main) completeStarter(s *starter) error {
	tty := isTerminal(m.Stdin)
	var in *bufio.Reader
	if tty {
		in = bufio.NewReader(m.Stdin)
	}
	var missing []string
	for _, f := range starterFields() {
		v := f.value(s)
		def := ""
		if f.def != nil {
			def = f.def(s)
		}
		switch {
		case *v != "":
			checked, err := f.check(*v)
			if err != nil {
				return fmt.Errorf("--%s: %w", f.flag, err)
			}
			*v = checked
		case tty:
			answer, err := m.prompt(in, f, def)
			if err != nil {
				return err
			}
			*v = answer
		case def != "":
			*v = def
		default:
			missing = append(missing, "--"+f.flag)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s (standard input is not a terminal to ask for them)", strings.Join(missing, ", "))
	}
	return nil
}

// prompt asks f on stderr until the answer read from in passes its check;
// an empty answer takes def when there is one.
func (m *Main) prompt(in *bufio.Reader, f starterField, def string) (string, error) {
	for {
		if def != "" {
			fmt.Fprintf(m.Stderr, "%s [%s]: ", f.prompt, def)
		} else {
			fmt.Fprintf(m.Stderr, "%s: ", f.prompt)
		}
		line, err := in.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			fmt.Fprintln(m.Stderr)
			if err == io.EOF {
				return "", fmt.Errorf("no answer for --%s (end of input)", f.flag)
			}
			return "", fmt.Errorf("reading --%s: %w", f.flag, err)
		}
		answer := strings.TrimSpace(line)
		if answer == "" {
			answer = def
		}
		if answer == "" {
			fmt.Fprintln(m.Stderr, "  an answer is needed")
			continue
		}
		checked, cerr := f.check(answer)
		if cerr == nil {
			return checked, nil
		}
		fmt.Fprintf(m.Stderr, "  %v\n", cerr)
		if err == io.EOF {
			return "", fmt.Errorf("--%s: %w", f.flag, cerr)
		}
	}
}

// checkDomainName accepts a domain or host name as the configuration
// will (internationalized names too), lower-cased.
func checkDomainName(v string) (string, error) {
	if _, err := knowledge.CanonicalDomain(v); err != nil {
		return "", fmt.Errorf("%q is not a domain name like example.org", v)
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(v), ".")), nil
}

// checkWebmail accepts an http(s) URL with a host and nothing that would
// not belong in a link, as typed.
func checkWebmail(v string) (string, error) {
	v = strings.TrimSpace(v)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || strings.ContainsAny(v, " \t\r\n") {
		return "", fmt.Errorf("%q is not a web address like https://mail.example.org", v)
	}
	return v, nil
}

// checkSupport accepts an address or a web page, on one line.
func checkSupport(v string) (string, error) {
	v = strings.TrimSpace(v)
	if strings.ContainsAny(v, "\r\n\t") || len(v) > 254 {
		return "", fmt.Errorf("%q is not one line of at most 254 characters", v)
	}
	if local, domain, ok := strings.Cut(v, "@"); ok && local != "" && !strings.ContainsAny(local, " <>") {
		if _, err := knowledge.CanonicalDomain(domain); err == nil {
			return v, nil
		}
	}
	if _, err := checkWebmail(v); err == nil {
		return v, nil
	}
	return "", fmt.Errorf("%q is neither an address like helpdesk@example.org nor a web page", v)
}

// checkLang accepts a language mailhelp speaks.
func checkLang(v string) (string, error) {
	v = strings.ToLower(strings.TrimSpace(v))
	if langs := locales.Tags(); !slices.Contains(langs, v) {
		return "", fmt.Errorf("%q is not one of %s", v, strings.Join(langs, ", "))
	}
	return v, nil
}

// starterTemplate is the starter configuration; its values are YAML
// scalars (quoted where YAML needs it). It is parsed when config init
// first needs it, not at every command's start.
var starterTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("starter").Parse(starterText))
})

// starterText is starterTemplate's text.
const starterText = `# mailhelp's configuration, started by "mailhelp config init".
#
# Check it after every change:  mailhelp config check FILE
# Every field is described in the README, section "Configuration";
# unknown keys are errors. Tokens never go here: they come from the
# environment (see deploy/mailhelp.example.env).

# The answer language when nothing else tells (not the question, nor the
# user's locale, nor the domain): {{.Langs}}.
default_language: {{.Lang}}

# The mail domains mailhelp answers for: one block each.
domains:
  - domain: {{.Domain}}
    # Other address domains served the same way:
    # aliases: [staff.{{.RawDomain}}]
    # What users type as the server: the webmail address without https://.
    host: {{.Host}}
    webmail: {{.Webmail}}
    # Shown as "contact …" when something fails.
    support: {{.Support}}
    # The mail servers, when they are not the host above on the usual
    # ports (IMAP 993 SSL/TLS, submission 587 STARTTLS):
    # imap: {host: imap.{{.RawDomain}}, port: 993, security: ssl/tls}
    # smtp: {host: smtp.{{.RawDomain}}, port: 465, security: ssl/tls}

# The live check ("check alice@{{.RawDomain}}"). Only the servers above may
# be checked unless allow_any_host is true.
check:
  enabled: true
  allow_any_host: false
  budget: 15s            # one whole check
  per_user: 5            # checks per user per window
  per_target: 10         # checks of one server per window
  window: 1m
  max_concurrent: 4      # checks running at once
  # ca_file: /etc/mailhelp/internal-ca.pem   # extra trusted CAs (PEM)
  # hosts: {mail.{{.RawDomain}}: 10.0.0.25}  # pinned addresses, for split DNS

# mailhelp serve: the web side (chat page, answer pages, JSON API).
web:
  listen: 127.0.0.1:8080
  # public_url: https://mailhelp.{{.RawDomain}}   # answers then link to their page
  # trusted_proxies: [127.0.0.1/32]      # reverse proxies that say who the client is

# The audit trail of live checks and admin actions (read it with
# "mailhelp audit"). Unset, the file is mailhelp-audit.jsonl in the state
# directory: $STATE_DIRECTORY under systemd, /var/lib/mailhelp in the
# Docker image, else $XDG_STATE_HOME/mailhelp or ~/.local/state/mailhelp.
audit:
  # file: /var/lib/mailhelp/mailhelp-audit.jsonl   # or "off"
  max_mb: 10             # rotated past this size
  keep: 5                # old files kept

# Who may post settings announcements; nobody by default.
# admins:
#   slack: {users: [U024BE7LH], groups: [S0614TZR7]}
#   discord: {users: ["80351110224678912"], roles: ["41771983423143936"], manage_server: true}
# announce:
#   expiry: 10m
#   channels: {C0123ABC: {{.Lang}}}
#   changes: {slack: C0123ABC, discord: "123456789012345678"}
`

// renderStarter writes the starter configuration of s, and makes sure it
// is one that `mailhelp config check` accepts.
func renderStarter(s starter) ([]byte, error) {
	scalar := func(v string) string {
		b, err := yaml.Marshal(v)
		if err != nil {
			return fmt.Sprintf("%q", v)
		}
		return strings.TrimSpace(string(b))
	}
	var buf bytes.Buffer
	err := starterTemplate().Execute(&buf, map[string]string{
		"Lang": scalar(s.Lang), "Langs": strings.Join(locales.Tags(), ", "),
		"Domain": scalar(s.Domain), "RawDomain": s.Domain, "Host": scalar(s.Host),
		"Webmail": scalar(s.Webmail), "Support": scalar(s.Support),
	})
	if err != nil {
		return nil, fmt.Errorf("starter configuration: %w", err)
	}
	data := buf.Bytes()
	if err := config.Complete(data); err != nil {
		return nil, fmt.Errorf("starter configuration: %w", err)
	}
	if _, err := config.Parse(data); err != nil {
		return nil, fmt.Errorf("starter configuration: %w", err)
	}
	return data, nil
}

// writeNewFile writes data to path: only when path does not exist yet,
// unless force, which replaces it whole (a temporary file renamed over
// it, so that a running serve never reads half a file).
func writeNewFile(path string, data []byte, force bool) error {
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("%s exists; --force overwrites it", path)
			}
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return err
		}
		return f.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mailhelp-config-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
