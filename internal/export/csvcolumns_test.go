package export

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/office"
)

// repoStep is one commit of a test repository: the files it writes, at
// its author and committer date.
type repoStep struct {
	date  string
	files map[string]string
	msg   string
}

// officeFrom commits steps in a temporary repository and loads it.
func officeFrom(t *testing.T, steps []repoStep) *office.Office {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is needed to build the test repository")
	}
	dir := t.TempDir()
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=赵敏", "GIT_AUTHOR_EMAIL=zhaomin@example.cn", "GIT_AUTHOR_DATE="+date,
			"GIT_COMMITTER_NAME=赵敏", "GIT_COMMITTER_EMAIL=zhaomin@example.cn", "GIT_COMMITTER_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("", "init", "-q")
	for _, s := range steps {
		for name, data := range s.files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git(s.date, "add", ".")
		git(s.date, "commit", "-q", "-m", s.msg)
	}
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Broken) != 0 {
		t.Fatalf("broken cases: %v", o.Broken)
	}
	return o
}

func bankCase(id, status, channel, received string) string {
	return "---\nid: " + id + "\npolicy: bank\nstatus: " + status + "\ntitle: 测试\nreceived_at: " + received +
		"\nchannel: " + channel + "\ncategory: attitude\ndepartment: 营业部\nassignee: 冯丽\n---\n"
}

func foodCase(status string) string {
	return "---\nid: FOOD-2026-0001\npolicy: food\nstatus: " + status + "\ntitle: 豆腐发红\nreceived_at: 2026-11-09T09:00:00+08:00\nchannel: phone\ncategory: spoiled\n---\n"
}

// TestCSV_ClosingAndVerdicts checks cases.csv's new columns on a real
// office: a bank case received the day before National Day, replied
// within its 3 working days and closed the Monday after the make-up
// Saturday; a bank online case whose reply and forwarding are overdue;
// and a food case, whose clock is overdue too, with the bank's rules'
// columns empty (and the bank's cases with the food rule's empty).
func TestCSV_ClosingAndVerdicts(t *testing.T) {
	const (
		closed  = "cases/2026/09/30/BANK-2026-0101.md"
		overdue = "cases/2026/11/02/BANK-2026-0102.md"
		food    = "cases/2026/11/09/FOOD-2026-0001.md"
	)
	o := officeFrom(t, []repoStep{
		{"2026-09-30T10:15:00+08:00", map[string]string{closed: bankCase("BANK-2026-0101", "received", "phone", "2026-09-30T10:00:00+08:00")}, "BANK-2026-0101: new (received)"},
		// Oct 1–7 are holidays; Oct 8 and 9 working days 1 and 2.
		{"2026-10-09T16:00:00+08:00", map[string]string{closed: bankCase("BANK-2026-0101", "replied", "phone", "2026-09-30T10:00:00+08:00")}, "BANK-2026-0101: received -> replied"},
		// Saturday Oct 10 is a make-up working day (3), Sunday a rest day, Monday Oct 12 the 4th.
		{"2026-10-12T09:30:00+08:00", map[string]string{closed: bankCase("BANK-2026-0101", "closed", "phone", "2026-09-30T10:00:00+08:00")}, "BANK-2026-0101: replied -> closed"},
		{"2026-11-02T09:10:00+08:00", map[string]string{overdue: bankCase("BANK-2026-0102", "received", "online", "2026-11-02T09:00:00+08:00")}, "BANK-2026-0102: new (received)"},
		{"2026-11-09T09:05:00+08:00", map[string]string{food: foodCase("received")}, "FOOD-2026-0001: new (received)"},
		{"2026-11-09T09:10:00+08:00", map[string]string{food: foodCase("approved")}, "FOOD-2026-0001: received -> approved"},
	})
	at := time.Date(2026, 11, 10, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	recs := o.Records(at)
	for _, tt := range []struct {
		lang string
		want map[string]map[string]string // case id → column → cell
	}{
		{"zh", map[string]map[string]string{
			"BANK-2026-0101": {"受理时间": "2026-09-30 10:00", "状态": "已办结", "办法": "农商银行客户投诉(信访)处理办法",
				"办结时间": "2026-10-12 09:30", "办理用时(工作日)": "4", "回复客户": "按时", "网络投诉转办": "", "传递责任部门": "",
				"下一期限": "", "到期时间": ""},
			"BANK-2026-0102": {"办结时间": "", "办理用时(工作日)": "", "回复客户": "已超期", "网络投诉转办": "已超期", "传递责任部门": "",
				"下一期限": "网络投诉转办", "到期时间": "2026-11-04 23:59", "期限状态": "已超期"},
			"FOOD-2026-0001": {"回复客户": "", "网络投诉转办": "", "传递责任部门": "已超期", "状态": "已批准",
				"到期时间": "2026-11-09 10:10"},
		}},
		{"en", map[string]map[string]string{
			"BANK-2026-0101": {"Received at": "2026-09-30 10:00", "Closed at": "2026-10-12 09:30",
				"Handling time (working days)": "4", "Reply to the customer": "met", "Hand over to the responsible department": ""},
			"FOOD-2026-0001": {"Reply to the customer": "", "Hand over to the responsible department": "overdue"},
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := CSV(&buf, recs, Options{Now: at, Lang: tt.lang, Calendar: o.Calendar}); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(bom)))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			head := rows[0]
			byID := map[string][]string{}
			for _, r := range rows[1:] {
				byID[r[0]] = r
			}
			for id, cols := range tt.want {
				r, ok := byID[id]
				if !ok {
					t.Fatalf("no row for %s in %q", id, rows)
				}
				for col, want := range cols {
					i := slices.Index(head, col)
					if i < 0 {
						t.Fatalf("no column %q in %q", col, head)
					}
					if r[i] != want {
						t.Errorf("%s %s = %q, want %q", id, col, r[i], want)
					}
				}
			}
		})
	}
	// The dashboard's handling time is the same count.
	for _, r := range recs {
		if r.Case.ID == "BANK-2026-0101" {
			if n, ok := HandlingDays(r, o.Calendar(r.Policy)); !ok || n != 4 {
				t.Errorf("HandlingDays = %d, %v; want 4", n, ok)
			}
		}
	}
}
