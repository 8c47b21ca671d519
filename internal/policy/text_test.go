package policy

import (
	"reflect"
	"testing"
	"time"
)

func TestValueText(t *testing.T) {
	set, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	bank, _ := set.Get("bank")
	xinfang, _ := set.Get("xinfang")
	utc := time.Date(2026, 11, 24, 15, 59, 0, 0, time.UTC)
	tests := []struct {
		name string
		p    *Policy
		path string
		v    any
		lang string
		want string
	}{
		{"a state by its Chinese label", bank, "status", "assigned", "zh", "已转办"},
		{"a state by its English label", bank, "status", "assigned", "en", "Assigned"},
		{"a state as its id with --ids", bank, "status", "assigned", LangIDs, "assigned"},
		{"a channel by its label", bank, "channel", "phone", "zh", "电话"},
		{"a category by its label", bank, "category", "attitude", "zh", "服务态度"},
		{"a policy enum by its label", bank, "satisfaction", "satisfied", "zh", "满意"},
		{"an unknown enum value as written", bank, "satisfaction", "nonsense", "zh", "nonsense"},
		{"free text as written", bank, "department", "监察室", "zh", "监察室"},
		{"true in Chinese", bank, "complainant.anonymous", true, "zh", "是"},
		{"false in English", bank, "complainant.anonymous", false, "en", "no"},
		{"a bool as written with --ids", bank, "complainant.anonymous", true, LangIDs, "true"},
		{"a written UTC time in Beijing time", bank, "handled_at", "2026-11-24T15:59:00Z", "zh", "2026-11-24 23:59"},
		{"a written time in Beijing time with --ids too", bank, "handled_at", "2026-11-24T15:59:00Z", LangIDs, "2026-11-24 23:59"},
		{"a decoded time in Beijing time", bank, "handled_at", utc, "zh", "2026-11-24 23:59"},
		{"a whole amount without exponent", bank, "amount", 1000000.0, "zh", "1000000"},
		{"list items each by label", bank, "related.as", []any{"repeat", "related"}, "zh", "[重复投诉, 相关]"},
		{"an object's sub-values by their own fields", bank, "complainant", map[string]any{"name": "王某", "anonymous": false}, "zh", "{anonymous: 否, name: 王某}"},
		{"nil as nothing", bank, "amount", nil, "zh", ""},
		{"a national policy's state by label", xinfang, "status", xinfang.States[0].ID, "zh", xinfang.States[0].Zh},
		// The site reads a case whose policy failed to load with a nil policy.
		{"no policy: an id as written", nil, "category", "attitude", LangIDs, "attitude"},
		{"no policy: a label asked for is the value as written", nil, "category", "attitude", "zh", "attitude"},
		{"no policy: a written time in its own zone", nil, "handled_at", "2026-11-24T23:59:00+08:00", "zh", "2026-11-24 23:59"},
		{"a whole number read as an int", bank, "amount", 30000, LangIDs, "30000"},
		{"a list of objects, as the site shows extensions", bank, "extensions", []any{map[string]any{"rule": "reply", "approved_at": "2026-11-24T01:00:00Z"}}, "zh",
			"[{approved_at: 2026-11-24 09:00, rule: reply}]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.ValueText(tt.path, tt.v, tt.lang); got != tt.want {
				t.Errorf("ValueText(%q, %#v, %q) = %q; want %q", tt.path, tt.v, tt.lang, got, tt.want)
			}
		})
	}
}

func TestTimeText_PolicyZone(t *testing.T) {
	set, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	bank, _ := set.Get("bank")
	at := time.Date(2026, 9, 30, 2, 0, 0, 0, time.UTC)
	if got, want := bank.TimeText(at), "2026-09-30 10:00"; got != want {
		t.Errorf("TimeText(%v) = %q; want %q", at, got, want)
	}
	if got := bank.TimeText(time.Time{}); got != "" {
		t.Errorf("TimeText(zero) = %q; want empty", got)
	}
}

func TestFieldRequirements(t *testing.T) {
	set, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	bank, _ := set.Get("bank")
	tests := []struct {
		name, path string
		want       []FieldRequirement
	}{
		{"a state's requirements name the field", "assignee", []FieldRequirement{{States: []string{"assigned"}}}},
		{"required_in with required_when", "forwarder_replied_at", []FieldRequirement{{States: []string{"replied", "closed"}, When: `channel_class == "forwarded"`}}},
		{"required by an escalation", "regulator_reported_at", []FieldRequirement{{States: []string{"assigned", "replied", "closed"}, Escalation: "major"}}},
		{"a sub-field's own required_in", "withdrawal.reason", []FieldRequirement{{States: []string{"withdrawn"}}}},
		{"an optional field", "amount", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bank.FieldRequirements(tt.path); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FieldRequirements(%q) = %#v; want %#v", tt.path, got, tt.want)
			}
		})
	}
}
