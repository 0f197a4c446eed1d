package config

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// Complete reports whether data ends where a complete document ends, as
// a file read while it is still being written usually does not: it must
// end with a line break, and its last value must be there (a key, a list
// item or a block scalar with nothing after it is a document cut short).
// A document cut right after a complete line cannot be told from a whole
// one: only writing a new file and renaming it over the old one is safe.
// Empty or malformed data is left to Parse to explain; the error is an
// *Error whose problem has a line.
func Complete(data []byte) error { return complete(data, completeRoot) }

// complete is Complete, with the parser of the document to look at.
func complete(data []byte, parse func([]byte) (*yaml.Node, bool)) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if data[len(data)-1] != '\n' {
		return &Error{Problems: []Problem{{Line: bytes.Count(data, []byte("\n")) + 1,
			Msg: "the file does not end with a line break: it looks cut short (still being written?)"}}}
	}
	root, ok := parse(data)
	if !ok {
		return nil
	}
	key, value := lastValue(root)
	if value == nil || !missing(value) {
		return nil
	}
	line, what := value.Line, "an empty list item"
	if key != nil {
		line, what = key.Line, key.Value+":"
	}
	if value.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		what += " and an empty block"
	}
	return &Error{Problems: []Problem{{Line: line,
		Msg: "the file ends with " + what + " and no value: it looks cut short (still being written?)"}}}
}

// completeRoot parses data, whose last value Complete looks at. The
// domain list, when the scanner reads it (fastdomains.go), is left out:
// none of its values is missing, nor is the sentinel's ([]) that stands
// for it, and the rest of the document keeps its lines.
func completeRoot(data []byte) (*yaml.Node, bool) {
	if r, ok := scanDomains(data, false); ok {
		var root yaml.Node
		if yaml.Unmarshal(r.blank(data), &root) == nil && r.atTop(&root) {
			return &root, true
		}
	}
	return parseRoot(data)
}

// parseRoot parses data with yaml.v3 alone.
func parseRoot(data []byte) (*yaml.Node, bool) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, false
	}
	return &root, true
}

// atTop reports whether a document's root is a mapping where the
// region's sentinel is the value of the domains key.
func (r domainsRegion) atTop(root *yaml.Node) bool {
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if r.isSentinel(m.Content[i], m.Content[i+1]) {
			return true
		}
	}
	return false
}

// lastValue finds the node that ends a document, with the key it is the
// value of, if any.
func lastValue(n *yaml.Node) (key, value *yaml.Node) {
	for {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			if len(n.Content) == 0 {
				return key, n
			}
			key, n = nil, n.Content[len(n.Content)-1]
		case yaml.MappingNode:
			if len(n.Content) < 2 {
				return key, n
			}
			key, n = n.Content[len(n.Content)-2], n.Content[len(n.Content)-1]
		default:
			return key, n
		}
	}
}

// missing reports whether a value is absent: an implicit null (nothing
// after the key or dash) or a block scalar with no content.
func missing(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Value != "" {
		return false
	}
	return n.Tag == "!!null" && n.Style == 0 || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
}
