package calendar

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Merge is the outcome of MergeFileYears for one year.
type Merge struct {
	Year int
	// Action is "added", "replaced" or "unchanged".
	Action string
}

// MergeFileYears adds years to the calendar file src (empty for a new file)
// and returns the new file. A year src already lists is left as it is
// when its days are the same (its source, and whether someone checked it,
// are kept), and replaced only when replace is set; otherwise MergeFileYears
// fails, naming the first day that differs. Everything else of src — its
// other years, the office's days, comments — is kept. The result is
// checked with ParseFile before it is returned.
func MergeFileYears(src []byte, years []*Year, replace bool) ([]byte, []Merge, error) {
	old, errs := ParseFile(src)
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("the calendar file has problems; fix them first: %v", errs[0])
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(bytes.TrimPrefix(src, []byte("\uFEFF")), &doc); err != nil {
		return nil, nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	top := doc.Content[0]
	yearsNode := valueOf(top, "years")
	if yearsNode == nil || yearsNode.Kind != yaml.MappingNode {
		if yearsNode == nil {
			yearsNode = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			top.Content = append([]*yaml.Node{scalar("years", "!!str")}, append([]*yaml.Node{yearsNode}, top.Content...)...)
		} else {
			*yearsNode = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} // `years:` with nothing under it
		}
	}
	yearsNode.Style = 0 // `years: {}` as a clerk starts the file: the years go one entry a line
	var merges []Merge
	for _, y := range years {
		key := strconv.Itoa(y.Year)
		node := yearNode(y)
		if prev := old.Years[y.Year]; prev != nil {
			if d, differs := firstDifference(prev, y); !differs {
				merges = append(merges, Merge{y.Year, "unchanged"})
				continue
			} else if !replace {
				return nil, nil, fmt.Errorf("policies/calendar.yaml already lists %d, and differs on %s (fix: compare it with the notice; give --replace to overwrite the year with the feed's days)", y.Year, d)
			}
			*valueOf(yearsNode, key) = *node
			merges = append(merges, Merge{y.Year, "replaced"})
			continue
		}
		at := len(yearsNode.Content)
		for i := 0; i+1 < len(yearsNode.Content); i += 2 {
			if n, err := strconv.Atoi(yearsNode.Content[i].Value); err == nil && n > y.Year {
				at = i
				break
			}
		}
		yearsNode.Content = slices.Insert(yearsNode.Content, at, scalar(key, "!!int"), node)
		merges = append(merges, Merge{y.Year, "added"})
	}
	if !slices.ContainsFunc(merges, func(m Merge) bool { return m.Action != "unchanged" }) {
		return src, merges, nil // nothing to write: a hand-written file keeps its every byte
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	out := keepEncoding(src, buf.Bytes())
	if _, errs := ParseFile(out); len(errs) > 0 {
		return nil, nil, fmt.Errorf("the merged calendar file would not load: %v", errs[0])
	}
	return out, merges, nil
}

// keepEncoding gives out, which the YAML encoder wrote with LF line
// endings, the line endings and byte-order mark of src: a file a Windows
// clerk keeps with CRLF stays CRLF, so its commit shows the changed days
// and not every line.
func keepEncoding(src, out []byte) []byte {
	if n := bytes.Count(src, []byte("\n")); n > 0 && 2*bytes.Count(src, []byte("\r\n")) >= n {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		out = append([]byte("\uFEFF"), out...)
	}
	return out
}

// firstDifference names the first date on which two years' days differ.
func firstDifference(a, b *Year) (Date, bool) {
	da, db := map[Date]Override{}, map[Date]Override{}
	a.Block.each(func(d Date, o Override) { da[d] = o })
	b.Block.each(func(d Date, o Override) { db[d] = o })
	all := slices.Collect(maps.Keys(da))
	for d := range db {
		all = append(all, d)
	}
	slices.SortFunc(all, func(x, y Date) int { return x.Compare(y) })
	for _, d := range all {
		if da[d] != db[d] {
			return d, true
		}
	}
	return Date{}, false
}

// yearNode writes a year's block as the file keeps it.
func yearNode(y *Year) *yaml.Node {
	src := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
	pair := func(k, v, tag string) { src.Content = append(src.Content, scalar(k, "!!str"), scalar(v, tag)) }
	if y.Source.Notice != "" {
		pair("notice", y.Source.Notice, "!!str")
	}
	if !y.Source.Date.IsZero() {
		pair("date", y.Source.Date.String(), "!!timestamp")
	}
	if y.Source.Feed != "" {
		pair("feed", y.Source.Feed, "!!str")
	}
	pair("checked", strconv.FormatBool(y.Source.Checked), "!!bool")
	if y.Source.CheckedBy != "" {
		pair("checked_by", y.Source.CheckedBy, "!!str")
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{scalar("source", "!!str"), src}}
	for _, list := range []struct {
		key   string
		spans []DayRange
	}{{"holidays", y.Holidays}, {"workdays", y.Workdays}} {
		if len(list.spans) == 0 {
			continue
		}
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, s := range list.spans {
			tag := "!!str"
			if s.From == s.To {
				tag = "!!timestamp" // written plain, as a person would
			}
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map",
				Content: []*yaml.Node{scalar(spanText(s), tag), scalar(s.Name, "!!str")}})
		}
		n.Content = append(n.Content, scalar(list.key, "!!str"), seq)
	}
	return n
}

// scalar is a plain scalar node; a text that YAML would read as something
// else is quoted by the encoder.
func scalar(v, tag string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }

// valueOf is the value of key in mapping n, or nil.
func valueOf(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
