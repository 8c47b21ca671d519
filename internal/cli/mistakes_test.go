package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// baseCase is a well-formed bank case; the rows of TestMistakesNamed break
// it one way each. Line numbers: 1 ---, 2 id, 3 policy, 4 title, 5 status,
// 6 received_at, 7 channel, 8 category, 9 ---.
const baseCase = `---
id: BANK-2026-0011
policy: bank
title: 柜台服务态度差
status: received
received_at: 2026-11-03T09:00:00+08:00
channel: visit
category: attitude
---
## 投诉内容

柜台服务态度差
`

const mistakeFile = "cases/2026/11/03/BANK-2026-0011.md"

// mistake is one typical mistake of a clerk: what is written or typed,
// and what casebook must answer. want are substrings of the output (the
// finding's file:line and code, the cause, the fix).
type mistake struct {
	name string
	// caseFile, when set, is written to mistakeFile (edit is applied to
	// baseCase when caseFile is empty and edit is set).
	caseFile []byte
	edit     func(string) string
	// policyEdit changes policies/bank.yaml.
	policyEdit func(string) string
	// args default to validate; exit is the expected exit code.
	args []string
	exit int
	want []string
	// not are substrings the output must not hold.
	not []string
}

func replace(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("mistakes table: no " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

var (
	validateArgs = []string{"validate", "--now", "2026-11-03T10:00:00+08:00"}
	checkArgs    = []string{"policy", "check", "policies/bank.yaml"}
	at           = func(line string) string { return mistakeFile + ":" + line + ": 错误 " }
)

// gbk is 态度差 in GBK.
const gbk = "\xcc\xac\xb6\xc8\xb2\xee"

var mistakes = []mistake{
	// ---- case files ----
	{name: "case file saved as GBK", caseFile: []byte(strings.Replace(baseCase, "柜台服务态度差", gbk, -1)), exit: 1,
		want: []string{at("4") + "parse.error", "不是 UTF-8 编码", "GBK", "请用 UTF-8 另存"}},
	{name: "case file saved as UTF-16", caseFile: utf16(baseCase), exit: 1,
		want: []string{at("1") + "parse.error", "不是 UTF-8 编码", "UTF-16", "请用 UTF-8 另存"}},
	{name: "BOM at the start of a case file is harmless", caseFile: []byte("\uFEFF" + baseCase), exit: 0,
		not: []string{mistakeFile}},
	{name: "BOM pasted before a key", edit: replace("status:", "\uFEFFstatus:"), exit: 1,
		want: []string{at("5") + "parse.error", "含字节顺序标记（BOM", "另存为不带 BOM 的 UTF-8"}},
	{name: "full-width colon after a key", edit: replace("title: ", "title："), exit: 1,
		want: []string{at("4") + "parse.error", "全角冒号", "换成半角冒号和空格：title: ..."}},
	{name: "full-width colon after the last key", edit: replace("category: attitude", "category：attitude"), exit: 1,
		want: []string{at("8") + "parse.error", "全角冒号", "category: ..."}},
	{name: "full-width space indents a sub-field", edit: replace("channel: visit\n", "channel: visit\ncomplainant:\n\u3000name: 王某\n"), exit: 1,
		want: []string{at("9") + "parse.error", "全角空格", "半角空格"}},
	{name: "tab indents a sub-field", edit: replace("channel: visit\n", "channel: visit\ncomplainant:\n\tname: 王某\n"), exit: 1,
		want: []string{at("9") + "parse.error", "用制表符（Tab）缩进", "把制表符换成空格"}},
	{name: "missing --- closer", edit: replace("category: attitude\n---\n", "category: attitude\n"), exit: 1,
		want: []string{at("1") + "parse.error", "文件头没有结束", "加一行 ---"}},
	{name: "front-matter not at the top", edit: func(s string) string { return "投诉登记\n" + s }, exit: 1,
		want: []string{at("1") + "parse.error", "文件头不在文件开头", "第 2 行", "把 --- 和字段移到第一行"}},
	{name: "a key twice", edit: replace("title: 柜台服务态度差\n", "title: 柜台服务态度差\ntitle: 又一个\n"), exit: 1,
		want: []string{at("5") + "parse.error", "键「title」重复（第一次在第 4 行）", "保留一个"}},
	{name: "unquoted value holding ': '", edit: replace("title: 柜台服务态度差", "title: 投诉: 态度差"), exit: 1,
		want: []string{at("4") + "parse.error", "冒号加空格", "给值加引号"}},
	{name: "merge-conflict markers", edit: replace("title: 柜台服务态度差\n", "<<<<<<< HEAD\ntitle: 柜台服务态度差\n=======\ntitle: 态度差\n>>>>>>> other\n"), exit: 1,
		want: []string{at("4") + "parse.error", "未解决的合并冲突", "删除标记行"}},
	{name: "date written with slashes", edit: replace("2026-11-03T09:00:00+08:00", "2026/11/03"), exit: 1,
		want: []string{at("6") + "field.invalid", "日期用“/”分隔；要写成 2026-11-03"},
		not:  []string{"is not a date and time"}}, // once, from the parser
	{name: "a day that does not exist", edit: replace("2026-11-03T09:00:00+08:00", "2026-11-31T09:00:00+08:00"), exit: 1,
		want: []string{at("6") + "field.invalid", "2026 年 11 月没有 31 日"}},
	{name: "one-digit hour reads as 09:00", edit: replace("2026-11-03T09:00:00+08:00", "2026-11-03 9:00"), exit: 0,
		not: []string{mistakeFile}},
	{name: "received_at in the future", edit: replace("2026-11-03T09:00:00+08:00", "2027-11-03T09:00:00+08:00"), exit: 1,
		want: []string{at("6") + "field.invalid", "案件不可能在将来受理", "用 --now 给出正确的当前时间"}},
	{name: "amount 5万", edit: replace("category: attitude\n", "category: attitude\namount: 5万\n"), exit: 1,
		want: []string{at("9") + "field.invalid", "“万”是单位：5万 写作 50000"}},
	{name: "amount 50,000", edit: replace("category: attitude\n", "category: attitude\namount: 50,000\n"), exit: 1,
		want: []string{at("9") + "field.invalid", "千位分隔符"}},
	{name: "amount 300元", edit: replace("category: attitude\n", "category: attitude\namount: 300元\n"), exit: 1,
		want: []string{at("9") + "field.invalid", "金额不写单位“元”"}},
	{name: "bool written 是", edit: replace("category: attitude\n", "category: attitude\ndispute: 是\n"), exit: 1,
		want: []string{at("9") + "field.invalid", "是/否 在文件里写作 true/false"}},
	{name: "state misspelt", edit: replace("status: received", "status: recieved"), exit: 1,
		want: []string{at("5") + "field.invalid", "是不是 received？"}},
	{name: "channel written by its label", edit: replace("channel: visit", "channel: 电话"), exit: 1,
		want: []string{at("7") + "field.invalid", "「电话」是 phone 的名称", "要写编号 phone"}},
	{name: "field name misspelt", edit: replace("received_at:", "recieved_at:"), exit: 1,
		want: []string{at("6") + "field.unknown", `"recieved_at"`, "是不是 received_at？"}},
	{name: "list written as comma text", edit: replace("category: attitude\n", "category: attitude\nrelated: BANK-2026-0001, BANK-2026-0002\n"), exit: 1,
		want: []string{at("9") + "field.invalid", "列表写成了一段用逗号分隔的文字"}},
	{name: "Windows path in related", edit: replace("category: attitude\n", "category: attitude\nrelated: ['cases\\2026\\11\\02\\BANK-2026-0001.md']\n"), exit: 1,
		want: []string{at("9") + "field.invalid", "写的是 Windows 文件路径"}},

	// ---- policies ----
	{name: "policy saved as GBK", policyEdit: func(s string) string { return strings.Replace(s, "已登记", "\xd2\xd1\xb5\xc7\xbc\xc7", 1) }, args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:25", "不是 UTF-8 编码", "GBK", "请用 UTF-8 另存"}},
	{name: "BOM at the start of a policy is harmless", policyEdit: func(s string) string { return "\uFEFF" + s }, args: checkArgs, exit: 0,
		want: []string{"政策无误"}},
	{name: "BOM pasted inside a policy", policyEdit: replace("\nstates:", "\n\uFEFFstates:"), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:24:1", "含字节顺序标记（BOM"}},
	{name: "tab in a policy", policyEdit: replace("    duration: 3 working_days", "\tduration: 3 working_days"), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:291:1", "用制表符（Tab）缩进"}},
	{name: "full-width colon in a policy", policyEdit: replace("    duration: 3 working_days", "    duration：3 working_days"), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:291:13", "全角冒号", "duration: ..."}},
	{name: "merge-conflict markers in a policy", policyEdit: replace("    duration: 3 working_days\n", "<<<<<<< HEAD\n    duration: 3 working_days\n=======\n    duration: 5 working_days\n>>>>>>> other\n"), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:291", "未解决的合并冲突", "删除标记行"}},
	{name: "unknown policy key", policyEdit: replace("\nstates:", "\nstats:"), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:24:1", `政策：没有键 "stats"`, `是不是要写 "states"？`}},
	{name: "duration 3 workdays", policyEdit: replace("duration: 3 working_days", "duration: 3 workdays"), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:291:15", `单位 "workdays" 无法识别`, "working_days"}},
	{name: "pause_in an unknown state", policyEdit: replace("    duration: 3 working_days\n", "    duration: 3 working_days\n    pause_in: [suspended]\n"), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:292", `不认识的状态 "suspended"`, "用其中之一：received"}},
	{name: "duplicate state id", policyEdit: replace("  - {id: assigned,", "  - {id: received,"), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:26", `状态 "received" 声明了两次`}},
	{name: "when that does not type-check", policyEdit: replace(`when: channel == "online"`, `when: chanel == "online"`), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:316:11", "不认识的名字 chanel", `是不是要写 "channel"？`}},
	{name: "when comparing text with a number", policyEdit: replace(`when: channel == "online"`, `when: channel > 3`), args: checkArgs, exit: 2,
		want: []string{"policies/bank.yaml:316:19", "类型不匹配：string 和 int"}},
	{name: "broken policy in validate is policy.invalid", policyEdit: replace("duration: 3 working_days", "duration: 3 workdays"), exit: 2,
		want: []string{"policies/bank.yaml:291: 错误 policy.invalid", `单位 "workdays" 无法识别`}},

	// ---- flags and values ----
	{name: "--set amount without =", args: []string{"set", "BANK-2026-0001", "amount", "--now", "2026-11-03T10:00:00+08:00"}, exit: 2,
		want: []string{`"amount" is not k=v`, "an equals sign"}},
	{name: "--set amount=5万", args: []string{"set", "BANK-2026-0001", "amount=5万", "--now", "2026-11-03T10:00:00+08:00"}, exit: 2,
		want: []string{`amount="5万": not a number`, "“万”是单位：5万 写作 50000"}},
	{name: "--now with month 13", args: []string{"validate", "--now", "2026-13-01"}, exit: 2,
		want: []string{`--now "2026-13-01" is not a time`, "没有 13 月"}},
	{name: "--received-at with slashes", args: []string{"new", "--title", "又一件", "--channel", "visit", "--category", "attitude", "--received-at", "2026/11/03 09:00", "--now", "2026-11-03T10:00:00+08:00"}, exit: 2,
		want: []string{`--received-at "2026/11/03 09:00" is not a time`, "日期用“/”分隔；要写成 2026-11-03 09:00"}},
	{name: "--received-at without zone is read in the policy's zone", args: []string{"new", "--title", "又一件", "--channel", "visit", "--category", "attitude", "--received-at", "2026-11-03T09:30", "--now", "2026-11-03T10:00:00+08:00"}, exit: 0,
		want: []string{"BANK-2026-0002"}},
	{name: "move to a misspelt state", args: []string{"move", "BANK-2026-0001", "asigned", "--now", "2026-11-03T10:00:00+08:00"}, exit: 2,
		want: []string{"没有状态「asigned」", "是不是 已转办（assigned）"}},

	// ---- the same causes in English, with --lang en ----
	{name: "case file saved as GBK, in English", caseFile: []byte(strings.Replace(baseCase, "柜台服务态度差", gbk, -1)), args: en(validateArgs), exit: 1,
		want: []string{mistakeFile + ":4: error parse.error", "not UTF-8: the file looks saved as GBK", "save the file as UTF-8"},
		not:  []string{"不是 UTF-8 编码", "请用 UTF-8 另存"}},
	{name: "tab indents a sub-field, in English", edit: replace("channel: visit\n", "channel: visit\ncomplainant:\n\tname: 王某\n"), args: en(validateArgs), exit: 1,
		want: []string{mistakeFile + ":9: error parse.error", "a tab indents this line; YAML indents with spaces only", "replace the tab with spaces"},
		not:  []string{"制表符"}},
	{name: "merge-conflict markers, in English", edit: replace("title: 柜台服务态度差\n", "<<<<<<< HEAD\ntitle: 柜台服务态度差\n=======\ntitle: 态度差\n>>>>>>> other\n"), args: en(validateArgs), exit: 1,
		want: []string{mistakeFile + ":4: error parse.error", "unresolved merge conflict", "delete the marker lines"},
		not:  []string{"合并冲突"}},
	{name: "full-width colon in a policy, in English", policyEdit: replace("    duration: 3 working_days", "    duration：3 working_days"), args: en(checkArgs), exit: 2,
		want: []string{"policies/bank.yaml:291:13", "a full-width colon (：) follows the key duration", "(fix: write an ASCII colon and a space: duration: ...)", "1 problems"},
		not:  []string{"全角冒号"}},
	{name: "when that does not type-check, in English", policyEdit: replace(`when: channel == "online"`, `when: chanel == "online"`), args: en(checkArgs), exit: 2,
		want: []string{"policies/bank.yaml:316:11", "unknown name chanel", `did you mean "channel"?`}},
	{name: "broken policy in validate, in English", policyEdit: replace("duration: 3 working_days", "duration: 3 workdays"), args: en(validateArgs), exit: 2,
		want: []string{"policies/bank.yaml:291: error policy.invalid", `unknown unit "workdays"`, "1 problems in policy files; fix them first"},
		not:  []string{"无法识别"}},
}

// en is args with --lang en.
func en(args []string) []string { return append(slices.Clone(args), "--lang", "en") }

// TestMistakesNamed runs a table of typical mistakes in case files,
// policies, flags and values against a fresh bank office each, and checks
// that every answer names the cause, the place and the fix.
func TestMistakesNamed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs casebook in a git repository per row")
	}
	if len(mistakes) < 30 {
		t.Fatalf("%d mistakes in the table, the issue asks for at least 30", len(mistakes))
	}
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": filepath.Join(home, ".gitconfig"),
		"GIT_AUTHOR_NAME": "测试员", "GIT_AUTHOR_EMAIL": "tester@example.com",
		"GIT_COMMITTER_NAME": "测试员", "GIT_COMMITTER_EMAIL": "tester@example.com", "TZ": "Asia/Shanghai",
		"LANG": "", "LC_ALL": "",
	} {
		t.Setenv(k, v)
	}
	template := filepath.Join(t.TempDir(), "office")
	runCasebook(t, 0, "init", template, "--policy", "bank", "--now", "2026-11-03T08:00:00+08:00")
	runCasebook(t, 0, "-C", template, "new", "--title", "柜台服务态度差", "--channel", "visit", "--category", "attitude",
		"--received-at", "2026-11-03T08:30:00+08:00", "--now", "2026-11-03T08:40:00+08:00")
	policyText, err := os.ReadFile(filepath.Join(template, "policies", "bank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mistakes {
		t.Run(m.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "office")
			if err := os.CopyFS(dir, os.DirFS(template)); err != nil {
				t.Fatal(err)
			}
			data := m.caseFile
			if data == nil && m.edit != nil {
				data = []byte(m.edit(baseCase))
			}
			if data != nil {
				writeFile(t, filepath.Join(dir, mistakeFile), data)
			}
			if m.policyEdit != nil {
				writeFile(t, filepath.Join(dir, "policies", "bank.yaml"), []byte(m.policyEdit(string(policyText))))
			}
			args := m.args
			if args == nil {
				args = validateArgs
			}
			out := runCasebook(t, m.exit, append([]string{"-C", dir}, args...)...)
			for _, w := range m.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not name %q:\n%s", w, out)
				}
			}
			for _, n := range m.not {
				if strings.Contains(out, n) {
					t.Errorf("output holds %q:\n%s", n, out)
				}
			}
		})
	}
}

// runCasebook runs casebook in-process and returns stdout and stderr together,
// failing the test on an unexpected exit code.
func runCasebook(t *testing.T, exit int, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if code := Run(args, strings.NewReader(""), &out, &out); code != exit {
		t.Fatalf("casebook %s: exit %d, want %d\n%s", strings.Join(args, " "), code, exit, out.String())
	}
	return out.String()
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// utf16 is s as UTF-16 little endian with its byte order mark, as Windows
// Notepad saves "Unicode".
func utf16(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		if r > 0xFFFF {
			panic("utf16: outside the BMP")
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
