package seal

import (
	"os"
	"strconv"
	"testing"

	"filippo.io/age"
)

// fuzzKey is a fixed test identity, so the seed corpus holds values it
// can open (testdata/fuzz/FuzzOpen). It protects nothing.
const fuzzKey = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"

// FuzzOpen feeds Open arbitrary text: it must never panic, and whatever
// it opens must be bound to the case and field it was asked for.
func FuzzOpen(f *testing.F) {
	id, err := age.ParseX25519Identity(fuzzKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(Armor + "\n" + armorFooter)
	f.Add("not sealed")
	f.Fuzz(func(t *testing.T, s string) {
		env, err := Open([]Identity{id}, "F-2026-0001", "complainant.name", s)
		if err == nil && (env.Case != "F-2026-0001" || env.Field != "complainant.name") {
			t.Fatalf("opened a value bound elsewhere: %+v", env)
		}
		if err == nil && Check(s) != nil {
			t.Fatal("Open accepted what Check rejects")
		}
	})
}

// TestFuzzCorpus_Writes keeps the seed corpus reproducible: run with
// SEAL_WRITE_CORPUS=1 to regenerate testdata/fuzz/FuzzOpen.
func TestFuzzCorpus_Writes(t *testing.T) {
	if os.Getenv("SEAL_WRITE_CORPUS") == "" {
		t.Skip("set SEAL_WRITE_CORPUS=1 to regenerate the corpus")
	}
	id, _ := age.ParseX25519Identity(fuzzKey)
	rs, err := ParseRecipients(File, []byte(id.Recipient().String()))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, s string) {
		data := "go test fuzz v1\nstring(" + strconv.Quote(s) + ")\n"
		if err := os.WriteFile("testdata/fuzz/FuzzOpen/"+name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ok, _ := Seal(rs.List, "F-2026-0001", "complainant.name", "王某")
	write("valid", ok)
	other, _ := Seal(rs.List, "F-2026-0002", "complainant.name", "王某")
	write("other_case", other)
	num, _ := Seal(rs.List, "F-2026-0001", "complainant.name", 13800000000)
	write("number", num)
	write("truncated", ok[:len(ok)/2])
	write("header_only", Armor+"\n")
}
