package config

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// langList is a channel's languages in the file: one (fr) or several
// ([fr, en]).
type langList []string

// UnmarshalYAML accepts a single language or a list of them.
func (l *langList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*l = langList{n.Value}
		return nil
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		*l = list
		return nil
	}
	return fmt.Errorf("line %d: want a language or a list of languages", n.Line)
}
