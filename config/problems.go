package config

import (
	"errors"

	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong in a configuration: where and why.
type Problem struct {
	// Line is the line of the YAML document it is about (1-based), or 0.
	Line int
	// Field is the path of the field ("domains[0].imap.port"), or "".
	Field string
	Msg   string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		b.WriteString("line " + strconv.Itoa(p.Line) + ": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error is a configuration that cannot be used, with every problem found.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	var lines []string
	for _, p := range e.Problems {
		lines = append(lines, p.String())
	}
	return "config: " + strings.Join(lines, "; ")
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// problemsOf turns errors into located problems: field paths ("domains[0].
// host: …") are looked up in the document for their line; YAML's own
// errors already say theirs.
func problemsOf(data []byte, errs []error) *Error {
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	out := &Error{}
	for _, err := range errs {
		for _, msg := range strings.Split(err.Error(), "\n") {
			msg = strings.TrimPrefix(msg, "yaml: ")
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				n, _ := strconv.Atoi(m[1])
				out.Problems = append(out.Problems, Problem{Line: n, Msg: m[2]})
				continue
			}
			field, why, ok := strings.Cut(msg, ": ")
			if !ok || strings.ContainsAny(field, " \"") {
				out.Problems = append(out.Problems, Problem{Msg: msg})
				continue
			}
			out.Problems = append(out.Problems, Problem{Line: lineOf(&root, field), Field: field, Msg: why})
		}
	}
	return out
}

var pathPart = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?$`)

// lineOf finds the line of a field path in a document; for a field that
// is missing, the line of the nearest parent that is there.
func lineOf(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range strings.Split(path, ".") {
		m := pathPart.FindStringSubmatch(part)
		if m == nil || n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == m[1] {
				line, n, found = n.Content[i].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
		if m[2] != "" {
			idx, _ := strconv.Atoi(m[2])
			if n.Kind != yaml.SequenceNode || idx >= len(n.Content) {
				return line
			}
			n = n.Content[idx]
			line = n.Line
		}
	}
	return line
}

// asProblems flattens a joined error into its parts.
func asProblems(err error) []error {
	if err == nil {
		return nil
	}
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		return joined.Unwrap()
	}
	return []error{err}
}
