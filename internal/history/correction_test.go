package history

import (
	"strings"
	"testing"
	"time"
)

// trail builds a case history from steps "status" or "status|trailers",
// trailers as "Key=Value;Key=Value", each step one commit c1, c2 ...
func trail(id string, steps ...string) *Case {
	c := &Case{ID: id}
	prev := ""
	for i, s := range steps {
		status, tr, _ := strings.Cut(s, "|")
		v := Version{Commit: "c" + string(rune('1'+i)), At: time.Unix(int64(i), 0), Snap: Snapshot{Status: status}, Changed: []string{"status"}}
		if tr != "" {
			for _, kv := range strings.Split(tr, ";") {
				k, val, _ := strings.Cut(kv, "=")
				if k == "Note" {
					v.Note = val
					continue
				}
				if k == "Changed" {
					v.Changed = strings.Split(val, ",")
					continue
				}
				v.Trailers = append(v.Trailers, Trailer{Key: k, Value: val})
			}
		}
		c.Versions = append(c.Versions, v)
		if status != prev || i == 0 {
			c.Transitions = append(c.Transitions, Transition{At: v.At, From: prev, To: status, Commit: v.Commit, Trailers: v.Trailers, Note: v.Note})
		}
		prev = status
	}
	return c
}

const okClaim = "Casebook-Case=X;Casebook-Correction=undo;Casebook-Approved-By=孙主任;Note=误操作"

func TestReviewCase(t *testing.T) {
	tests := []struct {
		name      string
		c         *Case
		approvers []string
		effective string // the effective moves, "from>to ..."
		covered   bool   // whether the last commit is covered
		problem   string // substring of its problem
	}{
		{"no correction keeps the transitions", trail("X", "received", "assigned", "withdrawn"), nil, ">received received>assigned assigned>withdrawn", false, ""},
		{"undo of a withdrawal by mistake", trail("X", "received", "assigned", "withdrawn", "assigned|"+okClaim), nil, ">received received>assigned", true, ""},
		{"two undos take back two transitions", trail("X", "received", "assigned", "replied", "assigned|"+okClaim, "received|"+strings.Replace(okClaim, "undo", "undo2", 1)), nil, ">received", true, ""},
		{"an approver the policy allows", trail("X", "received", "closed", "received|"+okClaim), []string{"孙主任"}, ">received", true, ""},
		{"an approver the policy does not name", trail("X", "received", "closed", "received|"+okClaim), []string{"李科长"}, ">received received>closed closed>received", false, "may not approve"},
		{"no approver (a forged trailer)", trail("X", "received", "closed", "received|Casebook-Case=X;Casebook-Correction=undo;Note=误操作"), nil, ">received received>closed closed>received", false, "names no approver"},
		{"no reason", trail("X", "received", "closed", "received|Casebook-Case=X;Casebook-Correction=undo;Casebook-Approved-By=孙主任"), nil, ">received received>closed closed>received", false, "no reason"},
		{"trailer for another case", trail("X", "received", "closed", "received|"+strings.Replace(okClaim, "Casebook-Case=X", "Casebook-Case=Y", 1)), nil, ">received received>closed closed>received", false, ""},
		{"several cases named", trail("X", "received", "closed", "received|Casebook-Case=Y;"+okClaim), nil, ">received received>closed closed>received", false, "several cases"},
		{"a move that is not the way back", trail("X", "received", "assigned", "replied", "received|"+okClaim), nil, ">received received>assigned assigned>replied replied>received", false, "does not take back"},
		{"a correction of a field", trail("X", "received", "received|"+okClaim+";Changed=category"), nil, ">received", true, ""},
		{"changing the id is no correction", trail("X", "received", "received|"+okClaim+";Changed=id"), nil, ">received", false, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ReviewCase(tt.c, tt.approvers)
			var moves []string
			for _, e := range r.Effective {
				moves = append(moves, e.From+">"+e.To)
			}
			if got := strings.Join(moves, " "); got != tt.effective {
				t.Errorf("effective = %q, want %q", got, tt.effective)
			}
			last := tt.c.Versions[len(tt.c.Versions)-1]
			if got := r.Covers(last.Commit); got != tt.covered {
				t.Errorf("Covers(last) = %v, want %v", got, tt.covered)
			}
			if got := IsCorrection(tt.c, last, tt.approvers); got != tt.covered {
				t.Errorf("IsCorrection(last) = %v, want %v", got, tt.covered)
			}
			if tt.problem != "" {
				cl, ok := r.Claim(last.Commit)
				if !ok || !strings.Contains(cl.Problem.En, tt.problem) {
					t.Errorf("claim %+v, want a problem containing %q", cl, tt.problem)
				}
			}
		})
	}
}
