package config

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A provider's configuration is mostly its domains: list, tens of
// thousands of entries written the same few ways. go.yaml.in/yaml/v3
// takes about 4 µs per entry (tokens, events, a node tree, then
// reflection), most of a 100 000-domain file's loading time; the list
// is read here instead, by a scanner that knows only the plain subset
// of YAML such lists are written in:
//
//	domains:                 # a block sequence of mappings,
//	  - {domain: a.example, host: mail.a.example, smtp: {port: 465}}
//	  - domain: b.example    # flow or block,
//	    aliases: [c.example] # with flow or block lists and mappings
//	    imap:                # of plain or quoted one-line scalars
//	      port: 143
//
// The rest of the document (the "domains:" line with "[]" for its value,
// the list's lines left empty so that lines keep their numbers) goes to
// yaml.v3 as before, known fields and all. Its decoder must find that
// "[]" where the list was, as the value of the top-level domains key:
// then the list was where the scanner thought it was, and the document
// is the same one with the list put back.
//
// Anything else (a key it does not know, a value it would have to
// resolve, a tag, an anchor, a multi-line scalar, a tab, a CR, a
// character yaml.v3 may treat otherwise) and the scanner gives up: the
// whole document goes to yaml.v3, which decodes it or says what is
// wrong with it, as it did before. So every document gives the same
// result as with yaml.v3 alone; TestFastDomainsGenerated and
// FuzzFastDomains check that they agree.

// domainsKey starts the line the scanner looks for.
const domainsKey = "domains:"

// domainsSentinel stands for the list in the document yaml.v3 reads;
// sentinelColumn is the (1-based) column of its node.
const (
	domainsSentinel = "domains: []"
	sentinelColumn  = len("domains: ") + 1
)

// domainsRegion is where a document's domain list is: from the start
// of the "domains:" line to the start of the line after the list.
type domainsRegion struct {
	start, end int
	line       int // the "domains:" line's number (1-based)
	domains    []domainFile
}

// scanDomains finds and reads the top-level domain list, if the
// document is one the scanner knows. With keep false, the list is only
// checked: the region has its place but no domains.
func scanDomains(data []byte, keep bool) (domainsRegion, bool) {
	start, ok := findDomainsLine(data)
	if !ok {
		return domainsRegion{}, false
	}
	// The list's values are substrings of one copy of its text.
	s := &fastScanner{src: string(data[start:]), discard: !keep}
	p, ok := s.endOfLine(len(domainsKey))
	if !ok {
		return domainsRegion{}, false // a value on the key's line
	}
	domains, end, ok := s.list(p)
	if !ok || !printable(data[start:start+end]) {
		return domainsRegion{}, false
	}
	if !keep {
		domains = nil
	}
	return domainsRegion{start: start, end: start + end, line: bytes.Count(data[:start], []byte("\n")) + 1, domains: domains}, true
}

// findDomainsLine returns the offset of the first line that is
// "domains:" at column 0, in a document whose first line (comments and
// blank lines aside) is a plain key at column 0: the root is a block
// mapping (or not a mapping at all, which yaml.v3 then refuses).
func findDomainsLine(data []byte) (int, bool) {
	i := 0
	for {
		j := i
		for j < len(data) && data[j] == ' ' {
			j++
		}
		switch {
		case j == len(data):
			return 0, false
		case data[j] == '\n':
			i = j + 1
			continue
		case data[j] == '#':
			nl := bytes.IndexByte(data[j:], '\n')
			if nl < 0 {
				return 0, false
			}
			i = j + nl + 1
			continue
		case j != i || !isKeyStart(data[j]):
			return 0, false
		}
		break
	}
	if bytes.HasPrefix(data[i:], []byte(domainsKey)) {
		return i, true
	}
	k := bytes.Index(data[i:], []byte("\n"+domainsKey))
	if k < 0 {
		return 0, false
	}
	return i + k + 1, true
}

// isKeyStart reports whether c may start a key of the document.
func isKeyStart(c byte) bool { return 'a' <= c && c <= 'z' || c == '_' }

// blank returns the document with the domain list replaced by the
// sentinel and as many line breaks as the list had.
func (r domainsRegion) blank(data []byte) []byte {
	region := data[r.start:r.end]
	lines := bytes.Count(region, []byte("\n"))
	out := make([]byte, 0, len(data)-len(region)+len(domainsSentinel)+lines)
	out = append(out, data[:r.start]...)
	out = append(out, domainsSentinel...)
	for range lines {
		out = append(out, '\n')
	}
	return append(out, data[r.end:]...)
}

// sentinelNode is the domains field of the document yaml.v3 reads: it
// records the node it is given.
type sentinelNode struct {
	calls        int
	line, column int
	empty        bool
}

// UnmarshalYAML records n.
func (s *sentinelNode) UnmarshalYAML(n *yaml.Node) error {
	s.calls++
	s.line, s.column = n.Line, n.Column
	s.empty = n.Kind == yaml.SequenceNode && n.Style == yaml.FlowStyle && len(n.Content) == 0
	return nil
}

// is reports whether the sentinel was decoded once, from where the
// region put it.
func (s *sentinelNode) is(r domainsRegion) bool {
	return s.calls == 1 && s.empty && s.line == r.line && s.column == sentinelColumn
}

// isSentinel reports whether n (a key and its value in a node tree) is
// the region's sentinel.
func (r domainsRegion) isSentinel(key, value *yaml.Node) bool {
	return key.Kind == yaml.ScalarNode && key.Style == 0 && key.Value == "domains" && key.Line == r.line && key.Column == 1 &&
		value.Kind == yaml.SequenceNode && value.Style == yaml.FlowStyle && len(value.Content) == 0 &&
		value.Line == r.line && value.Column == sentinelColumn
}

// printable reports whether text has only characters yaml.v3 reads as
// themselves: line feeds, printable ASCII and the printable rest of
// Unicode, but no tab, CR, NEL, line or paragraph separator or BOM.
func printable(text []byte) bool {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c != '\n' && (c < 0x20 || c > 0x7e) {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return false
		case r < 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff, r > 0xd7ff && r < 0xe000, r > 0xfffd && r < 0x10000:
			return false
		}
		i += size
	}
	return true
}

// fastScanner reads a domain list; positions are offsets in src. Each
// method returns ok false where the text is not in the subset it knows.
type fastScanner struct {
	src string
	// discard reads each entry of the list into the same place.
	discard bool
}

// at returns the byte at p, or 0 past the end.
func (s *fastScanner) at(p int) byte {
	if p < len(s.src) {
		return s.src[p]
	}
	return 0
}

func (s *fastScanner) spaces(p int) int {
	for p < len(s.src) && s.src[p] == ' ' {
		p++
	}
	return p
}

// endOfLine skips spaces and a comment to the start of the next line.
func (s *fastScanner) endOfLine(p int) (int, bool) {
	q := s.spaces(p)
	switch s.at(q) {
	case 0:
		return q, q == len(s.src)
	case '\n':
		return q + 1, true
	case '#':
		if q == 0 || s.src[q-1] != ' ' {
			return 0, false // a comment needs a space before it
		}
		for q < len(s.src) && s.src[q] != '\n' {
			q++
		}
		return min(q+1, len(s.src)), true
	}
	return 0, false
}

// content finds the next line with content from the line starting at
// p: its start, its column and where its content starts; eof when
// there is none.
func (s *fastScanner) content(p int) (line, col, at int, eof bool) {
	for p < len(s.src) {
		q := s.spaces(p)
		switch s.at(q) {
		case 0:
			return len(s.src), 0, len(s.src), true
		case '\n':
			p = q + 1
			continue
		case '#':
			for q < len(s.src) && s.src[q] != '\n' {
				q++
			}
			p = q + 1
			continue
		}
		return p, q - p, q, false
	}
	return len(s.src), 0, len(s.src), true
}

// dash reports whether a block sequence entry ("- ") starts at p.
func (s *fastScanner) dash(p int) bool {
	return s.at(p) == '-' && s.at(p+1) == ' '
}

// list reads the domain list from the line starting at p; it returns
// where the line after it starts: a top-level key's, or the end.
func (s *fastScanner) list(p int) ([]domainFile, int, bool) {
	var out []domainFile
	seqCol := 0
	for {
		line, col, at, eof := s.content(p)
		if eof {
			return out, len(s.src), len(out) > 0
		}
		if len(out) > 0 && (col < seqCol || col == seqCol && !s.dash(at)) {
			// The list ends at the document's next key.
			if col != 0 || !isKeyStart(s.src[at]) {
				return nil, 0, false
			}
			return out, line, true
		}
		if len(out) == 0 {
			seqCol = col
			if !s.discard {
				out = make([]domainFile, 0, s.entries(line, seqCol))
			}
		}
		if col != seqCol || !s.dash(at) {
			return nil, 0, false
		}
		if s.discard && len(out) > 0 {
			out[0] = domainFile{}
		} else {
			out = append(out, domainFile{})
		}
		var ok bool
		if p, ok = s.domain(s.spaces(at+2), &out[len(out)-1]); !ok {
			return nil, 0, false
		}
	}
}

// minEntry is fewer bytes than a usable entry of the list takes: it
// has a domain and a host ("- {domain: a.b, host: m.a.b}").
const minEntry = 24

// entries counts the list's entries ("- " at column seqCol) from the
// line starting at p to the document's next key, for the list to be
// allocated once (entries are 200 bytes; a list, 100 000 long). The
// count is capped at what that much text can hold of usable entries.
func (s *fastScanner) entries(p, seqCol int) int {
	n, start := 0, p
	for p < len(s.src) {
		switch c := s.src[p]; {
		case c == ' ' && seqCol > 0 && len(s.src)-p > seqCol+1 && s.src[p+seqCol] == '-' && s.src[p+seqCol+1] == ' ' &&
			strings.TrimLeft(s.src[p:p+seqCol], " ") == "":
			n++
		case seqCol == 0 && s.dash(p):
			n++
		case c != ' ' && c != '\n' && c != '#':
			return min(n, (p-start)/minEntry+1)
		}
		nl := strings.IndexByte(s.src[p:], '\n')
		if nl < 0 {
			break
		}
		p += nl + 1
	}
	return min(n, (len(s.src)-start)/minEntry+1)
}

// domain reads one entry of the list, whose content starts at p, and
// returns where the line after it starts.
func (s *fastScanner) domain(p int, d *domainFile) (int, bool) {
	var set fieldSet
	if s.at(p) == '{' {
		end, ok := s.flowMap(p, func(key string, p int) (int, bool) { return s.domainFlowValue(key, p, &set, d) })
		if !ok {
			return 0, false
		}
		// A flow mapping's line must end with it: what comes next is
		// another entry or the list's end.
		return s.endOfLine(end)
	}
	return s.blockMap(p, s.col(p), func(key string, p, keyCol int) (int, bool) {
		return s.domainBlockValue(key, p, keyCol, &set, d)
	})
}

// col returns the column of p.
func (s *fastScanner) col(p int) int {
	i := p
	for i > 0 && s.src[i-1] != '\n' {
		i--
	}
	return p - i
}

// fieldSet records the fields a mapping gave, to refuse one given twice.
type fieldSet uint16

// once reports whether field was not given yet, and records it.
func (f *fieldSet) once(field int) bool {
	if *f&(1<<field) != 0 {
		return false
	}
	*f |= 1 << field
	return true
}

// The fields of domainFile and endpointFile, as the scanner knows them.
const (
	fieldDomain = iota
	fieldAliases
	fieldHost
	fieldWebmail
	fieldSupport
	fieldLanguage
	fieldIMAP
	fieldSMTP
	fieldPort
	fieldSecurity
)

// domainString returns where a domain's string field goes.
func domainString(key string, d *domainFile) (*string, int) {
	switch key {
	case "domain":
		return &d.Domain, fieldDomain
	case "host":
		return &d.Host, fieldHost
	case "webmail":
		return &d.Webmail, fieldWebmail
	case "support":
		return &d.Support, fieldSupport
	case "language":
		return &d.Language, fieldLanguage
	}
	return nil, -1
}

// domainEndpoint returns where a domain's endpoint field goes.
func domainEndpoint(key string, d *domainFile) (*endpointFile, int) {
	switch key {
	case "imap":
		return &d.IMAP, fieldIMAP
	case "smtp":
		return &d.SMTP, fieldSMTP
	}
	return nil, -1
}

// domainFlowValue reads the value of a domain's key in a flow mapping.
func (s *fastScanner) domainFlowValue(key string, p int, set *fieldSet, d *domainFile) (int, bool) {
	if dst, field := domainString(key, d); dst != nil {
		if !set.once(field) {
			return 0, false
		}
		var ok bool
		*dst, p, ok = s.scalar(p, true)
		return p, ok
	}
	if e, field := domainEndpoint(key, d); e != nil {
		if !set.once(field) || s.at(p) != '{' {
			return 0, false
		}
		var es fieldSet
		return s.flowMap(p, func(key string, p int) (int, bool) { return s.endpointValue(key, p, true, &es, e) })
	}
	if key == "aliases" && set.once(fieldAliases) && s.at(p) == '[' {
		var ok bool
		d.Aliases, p, ok = s.flowList(p)
		return p, ok
	}
	return 0, false
}

// domainBlockValue reads the value of a domain's key in a block
// mapping (keys at keyCol), and returns where the line after it starts.
func (s *fastScanner) domainBlockValue(key string, p, keyCol int, set *fieldSet, d *domainFile) (int, bool) {
	empty := s.emptyValue(p)
	if dst, field := domainString(key, d); dst != nil {
		if !set.once(field) || empty {
			return 0, false
		}
		v, end, ok := s.scalar(p, false)
		if !ok {
			return 0, false
		}
		*dst = v
		return s.endOfLine(end)
	}
	if e, field := domainEndpoint(key, d); e != nil {
		if !set.once(field) {
			return 0, false
		}
		var es fieldSet
		if !empty {
			if s.at(p) != '{' {
				return 0, false
			}
			end, ok := s.flowMap(p, func(key string, p int) (int, bool) { return s.endpointValue(key, p, true, &es, e) })
			if !ok {
				return 0, false
			}
			return s.endOfLine(end)
		}
		next, _ := s.endOfLine(p)
		_, col, at, eof := s.content(next)
		if eof || col <= keyCol {
			return 0, false // no value: null
		}
		return s.blockMap(at, col, func(key string, p, _ int) (int, bool) {
			if s.emptyValue(p) {
				return 0, false
			}
			end, ok := s.endpointValue(key, p, false, &es, e)
			if !ok {
				return 0, false
			}
			return s.endOfLine(end)
		})
	}
	if key != "aliases" || !set.once(fieldAliases) {
		return 0, false
	}
	if !empty {
		if s.at(p) != '[' {
			return 0, false
		}
		var end int
		var ok bool
		if d.Aliases, end, ok = s.flowList(p); !ok {
			return 0, false
		}
		return s.endOfLine(end)
	}
	next, _ := s.endOfLine(p)
	var ok bool
	d.Aliases, next, ok = s.blockList(next, keyCol)
	return next, ok
}

// emptyValue reports whether a block mapping's value is not on its
// key's line (nothing, or a comment, after the colon).
func (s *fastScanner) emptyValue(p int) bool {
	c := s.at(p)
	return c == 0 || c == '\n' || c == '#'
}

// endpointValue reads the value of an endpoint's key.
func (s *fastScanner) endpointValue(key string, p int, flow bool, set *fieldSet, e *endpointFile) (int, bool) {
	var dst *string
	switch key {
	case "host":
		dst = &e.Host
		if !set.once(fieldHost) {
			return 0, false
		}
	case "security":
		dst = &e.Security
		if !set.once(fieldSecurity) {
			return 0, false
		}
	case "port":
		if !set.once(fieldPort) {
			return 0, false
		}
		return s.port(p, flow, &e.Port)
	default:
		return 0, false
	}
	var ok bool
	*dst, p, ok = s.scalar(p, flow)
	return p, ok
}

// port reads a port: decimal digits without a leading zero, as yaml.v3
// resolves them to an int (a quoted port, 0x1bb, 0o1273, 1_000 or 993.0
// are left to yaml.v3).
func (s *fastScanner) port(p int, flow bool, dst *int) (int, bool) {
	if c := s.at(p); c < '0' || c > '9' {
		return 0, false
	}
	v, end, ok := s.plain(p, flow)
	if !ok || len(v) > 9 || len(v) > 1 && v[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
		n = n*10 + int(v[i]-'0')
	}
	*dst = n
	return end, true
}

// blockMap reads a block mapping whose first key starts at p, at
// column col: value reads each key's value (p just after "key: " and
// its spaces) and returns where the line after it starts. blockMap
// returns where the line after the mapping starts.
func (s *fastScanner) blockMap(p, col int, value func(key string, p, keyCol int) (int, bool)) (int, bool) {
	for {
		key, vp, ok := s.key(p)
		if !ok {
			return 0, false
		}
		next, ok := value(key, vp, col)
		if !ok {
			return 0, false
		}
		line, c, at, eof := s.content(next)
		switch {
		case eof:
			return len(s.src), true
		case c < col:
			return line, true
		case c > col:
			return 0, false // a scalar going on, or misplaced content
		}
		p = at
	}
}

// key reads "key:" and the spaces after it, in block or flow context.
func (s *fastScanner) key(p int) (string, int, bool) {
	start := p
	for p < len(s.src) && isKeyStart(s.src[p]) {
		p++
	}
	if p == start || s.at(p) != ':' {
		return "", 0, false
	}
	key := s.src[start:p]
	switch s.at(p + 1) {
	case ' ':
		return key, s.spaces(p + 1), true
	case '\n', 0:
		return key, p + 1, true
	}
	return "", 0, false
}

// flowMap reads a one-line flow mapping starting at p ('{'); value
// reads each key's value and returns where it ends. flowMap returns
// where the mapping ends (after '}').
func (s *fastScanner) flowMap(p int, value func(key string, p int) (int, bool)) (int, bool) {
	p = s.spaces(p + 1)
	for {
		key, vp, ok := s.key(p)
		if !ok || s.at(vp-1) != ' ' {
			return 0, false // "{}", "{a}", "{a:}" or "{a:b}"
		}
		if p, ok = value(key, vp); !ok {
			return 0, false
		}
		p = s.spaces(p)
		switch s.at(p) {
		case ',':
			p = s.spaces(p + 1)
			if s.at(p) == '}' {
				return 0, false
			}
		case '}':
			return p + 1, true
		default:
			return 0, false
		}
	}
}

// flowList reads a one-line flow sequence of scalars starting at p
// ('['), and returns where it ends (after ']').
func (s *fastScanner) flowList(p int) ([]string, int, bool) {
	p = s.spaces(p + 1)
	list := []string{}
	if s.at(p) == ']' {
		return list, p + 1, true
	}
	for {
		v, end, ok := s.scalar(p, true)
		if !ok {
			return nil, 0, false
		}
		list = append(list, v)
		p = s.spaces(end)
		switch s.at(p) {
		case ',':
			p = s.spaces(p + 1)
			if s.at(p) == ']' {
				return nil, 0, false
			}
		case ']':
			return list, p + 1, true
		default:
			return nil, 0, false
		}
	}
}

// blockList reads a block sequence of scalars indented more than its
// key (keyCol), from the line starting at p; it returns where the line
// after it starts.
func (s *fastScanner) blockList(p, keyCol int) ([]string, int, bool) {
	_, seqCol, at, eof := s.content(p)
	if eof || seqCol <= keyCol {
		return nil, 0, false // no value: null, or a list at the key's column
	}
	var list []string
	for {
		if !s.dash(at) {
			return nil, 0, false
		}
		v, end, ok := s.scalar(s.spaces(at+2), false)
		if !ok {
			return nil, 0, false
		}
		list = append(list, v)
		next, ok := s.endOfLine(end)
		if !ok {
			return nil, 0, false
		}
		var line, col int
		line, col, at, eof = s.content(next)
		switch {
		case eof:
			return list, len(s.src), true
		case col < seqCol:
			return list, line, true
		case col > seqCol:
			return nil, 0, false
		}
	}
}

// scalar reads a one-line scalar that yaml.v3 would decode into a
// string as its text: single- or double-quoted (without escapes), or
// plain and not null. It returns where the scalar ends.
func (s *fastScanner) scalar(p int, flow bool) (string, int, bool) {
	switch c := s.at(p); {
	case c == '\'':
		return s.singleQuoted(p)
	case c == '"':
		return s.doubleQuoted(p)
	case !plainStart(c):
		return "", 0, false
	}
	v, end, ok := s.plain(p, flow)
	if !ok || v == "null" || v == "Null" || v == "NULL" {
		return "", 0, false
	}
	return v, end, true
}

// plainStart reports whether c may start a plain scalar the scanner
// reads: no indicator, nothing yaml.v3 might resolve to null (~) or a
// merge key (<<).
func plainStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= utf8.RuneSelf ||
		c == '.' || c == '/' || c == '+' || c == '_' || c == '('
}

// plain reads a plain scalar on one line as yaml.v3 does: it ends
// before ": ", " #", the line's end and, in flow context, ",?[]{}";
// spaces in it are kept, spaces after it are not.
func (s *fastScanner) plain(p int, flow bool) (string, int, bool) {
	start, last := p, p
	for p < len(s.src) {
		c := s.src[p]
		switch {
		case c == '\n':
			return s.src[start:last], p, true
		case c == ' ':
			q := s.spaces(p)
			if c := s.at(q); c == '\n' || c == '#' || c == 0 {
				return s.src[start:last], q, true
			}
			p = q
			continue
		case c == ':':
			if c := s.at(p + 1); c == ' ' || c == '\n' || c == 0 {
				return s.src[start:last], p, true
			}
		case flow && (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}'):
			return s.src[start:last], p, true
		}
		p++
		last = p
	}
	return s.src[start:last], p, true
}

// singleQuoted reads a one-line single-quoted scalar, where two
// quotes stand for one.
func (s *fastScanner) singleQuoted(p int) (string, int, bool) {
	start := p + 1
	escaped := false
	for p = start; p < len(s.src); p++ {
		switch s.src[p] {
		case '\n':
			return "", 0, false
		case '\'':
			if s.at(p+1) == '\'' {
				escaped = true
				p++
				continue
			}
			v := s.src[start:p]
			if escaped {
				v = strings.ReplaceAll(v, "''", "'")
			}
			end, ok := s.afterQuote(p + 1)
			return v, end, ok
		}
	}
	return "", 0, false
}

// doubleQuoted reads a one-line double-quoted scalar without escapes.
func (s *fastScanner) doubleQuoted(p int) (string, int, bool) {
	start := p + 1
	for p = start; p < len(s.src); p++ {
		switch s.src[p] {
		case '\n', '\\':
			return "", 0, false
		case '"':
			end, ok := s.afterQuote(p + 1)
			return s.src[start:p], end, ok
		}
	}
	return "", 0, false
}

// afterQuote returns p, where a quoted scalar ended, if what follows
// cannot be taken with it: a space, a line's end or a flow indicator.
func (s *fastScanner) afterQuote(p int) (int, bool) {
	switch s.at(p) {
	case ' ', '\n', 0, ',', '}', ']':
		return p, true
	}
	return 0, false
}
