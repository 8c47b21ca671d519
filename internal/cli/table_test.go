package cli

import (
	"bytes"
	"testing"
)

func TestTable_AlignsChineseByCells(t *testing.T) {
	tb := &table{right: map[int]bool{2: true}}
	tb.add("ID", "状态", "件数")
	tb.add("BANK-2026-0001", "已转办", "12")
	tb.add("X", "received", "3")
	var b bytes.Buffer
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	want := "ID              状态      件数\n" +
		"BANK-2026-0001  已转办      12\n" +
		"X               received     3\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestCellWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "已转办": 6, "意见簿(箱)": 10, "": 0, "２": 2} {
		if got := cellWidth(s); got != want {
			t.Errorf("cellWidth(%q) = %d; want %d", s, got, want)
		}
	}
}
