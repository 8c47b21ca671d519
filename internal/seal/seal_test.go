package seal

import (
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
)

// keys makes n fresh identities and a Recipients of their public keys,
// named by names (empty for unnamed).
func keys(t *testing.T, names ...string) ([]*age.X25519Identity, *Recipients) {
	t.Helper()
	var ids []*age.X25519Identity
	var file strings.Builder
	for _, n := range names {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		if n == "" {
			file.WriteString(id.Recipient().String() + "\n")
		} else {
			file.WriteString(n + ": " + id.Recipient().String() + "\n")
		}
	}
	rs, err := ParseRecipients(File, []byte(file.String()))
	if err != nil {
		t.Fatal(err)
	}
	return ids, rs
}

func TestSealOpen_RoundTrip(t *testing.T) {
	ids, rs := keys(t, "监察室", "")
	for _, tc := range []struct {
		name  string
		value any
	}{
		{"chinese name", "王某"},
		{"phone with leading zero stays text", "0915-1234567"},
		{"multi-line address", "城关镇\n1 号"},
		{"whole number", 42},
		{"fraction", 1234.5},
		{"bool", true},
		{"armor-looking text", Armor},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Seal(rs.List, "BANK-2026-0001", "complainant.name", tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if !IsSealed(s) || Check(s) != nil {
				t.Fatalf("sealed value not recognised: IsSealed=%v Check=%v", IsSealed(s), Check(s))
			}
			if strings.Contains(s, "王某") {
				t.Fatal("plaintext in the sealed value")
			}
			for i, id := range ids {
				env, err := Open([]Identity{id}, "BANK-2026-0001", "complainant.name", s)
				if err != nil {
					t.Fatalf("identity %d: %v", i, err)
				}
				if env.Value != tc.value {
					t.Errorf("identity %d: got %#v, want %#v", i, env.Value, tc.value)
				}
				if !env.SealedFor(rs.List) {
					t.Errorf("SealedFor(all) = false, For = %v", env.For)
				}
			}
		})
	}
}

func TestOpen_Binding(t *testing.T) {
	ids, rs := keys(t, "a")
	s, err := Seal(rs.List, "BANK-2026-0001", "complainant.phone", "13800000000")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, id, field string
		want            string
	}{
		{"swapped into another case", "BANK-2026-0002", "complainant.phone", "BANK-2026-0002 complainant.phone holds a value sealed for BANK-2026-0001 complainant.phone"},
		{"swapped into another field", "BANK-2026-0001", "complainant.name", "BANK-2026-0001 complainant.name holds a value sealed for BANK-2026-0001 complainant.phone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open([]Identity{ids[0]}, tc.id, tc.field, s)
			var be *BindingError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a BindingError", err)
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "13800000000") {
				t.Errorf("message %q\nwant it to contain %q and not the value", err, tc.want)
			}
		})
	}
}

func TestOpen_Errors(t *testing.T) {
	ids, rs := keys(t, "a", "b")
	other, _ := keys(t, "c")
	s, err := Seal(rs.List[:1], "X-2026-0001", "complainant.name", "王某")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, tc := range []struct {
		name      string
		ids       []Identity
		value     string
		notForYou bool
	}{
		{"no identity", nil, s, true},
		{"recused identity", []Identity{ids[1]}, s, true},
		{"stranger", []Identity{other[0]}, s, true},
		{"footer cut off", []Identity{ids[0]}, strings.Join(lines[:len(lines)-1], "\n"), false},
		{"body line dropped", []Identity{ids[0]}, strings.Join(append(lines[:1:1], lines[2:]...), "\n"), false},
		{"header only", []Identity{ids[0]}, Armor, false},
		{"not base64", []Identity{ids[0]}, Armor + "\n!!!!\n" + armorFooter, false},
		{"too long", []Identity{ids[0]}, Armor + "\n" + strings.Repeat("A", MaxSealed) + "\n" + armorFooter, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.ids, "X-2026-0001", "complainant.name", tc.value)
			if err == nil {
				t.Fatal("opened")
			}
			if got := errors.Is(err, ErrNotForYou); got != tc.notForYou {
				t.Errorf("ErrNotForYou = %v, want %v (%v)", got, tc.notForYou, err)
			}
			var me *MalformedError
			if !tc.notForYou && !errors.As(err, &me) {
				t.Errorf("err = %v, want a MalformedError", err)
			}
			if !tc.notForYou && Check(tc.value) == nil {
				t.Error("Check accepted a damaged value")
			}
		})
	}
}

func TestParseRecipients(t *testing.T) {
	a, _ := age.GenerateX25519Identity()
	b, _ := age.GenerateX25519Identity()
	ka, kb := a.Recipient().String(), b.Recipient().String()
	for _, tc := range []struct {
		name    string
		file    string
		want    []string // name=key per recipient
		wantErr string
	}{
		{"bare keys and comments", "# office keys\n\n" + ka + "\n" + kb + "\n", []string{"=" + ka, "=" + kb}, ""},
		{"name before the key", "张三: " + ka + "\n", []string{"张三=" + ka}, ""},
		{"name as trailing comment", ka + "  # 李某\n", []string{"李某=" + ka}, ""},
		{"prefix name wins over comment", "张三: " + ka + " # 主任\n", []string{"张三=" + ka}, ""},
		{"BOM and CRLF", "\uFEFF" + ka + "\r\n", []string{"=" + ka}, ""},
		{"duplicate key", ka + "\n" + ka + "\n", nil, "recipients.txt:2: the key is already declared on line 1"},
		{"duplicate name", "a: " + ka + "\na: " + kb + "\n", nil, "recipients.txt:2: the name \"a\" is already used on line 1"},
		{"private key", "# x\n" + strings.ToUpper(a.String()) + "\n", nil, "recipients.txt:2: this is a private key"},
		{"not a key", "ssh-ed25519 AAAA\n", nil, "recipients.txt:1: \"ssh-ed25519 AAAA\" is not an age public key"},
		{"empty name", ": " + ka + "\n", nil, "recipients.txt:1: an empty name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := ParseRecipients(File, []byte(tc.file))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), a.String()) {
					t.Fatal("the error quotes a private key")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs.List {
				got = append(got, r.Name+"="+r.Key)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWithout_Recusal(t *testing.T) {
	ids, rs := keys(t, "张三", "李四", "")
	to, err := rs.Without([]string{"张三", "路人"})
	if err != nil {
		t.Fatal(err)
	}
	if len(to) != 2 {
		t.Fatalf("got %d recipients, want 2", len(to))
	}
	if got := rs.Excluded([]string{"张三", "路人"}); strings.Join(got, ",") != "张三" {
		t.Errorf("Excluded = %v, want [张三]", got)
	}
	s, err := Seal(to, "ZB-2026-0001", "complainant.name", "举报人")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open([]Identity{ids[0]}, "ZB-2026-0001", "complainant.name", s); !errors.Is(err, ErrNotForYou) {
		t.Errorf("the recused key opened the value: %v", err)
	}
	if _, err := Open([]Identity{ids[1]}, "ZB-2026-0001", "complainant.name", s); err != nil {
		t.Errorf("a remaining key cannot open: %v", err)
	}
	named, rs2 := keys(t, "only")
	_ = named
	if _, err := rs2.Without([]string{"only"}); err == nil || !strings.Contains(err.Error(), "every recipient") {
		t.Errorf("excluding everyone: err = %v", err)
	}
}

func TestReveal(t *testing.T) {
	ids, rs := keys(t, "a")
	name, _ := Seal(rs.List, "C-2026-0001", "complainant.name", "王某")
	phone, _ := Seal(rs.List, "C-2026-0002", "complainant.phone", "13800000000") // from another case
	fields := map[string]any{
		"title":       "t",
		"complainant": map[string]any{"name": name, "phone": phone, "anonymous": false},
	}
	for _, tc := range []struct {
		name      string
		ids       []Identity
		wantName  any
		wantPhone any
		wantErrs  int
	}{
		{"no identity withholds without complaint", nil, "已隐藏", "已隐藏", 0},
		{"identity opens, swapped value withheld", []Identity{ids[0]}, "王某", "已隐藏", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs := Reveal(fields, "C-2026-0001", tc.ids, Withheld("zh"))
			c := out["complainant"].(map[string]any)
			if c["name"] != tc.wantName || c["phone"] != tc.wantPhone || c["anonymous"] != false || out["title"] != "t" {
				t.Errorf("got %v", out)
			}
			if len(errs) != tc.wantErrs {
				t.Errorf("errors %v, want %d", errs, tc.wantErrs)
			}
			if fields["complainant"].(map[string]any)["name"] != name {
				t.Error("Reveal changed its input")
			}
		})
	}
	if got := Sealed(fields); strings.Join(got, ",") != "complainant.name,complainant.phone" {
		t.Errorf("Sealed = %v", got)
	}
}

func TestSeal_RejectsCollections(t *testing.T) {
	_, rs := keys(t, "a")
	if _, err := Seal(rs.List, "C", "f", map[string]any{"a": 1}); err == nil {
		t.Error("sealed a mapping")
	}
	if _, err := Seal(nil, "C", "f", "x"); err == nil {
		t.Error("sealed for nobody")
	}
}
