package policy

import (
	"slices"
	"strings"
	"testing"
)

func TestCorrections_Approvers(t *testing.T) {
	p := mustLoad(t, edit(t, "prefix: TST\n", "prefix: TST\ncorrections: {approvers: [孙主任, 李科长]}\n"))
	if got := p.CorrectionApprovers(); !slices.Equal(got, []string{"孙主任", "李科长"}) {
		t.Errorf("CorrectionApprovers = %v", got)
	}
	if got := mustLoad(t, basePolicy).CorrectionApprovers(); got != nil {
		t.Errorf("without a corrections block: %v, want nil (anyone)", got)
	}
}

func TestCorrections_Problems(t *testing.T) {
	tests := []struct{ name, block, msg string }{
		{"unknown key", "corrections: {approver: [孙主任]}\n", `unknown key "approver"`},
		{"empty name", "corrections: {approvers: [\"\"]}\n", "corrections approver 1 is empty"},
		{"listed twice", "corrections: {approvers: [孙主任, 孙主任]}\n", `corrections approver "孙主任" is listed twice`},
		{"not a list", "corrections: {approvers: 孙主任}\n", "must be a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("test.yaml", []byte(edit(t, "prefix: TST\n", "prefix: TST\n"+tt.block)))
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Load: %v, want a problem containing %q", err, tt.msg)
			}
		})
	}
}
