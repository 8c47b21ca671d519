package clerk_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/seal"
)

// sealedOffice is a bank office whose desk seals for two keys: 监察室's and
// 周某's (a staff member who may be complained about).
func sealedOffice(t *testing.T) (*office, *age.X25519Identity, *age.X25519Identity) {
	t.Helper()
	o := newOffice(t)
	office, _ := age.GenerateX25519Identity()
	zhou, _ := age.GenerateX25519Identity()
	rs, err := seal.ParseRecipients(seal.File, []byte("监察室: "+office.Recipient().String()+"\n"+zhou.Recipient().String()+" # 周某\n"))
	if err != nil {
		t.Fatal(err)
	}
	o.desk.Recipients = rs
	return o, office, zhou
}

// open reads a field of the committed case file with id's key.
func (o *office) open(file, caseID, path string, id seal.Identity) (any, error) {
	o.t.Helper()
	c, err := cases.Parse(file, o.committed(o.head(), file))
	if err != nil {
		o.t.Fatal(err)
	}
	v, _ := c.Get(path)
	s, ok := v.(string)
	if !seal.IsSealed(s) || !ok {
		o.t.Fatalf("%s is not sealed: %v", path, v)
	}
	env, err := seal.Open([]seal.Identity{id}, caseID, path, s)
	return env.Value, err
}

func registerSealed(t *testing.T, o *office, extra map[string]string) clerk.Done {
	t.Helper()
	raw := map[string]string{"complainant.name": "王CANARY", "complainant.phone": "13800000077", "complainant.address": "城关镇 1 号"}
	for k, v := range extra {
		raw[k] = v
	}
	done, err := o.desk.New(clerk.NewCase{Policy: "bank", Title: "柜台服务态度差", Channel: "visit", Category: "attitude", Sets: o.sets(raw)})
	if err != nil {
		t.Fatal(err)
	}
	return done
}

func TestNew_SealsPersonalData(t *testing.T) {
	o, office, zhou := sealedOffice(t)
	done := registerSealed(t, o, nil)
	data := string(o.committed(o.head(), done.File))
	for _, plain := range []string{"王CANARY", "13800000077", "城关镇"} {
		if strings.Contains(data, plain) {
			t.Errorf("%q in plain text in the committed file:\n%s", plain, data)
		}
	}
	if strings.Contains(o.head().Message, "CANARY") {
		t.Error("personal data in the commit message")
	}
	for _, tc := range []struct {
		path string
		want any
	}{
		{"complainant.name", "王CANARY"},
		{"complainant.phone", "13800000077"},
		{"complainant.address", "城关镇 1 号"},
	} {
		for _, id := range []seal.Identity{office, zhou} {
			got, err := o.open(done.File, done.ID, tc.path, id)
			if err != nil || got != tc.want {
				t.Errorf("%s: got %v, %v; want %v", tc.path, got, err, tc.want)
			}
		}
	}
}

func TestNew_RespondentIsLeftOut(t *testing.T) {
	o, office, zhou := sealedOffice(t)
	done := registerSealed(t, o, map[string]string{"respondent.person": "周某"})
	if _, err := o.open(done.File, done.ID, "complainant.name", zhou); !errors.Is(err, seal.ErrNotForYou) {
		t.Errorf("the respondent's key opened the complainant's name: %v", err)
	}
	if got, err := o.open(done.File, done.ID, "complainant.name", office); err != nil || got != "王CANARY" {
		t.Errorf("监察室 cannot open: %v %v", got, err)
	}
}

func TestNew_RecusedListIsLeftOut(t *testing.T) {
	o, office, zhou := sealedOffice(t)
	// The bank and tendering policies declare recused (第六条、第十条;
	// 第二十一条): the names of recipients who must not read the case.
	done := registerSealed(t, o, map[string]string{"recused": "周某"})
	if _, err := o.open(done.File, done.ID, "complainant.phone", zhou); !errors.Is(err, seal.ErrNotForYou) {
		t.Errorf("a recused recipient's key opened the complainant's phone: %v", err)
	}
	if got, err := o.open(done.File, done.ID, "complainant.phone", office); err != nil || got != "13800000077" {
		t.Errorf("监察室 cannot open: %v %v", got, err)
	}
}

func TestSetMove_SealPersonalData(t *testing.T) {
	o, office, _ := sealedOffice(t)
	done := registerSealed(t, o, nil)
	if _, err := o.desk.Set(done.ID, o.sets(map[string]string{"complainant.email": "canary@example.cn", "amount": "500"})); err != nil {
		t.Fatal(err)
	}
	if got, err := o.open(done.File, done.ID, "complainant.email", office); err != nil || got != "canary@example.cn" {
		t.Errorf("set: %v %v", got, err)
	}
	if !strings.Contains(string(o.committed(o.head(), done.File)), "amount: 500") {
		t.Error("a field that is not personal data was sealed or lost")
	}
	sets := o.sets(map[string]string{"assignee": "赵某", "department": "监察室", "leader_opinion.by": "孙行长", "leader_opinion.opinion": "请办理", "complainant.id_number": "110101199001011234"})
	if _, err := o.desk.Move(done.ID, "assigned", sets, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := o.open(done.File, done.ID, "complainant.id_number", office); err != nil || got != "110101199001011234" {
		t.Errorf("move: %v %v", got, err)
	}
	if strings.Contains(string(o.committed(o.head(), done.File)), "110101199001011234") {
		t.Error("id number in plain text")
	}
}

func TestSet_SameSealedValueMakesNoCommit(t *testing.T) {
	o, office, _ := sealedOffice(t)
	done := registerSealed(t, o, nil)
	o.desk.Identities = []seal.Identity{office}
	before := o.head().Hash
	got, err := o.desk.Set(done.ID, o.sets(map[string]string{"complainant.phone": "13800000077"}))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Unchanged || o.head().Hash != before {
		t.Errorf("setting the value the field holds committed: %+v", got)
	}
}

func TestSet_RecusalReseals(t *testing.T) {
	for _, tc := range []struct {
		name        string
		identity    bool
		zhouOpens   bool
		wantWarning bool
	}{
		{"with an identity the old values are sealed again", true, false, false},
		{"without one the clerk is told to rekey", false, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, office, zhou := sealedOffice(t)
			done := registerSealed(t, o, nil)
			if tc.identity {
				o.desk.Identities = []seal.Identity{office}
			}
			got, err := o.desk.Set(done.ID, o.sets(map[string]string{"respondent.person": "周某"}))
			if err != nil {
				t.Fatal(err)
			}
			if (len(got.Warnings) > 0) != tc.wantWarning {
				t.Errorf("warnings %v, want some: %v", got.Warnings, tc.wantWarning)
			}
			_, err = o.open(done.File, done.ID, "complainant.name", zhou)
			if (err == nil) != tc.zhouOpens {
				t.Errorf("周某 opens: %v, want %v", err == nil, tc.zhouOpens)
			}
			if v, err := o.open(done.File, done.ID, "complainant.name", office); err != nil || v != "王CANARY" {
				t.Errorf("the plaintext changed: %v %v", v, err)
			}
		})
	}
}

func TestRekey(t *testing.T) {
	o, office, zhou := sealedOffice(t)
	done := registerSealed(t, o, nil)
	// A new key joins and 周某 is recused.
	newcomer, _ := age.GenerateX25519Identity()
	rs, err := seal.ParseRecipients(seal.File, []byte("监察室: "+office.Recipient().String()+"\n周某: "+zhou.Recipient().String()+"\n新人: "+newcomer.Recipient().String()+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	o.desk.Recipients = rs
	if _, err := o.desk.Rekey(done.ID, false); err == nil || !strings.Contains(err.Error(), "needs an identity") {
		t.Fatalf("rekey without identity: %v", err)
	}
	o.desk.Identities = []seal.Identity{office}
	got, err := o.desk.Rekey(done.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Unchanged {
		t.Fatal("nothing rekeyed")
	}
	msg := o.head().Message
	if !strings.HasPrefix(msg, done.ID+": rekey complainant.address, complainant.name, complainant.phone") || !strings.Contains(msg, "\nCasebook-Rekey: ") {
		t.Errorf("commit message:\n%s", msg)
	}
	for _, path := range []string{"complainant.name", "complainant.phone"} {
		if v, err := o.open(done.File, done.ID, path, newcomer); err != nil || v == nil {
			t.Errorf("%s: the new key cannot open it: %v", path, err)
		}
	}
	again, err := o.desk.Rekey(done.ID, false)
	if err != nil || !again.Unchanged {
		t.Errorf("a second rekey changed something: %+v %v", again, err)
	}
	forced, err := o.desk.Rekey(done.ID, true)
	if err != nil || forced.Unchanged {
		t.Errorf("--force rekeyed nothing: %+v %v", forced, err)
	}
}

func TestRekey_RefusesSwappedValue(t *testing.T) {
	o, office, _ := sealedOffice(t)
	a := registerSealed(t, o, nil)
	b := registerSealed(t, o, nil)
	// Copy a's sealed name into b by hand, as someone with write access might.
	ca, _ := cases.Parse(a.File, o.committed(o.head(), a.File))
	name, _ := ca.Get("complainant.name")
	data, err := cases.Edit(o.worktree(b.File), []cases.Set{{Path: "complainant.name", Value: name}})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, o, b.File, data)
	o.desk.Identities = []seal.Identity{office}
	_, err = o.desk.Rekey(b.ID, true)
	if err == nil || !strings.Contains(err.Error(), "holds a value sealed for "+a.ID+" complainant.name") {
		t.Errorf("err = %v", err)
	}
}

func writeFile(t *testing.T, o *office, file string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(o.root, filepath.FromSlash(file)), data, 0o644); err != nil {
		t.Fatal(err)
	}
}
