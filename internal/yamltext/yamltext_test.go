package yamltext

import (
	"strings"
	"testing"
)

func TestConflictMarker(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		line     int
	}{
		{"none", "---\nid: A-1\n---\n## 投诉内容\n", 0},
		{"a setext heading is not one", "---\nid: A-1\n---\n投诉内容\n=======\n", 0},
		{"eight angle brackets are not one", "---\nid: A-1\n---\n<<<<<<<<\n", 0},
		{"inside a line is not one", "---\nid: A-1\n---\na <<<<<<< b\n", 0},
		{"the first marker", "---\nid: A-1\n---\nx\n>>>>>>> side\n<<<<<<< HEAD\n", 5},
		{"diff3 base marker", "---\nid: A-1\n---\n||||||| base\n", 4},
		{"bare marker", "<<<<<<<\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ConflictMarker([]byte(tc.in)); got != tc.line {
				t.Errorf("ConflictMarker = %d, want %d", got, tc.line)
			}
		})
	}
}

func TestEncoding(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		line int
		want string // "" for UTF-8
	}{
		{"UTF-8 Chinese is text", []byte("title: 态度差\n"), 0, ""},
		{"UTF-8 with a BOM is text", []byte("\uFEFFtitle: 态度差\n"), 0, ""},
		{"GBK 态度差 on line 2", []byte("id: A\ntitle: \xcc\xac\xb6\xc8\xb2\xee\n"), 2, "GBK"},
		{"UTF-16 little endian with its BOM", []byte{0xFF, 0xFE, 'i', 0, 'd', 0}, 1, "UTF-16"},
		{"UTF-16 without a BOM has NUL bytes", []byte{'i', 0, 'd', 0}, 1, "UTF-16"},
		{"a NUL byte on line 2 is no text", []byte("id: A\nx\x00\n"), 2, "0x00"},
		{"a lone invalid byte is not GBK", []byte("id: A\xff\n"), 1, "0xFF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Encoding(tc.in)
			if tc.want == "" {
				if p != nil {
					t.Fatalf("Encoding = %+v, want nil", p)
				}
				return
			}
			if p == nil {
				t.Fatal("Encoding = nil")
			}
			if p.Line != tc.line || !strings.Contains(p.Msg.Zh, tc.want) || !strings.Contains(p.Msg.Zh, "不是 UTF-8 编码") || !strings.Contains(p.Fix.Zh, "请用 UTF-8 另存") ||
				!strings.Contains(p.Msg.En, tc.want) || !strings.HasPrefix(p.Msg.En, "not UTF-8") || !strings.Contains(p.Fix.En, "save the file as UTF-8") {
				t.Errorf("Encoding = %+v, want line %d naming %s", p, tc.line, tc.want)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		name, in  string
		line      int
		kind      Kind
		wantLine  int
		wantInMsg string
	}{
		{"full-width colon after a key", "id: A\ntitle：态度差\n", 2, FullWidthColon, 2, "全角冒号"},
		{"full-width colon in a list of mappings", "states:\n  - id：received\n", 2, FullWidthColon, 2, "id"},
		{"tab in the indentation", "a:\n\tb: 1\n", 2, Tab, 2, "制表符"},
		{"full-width space in the indentation", "a:\n\u3000b: 1\n", 2, FullWidthSpace, 2, "全角空格"},
		{"BOM pasted on line 3", "a: 1\nb: 2\n\uFEFFc: 3\n", 3, BOM, 3, "BOM"},
		{"the error two lines after the cause", "a:\n\tb: 1\nc: 2\nd: 3\n", 4, Tab, 2, "Tab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := Explain([]byte(tc.in), tc.line)
			if !ok || p.Kind != tc.kind || p.Line != tc.wantLine || !strings.Contains(p.Msg.Zh, tc.wantInMsg) || p.Msg.En == "" || p.Fix.Zh == "" || p.Fix.En == "" {
				t.Errorf("Explain = %+v, %v; want %s on line %d naming %q", p, ok, tc.kind, tc.wantLine, tc.wantInMsg)
			}
		})
	}
	if p, ok := Explain([]byte("title: 投诉：态度差\nnote: ATM：吞卡\n"), 2); ok {
		t.Errorf("a full-width colon inside a value is explained as %+v", p)
	}
	if p, ok := Explain([]byte("a:\n\tb: 1\nc: 2\nd: 3\ne: 4\nf: 5\n"), 6); ok {
		t.Errorf("a tab four lines above the error is explained as %+v", p)
	}
}

func TestKey(t *testing.T) {
	for key, want := range map[string]string{"\u3000name": "全角空格", "title：x": "全角冒号", "a\tb": "制表符", "\uFEFFid": "BOM"} {
		if msg, fix, ok := Key(key); !ok || !strings.Contains(msg.Zh, want) || !strings.Contains(msg.En, "the key") || fix.Zh == "" || fix.En == "" {
			t.Errorf("Key(%q) = %q, %q, %v; want it to name %s", key, msg, fix, ok, want)
		}
	}
	if _, _, ok := Key("complainant"); ok {
		t.Error("Key(complainant) reports a problem")
	}
}
