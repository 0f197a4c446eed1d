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

	"go.yaml.in/yaml/v3"

	"github.com/mailhelp/mailhelp/knowledge"
)

// MaxSize is the largest configuration accepted, in bytes.
const MaxSize = 1 << 20

//go:embed default.yaml
var defaultYAML []byte

// Config is a validated configuration.
type Config struct {
	// DefaultLanguage answers requests whose language cannot be told.
	DefaultLanguage string
	// Directory holds the configured domains.
	Directory *knowledge.Directory
}

// file mirrors the YAML document.
type file struct {
	DefaultLanguage string       `yaml:"default_language"`
	Domains         []domainFile `yaml:"domains"`
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

// DefaultYAML returns the embedded default configuration document.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

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
		return nil, fmt.Errorf("config: %d bytes is over the %d-byte limit", len(data), MaxSize)
	}
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("config: the document is empty")
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("config: only one YAML document is allowed")
	}
	return f.build()
}

func (f file) build() (*Config, error) {
	var errs []error
	lang := f.DefaultLanguage
	switch lang {
	case "":
		lang = "en"
	case "en", "fr":
	default:
		errs = append(errs, fmt.Errorf("default_language: %q is not one of en, fr", lang))
	}
	if len(f.Domains) == 0 {
		errs = append(errs, errors.New("domains: at least one domain is needed"))
	}
	domains := make([]knowledge.Domain, len(f.Domains))
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
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	dir, err := knowledge.NewDirectory(domains)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return &Config{DefaultLanguage: lang, Directory: dir}, nil
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
