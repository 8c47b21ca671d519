package office

import (
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/history"
)

// Follow finds the case with id as a clerk may still write it: an id that
// a renumbering took away (casebook renumber) leads to the case that has
// it now, renumbered again or not. moved are the renumberings followed,
// in order; others are those that gave other registrations of the id
// found another id (casebook sync). The error is Find's for the id first
// asked for or the last one followed.
func (o *Office) Follow(id string) (c *cases.Case, moved, others []history.Renumbering, err error) {
	c, err = o.Find(id)
	for seen := map[string]bool{id: true}; err != nil && o.History != nil; {
		rn, ok := renamedFrom(o.History, id)
		if !ok || seen[rn.To] {
			break
		}
		seen[rn.To] = true
		moved = append(moved, rn)
		id = rn.To
		c, err = o.Find(id)
	}
	if err != nil {
		return nil, moved, nil, err
	}
	if o.History != nil {
		others = o.History.RenumberedFrom(id)
	}
	return c, moved, others, nil
}

// renamedFrom is the last renumbering that took the file of id away.
func renamedFrom(h *history.History, id string) (history.Renumbering, bool) {
	rs := h.RenumberedFrom(id)
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Renamed {
			return rs[i], true
		}
	}
	return history.Renumbering{}, false
}

// Renumberings are the renumberings that gave a case the id, or took it
// from one, in history order.
func (o *Office) Renumberings(id string) []history.Renumbering {
	var out []history.Renumbering
	if o.History == nil {
		return out
	}
	for _, rn := range o.History.Renumbered {
		if rn.To == id || rn.From == id {
			out = append(out, rn)
		}
	}
	return out
}
