package clerk_test

import (
	"testing"

	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/policy"
)

func TestParseValue_EnumByLabel(t *testing.T) {
	p, err := policy.Load("visit.yaml", []byte(`id: visit
name: {zh: 来访, en: Visits}
prefix: VIS
timezone: Asia/Shanghai
states:
  - {id: received, zh: 已登记, en: Received, initial: true}
  - {id: closed, zh: 已办结, en: Closed, terminal: true}
transitions:
  - {from: [received], to: closed}
channels:
  - {id: visit, zh: 来访, en: Visit}
categories:
  - {id: other, zh: 其他, en: Other}
fields:
  - name: satisfaction
    type: enum
    values:
      - {id: satisfied, zh: 满意, en: Satisfied}
      - {id: dissatisfied, zh: 不满意, en: Dissatisfied}
  - name: reception
    type: object
    fields:
      - name: mode
        type: enum
        values:
          - {id: two_staff, zh: 二人接待, en: Two staff}
          - {id: video, zh: 视频接访, en: Video}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, raw string
		want            any
		wantErr         string
	}{
		{"an enum by its id", "satisfaction", "satisfied", "satisfied", ""},
		{"an enum by its Chinese label", "satisfaction", "不满意", "dissatisfied", ""},
		{"an enum by its English label, any case", "satisfaction", "SATISFIED", "satisfied", ""},
		{"an enum inside an object by its label", "reception.mode", "二人接待", "two_staff", ""},
		{"the channel core field by its label", "channel", " 来访 ", "visit", ""},
		{"a misspelt label suggests the value", "reception.mode", "视频接方", nil,
			`unknown reception.mode "视频接方"; did you mean video (视频接访)?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := clerk.ParseValue(p, tt.path, tt.raw)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseValue(%q, %q) = %v, %v; want error %s", tt.path, tt.raw, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseValue(%q, %q) = %v, %v; want %v", tt.path, tt.raw, got, err, tt.want)
			}
		})
	}
}
