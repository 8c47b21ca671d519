package cases

import "path"

// Relation is one link of a case's related: list, written as a plain id
// or as {id: ..., as: ...}: the other case, and how it relates (repeat,
// duplicate, related; "" when not said).
type Relation struct {
	ID, As string
}

// Related lists the case's links to other cases in the order of the file;
// an item that names no case (neither an id nor a mapping with one) is
// left out. The CLI's show and the site read links from here.
func (c *Case) Related() []Relation {
	list, _ := c.Fields["related"].([]any)
	var out []Relation
	for _, it := range list {
		switch x := it.(type) {
		case string:
			out = append(out, Relation{ID: x})
		case map[string]any:
			id, _ := x["id"].(string)
			as, _ := x["as"].(string)
			if id != "" {
				out = append(out, Relation{ID: id, As: as})
			}
		}
	}
	return out
}

// AttachmentPaths are a bundle's attachments relative to the repository
// root (Attachments are relative to the bundle folder); none for a plain
// case file.
func (c *Case) AttachmentPaths() []string {
	out := []string{}
	dir := path.Dir(c.File)
	for _, a := range c.Attachments {
		out = append(out, path.Join(dir, a))
	}
	return out
}
