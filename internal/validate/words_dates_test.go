package validate

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/policies"
)

// step is one commit of a test repository: files written (content "":
// removed), the author and committer dates, the author's e-mail, and the
// steps whose commits are its parents (nil: HEAD).
type step struct {
	files              map[string]string
	authored, commited string
	email              string
	parents            []int
}

// commitSteps makes a repository in a temp dir with the policy as its only
// policy and commits the steps with an identity of its own.
func commitSteps(t *testing.T, pol string, steps []step) string {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	data, err := policies.FS.ReadFile(pol + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	write := func(path, content string) {
		full := filepath.Join(dir, filepath.FromSlash(path))
		if content == "" {
			if _, err := wt.Remove(path); err != nil {
				t.Fatal(err)
			}
			return
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add(path); err != nil {
			t.Fatal(err)
		}
	}
	write("policies/"+pol+".yaml", string(data))
	var hashes []plumbing.Hash
	for i, s := range steps {
		for path, content := range s.files {
			write(path, content)
		}
		when := func(v string) time.Time {
			tm, err := time.Parse(time.RFC3339, v)
			if err != nil {
				t.Fatal(err)
			}
			return tm
		}
		email := s.email
		if email == "" {
			email = "zhaomin@example.cn"
		}
		if email == "-" {
			email = ""
		}
		opts := &git.CommitOptions{
			Author:    &object.Signature{Name: "赵敏", Email: email, When: when(s.authored)},
			Committer: &object.Signature{Name: "赵敏", Email: "zhaomin@example.cn", When: when(s.commited)},
		}
		for _, p := range s.parents {
			opts.Parents = append(opts.Parents, hashes[p])
		}
		h, err := wt.Commit("step "+string(rune('0'+i)), opts)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	return dir
}

// bankCase is a case file of the bank policy.
func datedBankCase(id, status, received, extra string) string {
	return "---\nid: " + id + "\npolicy: bank\ntitle: 柜台服务态度差\nstatus: " + status + "\nreceived_at: " + received +
		"\nchannel: visit\ncategory: attitude\n" + extra + "---\n## 投诉内容\n\n正文。\n"
}

const (
	file1 = "cases/2026/11/24/BANK-2026-0001.md"
	file2 = "cases/2026/11/24/BANK-2026-0002.md"
)

// rfc3339Time finds a time written for programs in words meant for a clerk.
var rfc3339Time = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`)

// TestWords_ChineseDates builds findings of the variants of dates.go,
// core.go, collision.go, pii.go, written.go and lookalike.go, and of the
// deadline problems, on small repositories and checks that their Chinese
// words read as a clerk would read them: labels for states and fields,
// times in the policy's zone (Beijing) as "2026-11-24 23:59" though the
// commits are dated in UTC, and nothing left in English.
func TestWords_ChineseDates(t *testing.T) {
	const now = "2026-11-26T00:00:00+08:00"
	tests := []struct {
		name    string
		pol     string
		steps   []step
		extra   map[string]string // files left uncommitted in the work tree
		code    string
		want    []string // in the Chinese message or fix
		notWant []string
	}{
		{"a commit dated in UTC before the case was received reads in Beijing time", "bank",
			[]step{{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-25T09:00:00+08:00", "")},
				authored: "2026-11-24T15:59:00Z", commited: "2026-11-24T15:59:00Z"}},
			nil, "history.backdated",
			[]string{"提交 ", "的日期是 2026-11-24 23:59，早于案件的受理时间（2026-11-25 09:00）", "核对受理时间；如果是时钟有误，在 policies/acknowledged.yaml 中确认该提交"}, nil},
		{"an author date after the commit", "bank",
			[]step{{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "")},
				authored: "2026-11-24T15:59:00Z", commited: "2026-11-24T12:00:00Z"}},
			nil, "history.backdated",
			[]string{"自称写于 2026-11-24 23:59（作者日期），晚于它被提交的时间（2026-11-24 20:00）", "核对作者电脑的时钟"}, nil},
		{"a commit earlier than its parent", "bank",
			[]step{{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "")},
				authored: "2026-11-24T02:00:00Z", commited: "2026-11-24T02:00:00Z"},
				{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "amount: 100\n")},
					authored: "2026-11-24T01:00:00Z", commited: "2026-11-24T01:00:00Z"}},
			nil, "history.backdated",
			[]string{"的日期是 2026-11-24 09:00，早于它的父提交（2026-11-24 10:00）", "提交日期不能倒退"}, nil},
		{"a commit entered days after its author date", "bank",
			[]step{{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-20T08:00:00+08:00", "")},
				authored: "2026-11-20T01:00:00Z", commited: "2026-11-24T15:59:00Z"}},
			nil, "history.late_entry",
			[]string{"自称写于 2026-11-20 09:00（作者日期），却在 2026-11-24 23:59（提交者日期）才提交，晚了 72 小时以上", "事情办完就记录"}, nil},
		{"a transition without the author's e-mail names the states by label", "bank",
			[]step{{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "")},
				authored: "2026-11-24T02:00:00Z", commited: "2026-11-24T02:00:00Z"},
				{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "replied", "2026-11-24T09:00:00+08:00", "")},
					authored: "2026-11-24T03:00:00Z", commited: "2026-11-24T03:00:00Z", email: "-"}},
			nil, "commit.no_author",
			[]string{"流转提交 ", "（已登记 → 已回复）没有作者邮箱：谁办理的是记录的一部分", "设置 user.name 和 user.email 后再提交"}, []string{"received", "replied"}},
		{"a commit dated after now", "bank",
			[]step{{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "")},
				authored: "2026-11-24T02:00:00Z", commited: "2026-11-27T01:00:00Z"}},
			nil, "history.backdated",
			[]string{"的日期是 2026-11-27 09:00，晚于现在（2026-11-26 00:00）", "核对提交者电脑的时钟，或用 --now 给出正确的当前时间"}, nil},
		{"a missing id where the file name is a good one", "bank", nil,
			map[string]string{file1: strings.Replace(datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", ""), "id: BANK-2026-0001\n", "", 1)},
			"field.required", []string{"编号是每个案件的必填项，但没有填写", "加上 id: BANK-2026-0001（即去掉 .md 的文件名）"}, nil},
		{"received_at before 1990", "bank", nil,
			map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "1926-11-24T09:00:00+08:00", "")},
			"field.invalid", []string{"受理时间 1926-11-24 09:00 早于 1990-01-01：本单位没有这么早的案件", "核对年份"}, nil},
		{"a core field missing is named by its label", "bank", nil,
			map[string]string{file1: strings.Replace(datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", ""), "title: 柜台服务态度差\n", "", 1)},
			"field.required", []string{"标题是每个案件的必填项，但没有填写", "在前置信息中写上 title: 及其值"}, nil},
		{"a channel left empty lists the channels with their labels", "bank", nil,
			map[string]string{file1: strings.Replace(datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", ""), "channel: visit", "channel: \"\"", 1)},
			"field.required", []string{"渠道是每个案件的必填项，但是空的", "可填：phone（电话）、suggestion_box（意见簿(箱)）"}, nil},
		{"received_at in the future", "bank", nil,
			map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-12-30T09:00:00+08:00", "")},
			"field.invalid", []string{"受理时间 2026-12-30 09:00 比现在（2026-11-26 00:00）晚一天以上", "核对日期及时区"}, nil},
		{"an id that is not its file's name", "bank", nil,
			map[string]string{file2: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "")},
			"field.invalid", []string{`编号 "BANK-2026-0001" 与文件名 "BANK-2026-0002" 不符`, "把文件改名为 BANK-2026-0001.md，或改为 id: BANK-2026-0002"}, nil},
		{"a full-width digit in the id", "bank", nil,
			map[string]string{"cases/2026/11/24/BANK-２026-0001.md": datedBankCase("BANK-２026-0001", "received", "2026-11-24T09:00:00+08:00", "")},
			"field.invalid", []string{"的第 6 个字符是 U+FF12 全角数字 2；改用半角数字 2（把输入法切换到半角）", "在 id: 和文件名中都用半角 ASCII 重新输入编号：BANK-2026-0001"}, nil},
		{"a phone number YAML reads as a number", "bank", nil,
			map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "complainant: {name: 王五, phone: 013800000000}\n")},
			"field.invalid", []string{"：013800000000 没有加引号，YAML 会把它读成数字，而不是文本 \"013800000000\"", "加上引号：phone: \"013800000000\""}, nil},
		{"an extension without an approver", "bank", nil,
			map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "extensions: [{rule: reply, until: 2026-12-31, reason: 情况复杂}]\n")},
			"field.invalid", []string{"延期没有批准人", "写明批准人，例如 approved_by: 张某"}, nil},
		{"a clock time before the case was received", "food", nil,
			map[string]string{"cases/2026/11/24/FOOD-2026-0001.md": "---\nid: FOOD-2026-0001\npolicy: food\ntitle: 豆腐干包装破损\nstatus: approved\n" +
				"received_at: 2026-11-24T08:50:00+08:00\nchannel: dealer\ncategory: broken_pack\ncomplainant: {name: 某超市, phone: \"13500000000\"}\n" +
				"product: 五香豆腐干\nboxes: 3\ndepartment: 质检部\nattribution: consumer\nverified: true\n" +
				"dispatch_approval: {by: 王经理, at: 2026-11-24T00:00:00Z, opinion: 同意}\n---\n## 投诉内容\n\n包装破损。\n"},
			"field.invalid", []string{"为 2026-11-24 08:00，早于受理时间（2026-11-24 08:50）：时钟从它起算", "填写实际发生的时间（不早于受理时间），或用 casebook correct 更正受理时间"}, nil},
		{"personal data in plain text where recipients are declared", "bank", nil,
			map[string]string{"policies/recipients.txt": "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n",
				file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "complainant: \"王五 13912340090\"\n")},
			"pii.plaintext", []string{"投诉人以明文保存了个人信息：写成了单个值，而政策 bank 规定为含子字段的映射", "再用 casebook rekey BANK-2026-0001 加密"}, nil},
		{"a personal sub-field in plain text", "bank", nil,
			map[string]string{"policies/recipients.txt": "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n",
				file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "complainant: {name: 王五}\n")},
			"pii.plaintext", []string{"姓名是个人信息，却以明文保存，而本仓库声明了加密接收人（policies/recipients.txt）", "用 casebook rekey BANK-2026-0001 加密"}, nil},
		{"one id registered on two lines of history", "bank",
			[]step{{files: map[string]string{"cases/.gitkeep": "\n"}, authored: "2026-11-24T01:00:00Z", commited: "2026-11-24T01:00:00Z"},
				{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "")},
					authored: "2026-11-24T02:00:00Z", commited: "2026-11-24T02:00:00Z"},
				{files: map[string]string{file1: "", "cases/2026/11/24/BANK-2026-0001-b.md": strings.Replace(datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", ""), "柜台服务态度差", "网银转账失败", 1)},
					authored: "2026-11-24T03:00:00Z", commited: "2026-11-24T03:00:00Z", parents: []int{0}},
				{files: map[string]string{file1: datedBankCase("BANK-2026-0001", "received", "2026-11-24T09:00:00+08:00", "")},
					authored: "2026-11-24T04:00:00Z", commited: "2026-11-24T04:00:00Z", parents: []int{1, 2}}},
			nil, "id.collision",
			[]string{"编号 BANK-2026-0001 在互不为祖先的历史线上登记了 2 次", "（赵敏，2026-11-24 10:00）登记的「柜台服务态度差」，以及提交 ", "（赵敏，2026-11-24 11:00）登记的「网银转账失败」", "运行 casebook renumber BANK-2026-0001"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := commitSteps(t, tt.pol, tt.steps)
			for path, content := range tt.extra {
				full := filepath.Join(dir, filepath.FromSlash(path))
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			o, err := office.Load(dir, office.Options{NoCache: true})
			if err != nil {
				t.Fatal(err)
			}
			at, _ := time.Parse(time.RFC3339, now)
			rep, err := Run(o, Options{Now: at})
			if err != nil {
				t.Fatal(err)
			}
			var seen []string
			for _, f := range rep.Findings {
				if f.Code != tt.code {
					continue
				}
				words := f.MessageZh + " | " + f.FixZh
				seen = append(seen, words)
				if !containsAll(words, tt.want) {
					continue
				}
				if p := WordsProblem(f); p != "" {
					t.Errorf("%s: %s", p, words)
				}
				// (A fix may show a time as the file holds it.)
				if rfc3339Time.MatchString(f.MessageZh) {
					t.Errorf("a time in RFC 3339 in the Chinese message: %s", words)
				}
				for _, s := range tt.notWant {
					if strings.Contains(words, s) {
						t.Errorf("the Chinese words hold %q: %s", s, words)
					}
				}
				return
			}
			t.Errorf("no %s finding reads %q; the %s findings read:\n%s", tt.code, tt.want, tt.code, strings.Join(seen, "\n"))
		})
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
