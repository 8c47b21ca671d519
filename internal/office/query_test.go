package office

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/policy"
)

// record is a bank case received at received (Beijing time), in status,
// with the given fields and clocks.
func record(p *policy.Policy, id, status, received string, fields map[string]any, clocks ...deadline.Clock) *Record {
	at, err := time.ParseInLocation("2006-01-02 15:04", received, p.Location)
	if err != nil {
		panic(err)
	}
	if fields == nil {
		fields = map[string]any{}
	}
	return &Record{Case: &cases.Case{ID: id, Status: status, ReceivedAt: at, Fields: fields}, Policy: p, Clocks: clocks}
}

func TestSelect(t *testing.T) {
	p := bankPolicy(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, p.Location) // a Monday
	due := func(day int) time.Time { return time.Date(2026, 11, day, 23, 59, 0, 0, p.Location) }
	ended := now
	recs := []*Record{
		record(p, "A", "received", "2026-11-20 09:00", map[string]any{"category": "attitude", "channel": "phone", "department": "营业部"},
			deadline.Clock{Rule: "reply", DueAt: due(24), State: deadline.Pending}),
		record(p, "B", "assigned", "2026-11-02 09:00", map[string]any{"category": "product", "channel": "online", "department": "信用卡部"},
			deadline.Clock{Rule: "reply", DueAt: due(20), State: deadline.Overdue}),
		record(p, "C", "closed", "2026-11-02 09:00", map[string]any{"category": "attitude", "channel": "phone"},
			deadline.Clock{Rule: "reply", DueAt: due(24), EndedAt: &ended, State: deadline.Met}),
		{Case: &cases.Case{ID: "D", Status: "received"}},
	}
	twoDays := calendar.Period{N: 2, Unit: calendar.WorkingDays}
	tests := []struct {
		name string
		sel  Selection
		want []string
	}{
		{"no criteria: every case with a policy", Selection{}, []string{"A", "B", "C"}},
		{"a status filter keeps that state only", Selection{Status: policy.Filter{"bank": {"received", "assigned"}}}, []string{"A", "B"}},
		{"a filter for another policy keeps none", Selection{Status: policy.Filter{"food": {"received"}}}, nil},
		{"category and channel together", Selection{Category: policy.Filter{"bank": {"attitude"}}, Channel: policy.Filter{"bank": {"phone"}}}, []string{"A", "C"}},
		{"a department, by its name", Selection{Departments: []string{"信用卡部"}}, []string{"B"}},
		{"overdue: a case with an overdue clock", Selection{Overdue: true}, []string{"B"}},
		{"another policy's cases: none", Selection{Policy: "food"}, nil},
		{"due within 2 working days: running clocks only, an overdue one too", Selection{Within: &twoDays}, []string{"A", "B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Office{cals: map[string]*calendar.Calendar{}}
			var got []string
			for _, r := range o.Select(recs, tt.sel, now) {
				got = append(got, r.Case.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Select = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	p := bankPolicy(t)
	ended := time.Date(2026, 11, 20, 10, 0, 0, 0, p.Location)
	met := deadline.Clock{Rule: "reply", State: deadline.Met, EndedAt: &ended}
	missed := deadline.Clock{Rule: "reply", State: deadline.Missed, EndedAt: &ended}
	overdue := deadline.Clock{Rule: "verify", State: deadline.Overdue}
	recs := []*Record{
		record(p, "A", "closed", "2026-10-31 23:30", map[string]any{"category": "attitude"}, met),
		record(p, "B", "closed", "2026-11-02 09:00", map[string]any{"category": "attitude"}, missed),
		record(p, "C", "assigned", "2026-11-03 09:00", map[string]any{"category": "product"}, met, overdue),
		record(p, "D", "received", "2026-11-04 09:00", nil),
	}
	nov1 := calendar.Date{Year: 2026, Month: 11, Day: 1}
	type row struct {
		group, label            string
		cases, open, met, other int
		rate                    float64 // -1: no rate
	}
	tests := []struct {
		name string
		g    Grouping
		want []row
	}{
		{"by category: labels, a group for no value, the total last", Grouping{By: "category"}, []row{
			{"(none)", "(未填)", 1, 1, 0, 0, -1},
			{"attitude", "服务态度", 2, 0, 1, 1, 0.5},
			{"product", "服务产品", 1, 1, 1, 1, 0.5},
			{"total", "合计", 4, 2, 2, 2, 0.5},
		}},
		{"by month in Beijing time: 23:30 on 31 October is October", Grouping{By: "month"}, []row{
			{"2026-10", "2026-10", 1, 0, 1, 0, 1},
			{"2026-11", "2026-11", 3, 2, 1, 2, 0.3333},
			{"total", "合计", 4, 2, 2, 2, 0.5},
		}},
		{"from 1 November: the October case left out", Grouping{By: "category", From: &nov1}, []row{
			{"(none)", "(未填)", 1, 1, 0, 0, -1},
			{"attitude", "服务态度", 1, 0, 0, 1, 0},
			{"product", "服务产品", 1, 1, 1, 1, 0.5},
			{"total", "合计", 3, 2, 1, 2, 0.3333},
		}},
		{"one rule: the other clocks not counted", Grouping{By: "month", Rule: "verify"}, []row{
			{"2026-10", "2026-10", 1, 0, 0, 0, -1},
			{"2026-11", "2026-11", 3, 2, 0, 1, 0},
			{"total", "合计", 4, 2, 0, 1, 0},
		}},
		{"another policy: only the total, empty", Grouping{By: "category", Policy: "food"}, []row{
			{"total", "合计", 0, 0, 0, 0, -1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []row
			for _, x := range Groups(recs, tt.g) {
				r := row{x.Group, x.Label, x.Cases, x.Open, x.Met, x.Missed + x.Overdue, -1}
				if x.OnTimeRate != nil {
					r.rate = *x.OnTimeRate
				}
				got = append(got, r)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Groups =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

func TestSelection(t *testing.T) {
	set, err := policy.LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	bank, _ := set.Get("bank")
	xinfang, _ := set.Get("xinfang")
	o := &Office{Policies: set}
	recs := []*Record{record(bank, "BANK-2026-0001", "received", "2026-11-02 09:00", nil), record(xinfang, "XF-2026-0001", "registered", "2026-11-02 09:00", nil)}
	week := calendar.Period{N: 5, Unit: calendar.WorkingDays}
	tests := []struct {
		name    string
		f       Filters
		want    Selection
		wantErr string // part of the error
	}{
		{name: "nothing asked: every case", f: Filters{}, want: Selection{}},
		{name: "a state by its Chinese label, for the policy that has it", f: Filters{Status: []string{"已转办"}},
			want: Selection{Status: policy.Filter{"bank": {"assigned"}}}},
		{name: "a policy by its name narrows the terms to it", f: Filters{Policy: "信访工作条例", Status: []string{"registered"}},
			want: Selection{Policy: "xinfang", Status: policy.Filter{"xinfang": {"registered"}}}},
		{name: "a channel by id, departments and the clocks kept as given", f: Filters{Policy: "bank", Channel: []string{"phone"}, Departments: []string{"监察室"}, Overdue: true, Within: &week},
			want: Selection{Policy: "bank", Channel: policy.Filter{"bank": {"phone"}}, Departments: []string{"监察室"}, Overdue: true, Within: &week}},
		{name: "a misspelt state names the closest", f: Filters{Status: []string{"asigned"}}, wantErr: "assigned"},
		{name: "an unknown policy", f: Filters{Policy: "bnak"}, wantErr: "bank"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := o.Selection(tt.f, recs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Selection error = %v; want one naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Selection = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestScope_TakesTheCasesPolicies(t *testing.T) {
	set, err := policy.LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	bank, _ := set.Get("bank")
	o := &Office{Policies: set}
	id, scope, err := o.Scope("", []*Record{record(bank, "BANK-2026-0001", "received", "2026-11-02 09:00", nil)})
	if err != nil || id != "" || !slices.Contains(scope, "bank") {
		t.Errorf("Scope = %q, %v, %v; want no policy and a scope with bank", id, scope, err)
	}
	if id, scope, err := o.Scope("bank", nil); err != nil || id != "bank" || !slices.Equal(scope, []string{"bank"}) {
		t.Errorf("Scope(bank) = %q, %v, %v", id, scope, err)
	}
}

func TestGrouping_FieldLabel(t *testing.T) {
	p := bankPolicy(t)
	recs := []*Record{{Case: &cases.Case{ID: "X"}}, record(p, "A", "received", "2026-11-02 09:00", nil)}
	tests := []struct{ by, want string }{
		{"month", "月份"},
		{"channel", "渠道"},
		{"satisfaction", "客户满意程度"},
		{"nonesuch", "nonesuch"},
	}
	for _, tt := range tests {
		if got := (Grouping{By: tt.by}).FieldLabel(recs); got != tt.want {
			t.Errorf("FieldLabel(%q) = %q; want %q", tt.by, got, tt.want)
		}
	}
}
