package policy

import (
	"errors"
	"testing"
)

func TestResolve(t *testing.T) {
	set, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	// A policy of its own for the ambiguous cases: no built-in one has them.
	amb, err := Load("amb.yaml", []byte(`id: amb
name: {zh: 歧义, en: Ambiguous}
prefix: AMB
states:
  - {id: received, zh: 已受理, en: Received, initial: true}
  - {id: done, zh: 办结, en: Done, terminal: true}
transitions:
  - {from: [received], to: done, zh: 办结, en: Finish}
channels:
  - {id: phone, zh: 电话, en: Telephone}
  - {id: hotline, zh: 电话, en: Hotline}
  - {id: letter, zh: 信函, en: Letter}
  - {id: post, zh: 邮寄, en: letter}
categories:
  - {id: other, zh: 其他, en: Other}
`))
	if err != nil {
		t.Fatal(err)
	}
	get := func(id string) *Policy {
		if id == "amb" {
			return amb
		}
		p, ok := set.Get(id)
		if !ok {
			t.Fatalf("no policy %s", id)
		}
		return p
	}
	tests := []struct {
		name, policy, kind, input string
		want                      string // the id, or the error's text
		wantErr                   bool
	}{
		{"a channel by its id", "bank", KindChannel, "phone", "phone", false},
		{"a channel by its Chinese label", "food", KindChannel, "电话", "phone", false},
		{"a channel by its English label in another case", "food", KindChannel, "TELEPHONE", "phone", false},
		{"a label with spaces around it", "food", KindChannel, "  电话 ", "phone", false},
		{"a label with full-width spaces around it", "food", KindChannel, "\u3000电话\u3000", "phone", false},
		{"an id in upper case", "bank", KindState, "ASSIGNED", "assigned", false},
		{"a state by its Chinese label", "bank", KindState, "已转办", "assigned", false},
		{"a state by its English label", "tendering", KindState, "handler assigned", "assigned", false},
		{"a category by its Chinese label", "hotline", KindCategory, "服务态度", "attitude", false},
		{"a class by its label", "hotline", KindClass, "质量类(质检部)", "quality", false},
		{"a class named only in categories", "food", KindClass, "A", "A", false},
		{"an enum value by its Chinese label", "hotline", "value:satisfaction", "满意", "satisfied", false},
		{"an enum value of the status field is a state", "bank", "value:status", "已转办", "assigned", false},
		{"an enum value of a list item", "bank", "value:related.as", "重复投诉", "repeat", false},
		{"a transition by its label names its target", "hotline", KindTransition, "反馈给业务员或质检部", "routed", false},
		{"a transition by the target state", "hotline", KindTransition, "已转交", "routed", false},
		{"a transition label and a state label of one target", "amb", KindTransition, "办结", "done", false},
		{"a field by its label", "bank", KindField, "承办部门", "department", false},
		{"a label without its remark in brackets", "market", KindState, "已受理", "accepted", false},
		{"a channel label without its remark in brackets", "market", KindChannel, "全国12315平台", "platform", false},
		{"a clock by its label", "tendering", KindDeadline, "指定承办人", "assign", false},
		{"a clock by the label of its second alternative", "tendering", KindDeadline, "核查并做出处理决定", "verify", false},
		{"a sub-field by its path", "bank", KindField, "complainant.phone", "complainant.phone", false},

		{"a misspelt state id suggests the state", "tendering", KindState, "asigned",
			`unknown status "asigned"; did you mean assigned (已指定承办人)?`, true},
		{"a misspelt Chinese label suggests the value", "food", KindChannel, "电活",
			`unknown channel "电活"; did you mean phone (电话)?`, true},
		{"a misspelt field suggests the field", "bank", KindField, "categroy",
			`unknown field "categroy"; did you mean category (类别)?`, true},
		{"nothing close lists every value with its labels", "hotline", "value:satisfaction", "很好",
			`unknown satisfaction "很好" in policy hotline (fix: give one of satisfied (满意, Satisfied), dissatisfied (不满意, Dissatisfied))`, true},
		{"an empty input lists the values", "hotline", "value:satisfaction", " ",
			`empty satisfaction (fix: give one of satisfied (满意, Satisfied), dissatisfied (不满意, Dissatisfied))`, true},
		{"two values share a label", "amb", KindChannel, "电话",
			`ambiguous channel "电话": it names phone (电话, Telephone), hotline (电话, Hotline) (fix: give the id, one of phone, hotline)`, true},
		{"a label is another value's id", "amb", KindChannel, "letter",
			`ambiguous channel "letter": it names letter (信函, Letter), post (邮寄, letter) (fix: give the id, one of letter, post)`, true},
		{"a field that is not an enum has no values", "bank", "value:title", "x",
			`policy bank has no terms of kind "value:title"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := get(tt.policy).Resolve(tt.kind, tt.input)
			if tt.wantErr {
				if err == nil || err.Error() != tt.want {
					t.Fatalf("Resolve(%q, %q) = %q, %v; want error %s", tt.kind, tt.input, got, err, tt.want)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Resolve(%q, %q) = %q, %v; want %q", tt.kind, tt.input, got, err, tt.want)
			}
		})
	}
}

// TestResolve_BuiltInIDsAndLabels guards the built-in policies: every id
// and every label of every term names its value alone, so a clerk can type
// any of them.
func TestResolve_BuiltInIDsAndLabels(t *testing.T) {
	set, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range set.IDs() {
		p, _ := set.Get(id)
		kinds := []string{KindState, KindCategory, KindChannel, KindClass}
		for _, f := range p.fieldPaths() {
			if fd, _ := p.Field(f); fd.Type == TypeEnum {
				kinds = append(kinds, "value:"+f)
			}
		}
		// A move takes a state or a transition's label.
		for _, tr := range p.Transitions {
			for _, in := range []string{tr.Zh, tr.En} {
				if got, err := p.Resolve(KindTransition, in); in != "" && (err != nil || got != tr.To) {
					t.Errorf("%s: Resolve(transition, %q) = %q, %v; want %q", id, in, got, err, tr.To)
				}
			}
		}
		kinds = append(kinds, KindTransition)
		for _, kind := range kinds {
			for _, c := range p.Choices(kind) {
				for _, in := range []string{c.ID, c.Zh, c.En} {
					if in == "" {
						continue
					}
					if got, err := p.Resolve(kind, in); err != nil || got != c.ID {
						t.Errorf("%s: Resolve(%q, %q) = %q, %v; want %q", id, kind, in, got, err, c.ID)
					}
				}
			}
		}
	}
}

func TestSetResolve(t *testing.T) {
	set, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, kind, input string
		scope             []string
		want              map[string]string
		wantErr           string
		// one is what ResolveOne gives, where the ids agree.
		one string
	}{
		{"one field path in two policies", KindField, "类别", []string{"bank", "food"},
			map[string]string{"bank": "category", "food": "category"}, "", "category"},
		{"a clock of one policy only", KindDeadline, "回复署名举报人", []string{"bank", "tendering"},
			map[string]string{"tendering": "reply"}, "", "reply"},
		{"a misspelt clock", KindDeadline, "asign", []string{"tendering"},
			nil, `unknown deadline "asign"; did you mean assign (指定承办人)?`, ""},
		{"a state of one policy and not another", KindState, "已指定承办人", []string{"bank", "tendering"},
			map[string]string{"tendering": "assigned"}, "", ""},
		{"one id in two policies with different labels", KindState, "assigned", []string{"bank", "tendering"},
			map[string]string{"bank": "assigned", "tendering": "assigned"}, "", ""},
		{"an enum field only one policy has", "value:satisfaction", "满意", []string{"hotline", "tendering"},
			map[string]string{"hotline": "satisfied"}, "", ""},
		{"unknown everywhere suggests the closest", KindState, "asigned", []string{"tendering"},
			nil, `unknown status "asigned"; did you mean assigned (已指定承办人)?`, ""},
		{"a field no policy has", "value:nosuch", "x", []string{"bank"},
			nil, `unknown nosuch "x": no policy declares any`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := set.Resolve(tt.kind, tt.input, tt.scope)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("got %v, %v; want error %s", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Fatalf("got %v; want %v", got, tt.want)
				}
			}
			if tt.one != "" {
				if one, err := set.ResolveOne(tt.kind, tt.input, tt.scope); err != nil || one != tt.one {
					t.Fatalf("ResolveOne = %q, %v; want %q", one, err, tt.one)
				}
			}
		})
	}
}

func TestSetLookup(t *testing.T) {
	set, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"hotline", "客户投诉处理办法(400电话)", " Customer complaint procedure (400 hotline) "} {
		if p, err := set.Lookup(in); err != nil || p.ID != "hotline" {
			t.Errorf("Lookup(%q) = %v, %v; want hotline", in, p, err)
		}
	}
	_, err = set.Lookup("hotlien")
	var re *ResolveError
	if !errors.As(err, &re) || re.Suggestion == nil || re.Suggestion.ID != "hotline" {
		t.Errorf("Lookup(hotlien) = %v; want a suggestion of hotline", err)
	}
}
