package binfmt

import (
	"math"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var e Encoder
	e.Uint(0)
	e.Uint(300)
	e.Int(-7)
	e.Int(math.MaxInt64)
	e.Str("")
	e.Str("投诉内容")
	e.Bool(true)
	e.Bool(false)
	d := Decoder{B: e.B}
	if d.Uint() != 0 || d.Uint() != 300 || d.Int() != -7 || d.Int() != math.MaxInt64 ||
		d.Str() != "" || d.Str() != "投诉内容" || !d.Bool() || d.Bool() || d.Err != nil || len(d.B) != 0 {
		t.Fatalf("round trip failed: err %v, %d bytes left", d.Err, len(d.B))
	}
}

func TestDamagedInputNeverPanics(t *testing.T) {
	var e Encoder
	e.Str("中文字符串")
	for cut := 0; cut < len(e.B); cut++ {
		d := Decoder{B: e.B[:cut]}
		if s := d.Str(); s != "" || d.Err == nil {
			t.Errorf("cut at %d: got %q, err %v; want an error", cut, s, d.Err)
		}
		if d.Uint() != 0 || d.Int() != 0 || d.Bool() || d.Count(1) != 0 {
			t.Errorf("cut at %d: reads after an error must return zero values", cut)
		}
	}
	d := Decoder{B: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}}
	if d.Count(1); d.Err == nil {
		t.Error("an overlong varint must fail")
	}
}

func TestBytesReadsWhatStrReads(t *testing.T) {
	var e Encoder
	e.Str("投诉")
	e.Str("")
	e.Str("x")
	d := Decoder{B: e.B}
	if b := d.Bytes(); string(b) != "投诉" || cap(b) != len(b) {
		t.Errorf("Bytes = %q (cap %d), want 投诉 with no room to append over the next value", b, cap(b))
	}
	if b := d.Bytes(); len(b) != 0 {
		t.Errorf("Bytes = %q, want empty", b)
	}
	if s := d.Str(); s != "x" || d.Err != nil || len(d.B) != 0 {
		t.Errorf("Str after Bytes = %q, err %v", s, d.Err)
	}
	d = Decoder{B: e.B[:2]}
	if b := d.Bytes(); b != nil || d.Err == nil {
		t.Errorf("truncated: Bytes = %q, err %v; want an error", b, d.Err)
	}
}
