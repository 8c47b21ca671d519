package msg

import (
	"errors"
	"fmt"
	"testing"
)

func TestSprintf_ArgumentsInEachLanguage(t *testing.T) {
	fe := &FileError{File: "a.yaml", Line: 3, Msg: T("单位不对", "bad unit")}
	got := T("状态「%[2]s」在 %[1]d 处：%[3]v；%[4]v", "state %[2]q at %[1]d: %[3]v; %[4]v").
		Sprintf(7, Label{ID: "received", Zh: "已登记"}, fe, fmt.Errorf("read: %w", fe))
	want := Text{
		Zh: "状态「已登记」在 7 处：a.yaml:3: 单位不对；read: a.yaml:3: 单位不对",
		En: `state "received" at 7: a.yaml:3: bad unit; read: a.yaml:3: bad unit`,
	}
	if got != want {
		t.Errorf("Sprintf:\n got %#v\nwant %#v", got, want)
	}
}

func TestErrorIn_WrappedFileError(t *testing.T) {
	fe := &FileError{File: "p.yaml", Line: 2, Msg: T("有制表符", "a tab"), Fix: T("换成空格", "use spaces")}
	err := fmt.Errorf("load policies: %w", FileErrors{fe, {File: "q.yaml", Msg: T("空文件", "empty")}})
	if got, want := ErrorIn(err, Zh), "load policies: p.yaml:2: 有制表符（修正：换成空格）\nq.yaml: 空文件"; got != want {
		t.Errorf("zh:\n got %q\nwant %q", got, want)
	}
	if got, want := ErrorIn(err, En), err.Error(); got != want {
		t.Errorf("en:\n got %q\nwant %q", got, want)
	}
	if got := ErrorIn(errors.New("plain"), Zh); got != "plain" {
		t.Errorf("plain error: %q", got)
	}
}

func TestFileErrorsSort_ByFileLineColumn(t *testing.T) {
	es := FileErrors{
		{File: "b", Line: 1, Msg: Same("1")},
		{File: "a", Line: 2, Col: 5, Msg: Same("2")},
		{File: "a", Line: 2, Col: 1, Msg: Same("3")},
		{File: "a", Line: 2, Col: 1, Msg: Same("4")},
	}
	es.Sort()
	var got string
	for _, e := range es {
		got += e.Msg.En
	}
	if got != "3421" {
		t.Errorf("order %s, want 3421", got)
	}
}
