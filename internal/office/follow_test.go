package office

import (
	"slices"
	"testing"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/history"
)

func TestFollow(t *testing.T) {
	renamed := func(from, to string) history.Renumbering {
		return history.Renumbering{From: from, To: to, Commit: from + to, Renamed: true}
	}
	synced := func(from, to string) history.Renumbering {
		return history.Renumbering{From: from, To: to, Commit: from + to}
	}
	tests := []struct {
		name       string
		have       []string // the ids of the cases in the tree
		renumbered []history.Renumbering
		id         string
		want       string // the id found; "" for an error
		wantMoved  []string
		wantOthers []string
	}{
		{name: "an id that is there", have: []string{"A"}, id: "A", want: "A"},
		{name: "an id renumber took away leads to the new one", have: []string{"B"}, renumbered: []history.Renumbering{renamed("A", "B")}, id: "A",
			want: "B", wantMoved: []string{"A->B"}},
		{name: "renumbered twice: followed to the end", have: []string{"C"}, renumbered: []history.Renumbering{renamed("A", "B"), renamed("B", "C")}, id: "A",
			want: "C", wantMoved: []string{"A->B", "B->C"}},
		{name: "the last renumbering of an id counts", have: []string{"C"}, renumbered: []history.Renumbering{renamed("A", "B"), renamed("A", "C")}, id: "A",
			want: "C", wantMoved: []string{"A->C"}},
		{name: "a sync renumbering of another registration is named, not followed", have: []string{"A", "D"}, renumbered: []history.Renumbering{synced("A", "D")}, id: "A",
			want: "A", wantOthers: []string{"A->D"}},
		{name: "a sync renumbering does not lead away from a missing id", have: []string{"D"}, renumbered: []history.Renumbering{synced("A", "D")}, id: "A"},
		{name: "a cycle stops", have: []string{"X"}, renumbered: []history.Renumbering{renamed("A", "B"), renamed("B", "A")}, id: "A"},
		{name: "an unknown id", have: []string{"A"}, id: "Z"},
	}
	ids := func(rs []history.Renumbering) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.From+"->"+r.To)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Office{History: &history.History{Renumbered: tt.renumbered}}
			for _, id := range tt.have {
				o.Cases = append(o.Cases, &cases.Case{ID: id, File: "cases/2026/11/02/" + id + ".md"})
			}
			c, moved, others, err := o.Follow(tt.id)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Follow(%s) found %s; want an error", tt.id, c.ID)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.ID != tt.want || !slices.Equal(ids(moved), tt.wantMoved) || !slices.Equal(ids(others), tt.wantOthers) {
				t.Errorf("Follow(%s) = %s, moved %v, others %v; want %s, %v, %v", tt.id, c.ID, ids(moved), ids(others), tt.want, tt.wantMoved, tt.wantOthers)
			}
		})
	}
}

func TestRenumberings(t *testing.T) {
	o := &Office{History: &history.History{Renumbered: []history.Renumbering{{From: "A", To: "B"}, {From: "C", To: "D"}, {From: "B", To: "E"}}}}
	var got []string
	for _, r := range o.Renumberings("B") {
		got = append(got, r.From+"->"+r.To)
	}
	if want := []string{"A->B", "B->E"}; !slices.Equal(got, want) {
		t.Errorf("Renumberings(B) = %v; want %v", got, want)
	}
	if got := (&Office{}).Renumberings("B"); len(got) != 0 {
		t.Errorf("without history: %v; want none", got)
	}
}
