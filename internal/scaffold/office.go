package scaffold

import (
	"bytes"
	"cmp"
	"fmt"

	"gopkg.in/yaml.v3"
)

// WithOffice returns the policy file data naming the office name: its
// top-level office: line replaced, or one added after prefix: (or id:),
// every other byte (comments, order, line endings) kept as written. An
// empty name returns data as it is.
func WithOffice(data []byte, name string) ([]byte, error) {
	if name == "" {
		return data, nil
	}
	line, err := yaml.Marshal(map[string]string{"office": name})
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("read the policy to add office: %w", err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the policy is not a YAML mapping; cannot add office")
	}
	m := root.Content[0]
	// Line numbers, from 1: the office: line to replace, else the line to
	// add it after.
	replace, prefix, id := 0, 0, 0
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		oneLine := v.Kind == yaml.ScalarNode && v.Line == k.Line && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0
		switch {
		case k.Value == "office" && !oneLine:
			return nil, fmt.Errorf("line %d: office is not written on one line; edit it by hand", k.Line)
		case k.Value == "office":
			replace = k.Line
		case k.Value == "prefix" && oneLine:
			prefix = k.Line
		case k.Value == "id" && oneLine:
			id = k.Line
		}
	}
	after := cmp.Or(prefix, id)
	lines := bytes.SplitAfter(data, []byte("\n"))
	eol := []byte("\n")
	if bytes.Contains(data, []byte("\r\n")) {
		eol = []byte("\r\n")
		line = bytes.ReplaceAll(line, []byte("\n"), eol)
	}
	var out bytes.Buffer
	for i, l := range lines {
		n := i + 1
		if n == replace {
			out.Write(line)
			continue
		}
		out.Write(l)
		if replace == 0 && n == after {
			if !bytes.HasSuffix(l, []byte("\n")) {
				out.Write(eol)
			}
			out.Write(line)
		}
	}
	if replace == 0 && after == 0 {
		return append(line, data...), nil
	}
	return out.Bytes(), nil
}
