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

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

// beijing is the zone of the built-in policies.
var beijing = time.FixedZone("CST", 8*3600)

func on(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, beijing)
}

// testOffice is an office in a real git repository in a temp dir, with
// its own identity; commits are dated as the test says.
type testOffice struct {
	t    *testing.T
	root string
	repo *git.Repository
}

func newTestOffice(t *testing.T, policyIDs ...string) *testOffice {
	t.Helper()
	root := t.TempDir()
	repo, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	o := &testOffice{t: t, root: root, repo: repo}
	for _, id := range policyIDs {
		data, err := policies.FS.ReadFile(id + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		o.write("policies/"+id+".yaml", string(data))
	}
	return o
}

func (o *testOffice) write(path, text string) {
	o.t.Helper()
	p := filepath.Join(o.root, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		o.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		o.t.Fatal(err)
	}
}

func (o *testOffice) remove(path string) {
	o.t.Helper()
	if err := os.Remove(filepath.Join(o.root, filepath.FromSlash(path))); err != nil {
		o.t.Fatal(err)
	}
}

// commit records the work tree as 赵敏 at the moment given.
func (o *testOffice) commit(message string, at time.Time) string {
	o.t.Helper()
	wt, err := o.repo.Worktree()
	if err != nil {
		o.t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		o.t.Fatal(err)
	}
	who := &object.Signature{Name: "赵敏", Email: "zhaomin@example.com", When: at}
	h, err := wt.Commit(message, &git.CommitOptions{All: true, Author: who, Committer: who})
	if err != nil {
		o.t.Fatal(err)
	}
	return h.String()
}

// load reads the office as validate does.
func (o *testOffice) load() *office.Office {
	o.t.Helper()
	off, err := office.Load(o.root, office.Options{NoCache: true})
	if err != nil {
		o.t.Fatal(err)
	}
	return off
}

// run validates the office at now.
func (o *testOffice) run(now time.Time, opts Options) []Finding {
	o.t.Helper()
	opts.Now = now
	rep, err := Run(o.load(), opts)
	if err != nil {
		o.t.Fatal(err)
	}
	return rep.Findings
}

// record judges the office's first case at now, for the checks tested
// one by one.
func (o *testOffice) record(now time.Time) *office.Record {
	o.t.Helper()
	off := o.load()
	if len(off.Cases) == 0 {
		o.t.Fatal("no case in the office")
	}
	return off.Record(off.Cases[0], now)
}

const caseFile = "cases/2026/11/02/BANK-2026-0001.md"

// bankCase is a well-formed bank case in state status, with extra lines
// of front-matter.
func bankCase(status string, extra ...string) string {
	return "---\nid: BANK-2026-0001\ntitle: 柜台服务态度差\nstatus: " + status +
		"\nreceived_at: 2026-11-02T09:00:00+08:00\nchannel: visit\ncategory: attitude\n" +
		strings.Join(append(extra, ""), "\n") + "---\n## 投诉内容\n\n柜台服务态度差\n"
}

// registered is a bank office with one case committed in state received.
func registered(t *testing.T, extra ...string) *testOffice {
	o := newTestOffice(t, "bank")
	o.write(caseFile, bankCase("received", extra...))
	o.commit("register", on(2, 9, 10))
	return o
}

// variantRE matches what a template renders to, any argument standing
// for any text.
func variantRE(tmpl string) *regexp.Regexp {
	parts := regexp.MustCompile(`\{[a-z_]+\}`).Split(tmpl, -1)
	for i := range parts {
		parts[i] = regexp.QuoteMeta(strings.ReplaceAll(parts[i], "{{", "{"))
	}
	return regexp.MustCompile(`(?s)^` + strings.Join(parts, ".*") + `$`)
}

// said reports whether f reads as the variant of its code: its Chinese
// message and fix (unless it is the policy's) are what the variant's
// templates render to.
func said(f Finding, code, variant string, policyFix bool) bool {
	c, ok := byID[code]
	if !ok || f.Code != code {
		return false
	}
	s, ok := c.Says[variant]
	if !ok {
		return false
	}
	return variantRE(s.Msg.Zh).MatchString(f.MessageZh) && (policyFix || variantRE(s.Fix.Zh).MatchString(f.FixZh))
}

// wordsRow is one finding to provoke: the office or the check that makes
// it, the variant it must read as, and what its Chinese words must and
// must not hold.
type wordsRow struct {
	name          string
	code, variant string
	findings      func(t *testing.T) []Finding
	want, not     []string
	// policyFix: the fix is the policy author's, not the variant's.
	policyFix bool
}

// rfc3339 is an RFC 3339 time, which a clerk is not shown.
var rfc3339 = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`)

func wordsRows() []wordsRow {
	reg := func(extra ...string) func(t *testing.T) []Finding {
		return func(t *testing.T) []Finding { return registered(t, extra...).run(on(2, 10, 0), Options{}) }
	}
	// clocks judges one clock of a registered case at 2026-11-10 10:00.
	clocks := func(cl deadline.Clock) func(t *testing.T) []Finding {
		return func(t *testing.T) []Finding {
			r := registered(t).record(on(10, 10, 0))
			cl.Rule, cl.Zh = "reply", "回复客户"
			r.Clocks = []deadline.Clock{cl}
			return checkClocks(r, on(10, 10, 0))
		}
	}
	ended := on(9, 9, 30)
	// moves judges transitions of a registered case's history.
	moves := func(status string, ts ...history.Transition) func(t *testing.T) []Finding {
		return func(t *testing.T) []Finding {
			r := registered(t).record(on(10, 10, 0))
			r.Case.Status = status
			r.History = &history.Case{ID: r.Case.ID, Transitions: ts}
			return checkTransitions(r, r.Policy)
		}
	}
	commit := func(n string) string { return strings.Repeat(n, 40) }
	revert := "Revert \"move\"\n\nThis reverts commit " + commit("c") + "."
	value := func(f policy.Field, v any) func(t *testing.T) []Finding {
		return func(t *testing.T) []Finding {
			r := registered(t).record(on(2, 10, 0))
			return checkValue(r, r.Policy, "amount", &f, v)
		}
	}
	three := 3.0
	// historyOf judges versions of a closed case, with signatures required.
	historyOf := func(verify func(string) string, ts []history.Transition, vs ...history.Version) func(t *testing.T) []Finding {
		return func(t *testing.T) []Finding {
			r := registered(t).record(on(10, 10, 0))
			r.History = &history.Case{ID: r.Case.ID, Versions: vs, Transitions: ts}
			return checkHistory(r, r.Policy, Options{RequireSigned: true, Verify: verify})
		}
	}
	closedVersion := func(c string, changed ...string) history.Version {
		return history.Version{Commit: commit(c), At: on(5, 9, 0), Actor: "赵敏", Path: caseFile, Snap: history.Snapshot{ID: "BANK-2026-0001", Status: "closed"}, Changed: changed}
	}
	return []wordsRow{
		{name: "a field a state requires", code: "field.required", variant: "field",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, bankCase("replied"))
				o.commit("reply", on(2, 11, 0))
				return o.run(on(2, 12, 0), Options{})
			},
			want: []string{"在「已回复」状态下，「处理时间」必须填写", "handled_at:"}, not: []string{"replied", "handled_at ("}},
		{name: "an approval without who approved", code: "field.required", variant: "field",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, bankCase("assigned", "assignee: 张三", "department: 营业部", "leader_opinion: {opinion: 同意}"))
				o.commit("assign", on(2, 11, 0))
				return o.run(on(2, 12, 0), Options{})
			},
			want: []string{"在「已转办」状态下（审批要写明审批人），「签批人」必须填写"}},
		{name: "a field an escalation requires", code: "field.required", variant: "field",
			findings: func(t *testing.T) []Finding {
				o := registered(t, "amount: 60000")
				o.write(caseFile, bankCase("assigned", "amount: 60000", "assignee: 张三", "department: 营业部", "leader_opinion: {by: 李行长, opinion: 同意}"))
				o.commit("assign", on(2, 11, 0))
				return o.run(on(2, 12, 0), Options{})
			},
			want: []string{"对「重大投诉」案件（第九条(一)、第二十条），「报告行领导时间」必须填写"}, not: []string{"major"}},
		{name: "a body section a state requires", code: "field.required", variant: "section",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, bankCase("replied"))
				o.commit("reply", on(2, 11, 0))
				return o.run(on(2, 12, 0), Options{})
			},
			want: []string{"在「已回复」状态下，正文必须有「调查核实情况」一节", "## 调查核实情况"}},
		{name: "several policies and no policy field", code: "field.required", variant: "policy",
			findings: func(t *testing.T) []Finding {
				o := newTestOffice(t, "bank", "food")
				o.write(caseFile, bankCase("received"))
				o.commit("register", on(2, 9, 10))
				return o.run(on(2, 10, 0), Options{})
			},
			want: []string{"本仓库有多个办法（bank、", "填写 policy:，取以下之一：bank、"}},
		{name: "a policy that does not exist", code: "field.invalid", variant: "policy_unknown",
			findings: func(t *testing.T) []Finding {
				o := newTestOffice(t, "bank", "food")
				o.write(caseFile, bankCase("received", "policy: banc"))
				o.commit("register", on(2, 9, 10))
				return o.run(on(2, 10, 0), Options{})
			},
			want: []string{`办法 "banc" 不存在（已有：bank、`}},
		{name: "a related case written as a path", code: "field.invalid", variant: "related_path",
			findings: reg("related: ['cases/2026/11/01/BANK-2026-0000.md']"),
			want:     []string{"「关联案件」第 1 项", "写的是文件路径，不是案件编号", "例如 BANK-2026-0000"}, not: []string{"/ a file path"}},
		{name: "a text written as a mapping", code: "field.invalid", variant: "text_not_mapping",
			findings: reg("handler: {name: 张三}"), want: []string{"「经办人」应为文字"}},
		{name: "a text written as a list", code: "field.invalid", variant: "text_not_list",
			findings: reg("handler: [张三, 李四]"), want: []string{"「经办人」应为文字，不能是列表"}},
		{name: "an amount with a unit", code: "field.invalid", variant: "not_number",
			findings: reg("amount: 5万"), want: []string{"「涉及金额(元)」：5万 不是数字：“万”是单位"}, not: []string{"is a unit"}},
		{name: "a whole number that is not", code: "field.invalid", variant: "not_whole",
			findings: value(policy.Field{Name: "amount", Type: policy.TypeInt}, 2.5), want: []string{"「涉及金额(元)」：2.5 不是整数"}},
		{name: "below the minimum", code: "field.invalid", variant: "below_min",
			findings: reg("compensation: -1"), want: []string{"「赔偿金额(元)」：-1 小于最小值 0"}},
		{name: "above the maximum", code: "field.invalid", variant: "above_max",
			findings: value(policy.Field{Name: "amount", Type: policy.TypeMoney, Max: &three}, 5), want: []string{"5 大于最大值 3"}},
		{name: "yes written in Chinese", code: "field.invalid", variant: "not_bool",
			findings: reg("dispute: 是"), want: []string{"「涉及经济纠纷(需司法程序解决)」：是 不是 true 或 false：是/否 在文件里写作 true/false"}},
		{name: "a date with slashes", code: "field.invalid", variant: "not_date",
			findings: value(policy.Field{Name: "amount", Type: policy.TypeDate}, "2026/11/3"), want: []string{"不是日期：日期用“/”分隔；要写成 2026-11-03"}},
		{name: "a time in Chinese", code: "field.invalid", variant: "not_datetime",
			findings: reg("handled_at: 2026年11月3日"), want: []string{"「处理时间」：2026年11月3日 不是日期时间：日期写成了中文"}},
		{name: "a channel written by its label", code: "field.invalid", variant: "not_enum",
			findings: reg("satisfaction: 很满意"), want: []string{"「客户满意程度」：很满意 不是可选值（satisfied（满意）、basically_satisfied（基本满意）"}},
		{name: "a list written as text", code: "field.invalid", variant: "not_list",
			findings: reg("tags: celebrity, sensitive"), want: []string{"「标签」应为列表：列表写成了一段用逗号分隔的文字"}},
		{name: "an object written as text", code: "field.invalid", variant: "not_mapping",
			findings: reg("legal_counsel: 张律师"), want: []string{"「法律顾问意见」应为由子字段组成的映射", "写成 {key: value, ...} 或缩进的块"}},
		{name: "a misspelt field", code: "field.unknown", variant: "undeclared",
			findings: reg("stauts: received"), want: []string{"《农商银行客户投诉(信访)处理办法》没有声明字段 \"stauts\"：是不是 status？", "policies/bank.yaml 的 fields: 下"}},
		{name: "a misspelt sub-field", code: "field.unknown", variant: "undeclared_sub",
			findings: reg("legal_counsel: {nmae: 张律师}"), want: []string{"没有声明字段 \"legal_counsel.nmae\"", "在 policies/bank.yaml 中声明这个子字段"}},
		{name: "an id two files use", code: "id.duplicate", variant: "shared",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write("cases/2026/11/02/qian/BANK-2026-0001.md", bankCase("received"))
				o.commit("clone", on(2, 9, 20))
				return o.run(on(2, 10, 0), Options{})
			},
			want: []string{"编号 BANK-2026-0001 被 2 个文件使用：cases/2026/11/02/BANK-2026-0001.md、cases/2026/11/02/qian/BANK-2026-0001.md", "运行 casebook renumber BANK-2026-0001 --file"}},
		{name: "a move the policy does not allow", code: "transition.illegal", variant: "moved",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, bankCase("closed"))
				o.commit("close", on(2, 11, 0))
				return o.run(on(2, 12, 0), Options{})
			},
			want: []string{"把案件从「已登记」改为「已办结」，《农商银行客户投诉(信访)处理办法》不允许这样流转", "用一次允许的流转改回"}, not: []string{"received", "->"}},
		{name: "a git revert of a move", code: "transition.illegal", variant: "moved_revert",
			findings: moves("assigned", history.Transition{To: "received", Commit: commit("a")}, history.Transition{From: "received", To: "closed", Commit: commit("b"), Note: revert}),
			want:     []string{"从「已登记」改为「已办结」", "git revert 是一次反向流转", "casebook correct BANK-2026-0001 --undo"}},
		{name: "a move across an unreadable version", code: "transition.illegal", variant: "across_unreadable",
			findings: moves("closed", history.Transition{To: "received", Commit: commit("a")}, history.Transition{Commit: commit("b")}, history.Transition{To: "closed", Commit: commit("c")}),
			want:     []string{"提交 cccccccccc 把案件从「已登记」改为「已办结」（中间隔着一个读不出状态的版本）"}},
		{name: "a revert across an unreadable version", code: "transition.illegal", variant: "across_unreadable_revert",
			findings: moves("closed", history.Transition{To: "received", Commit: commit("a")}, history.Transition{Commit: commit("b")}, history.Transition{To: "closed", Commit: commit("c"), Note: revert}),
			want:     []string{"中间隔着一个读不出状态的版本", "git revert 是一次反向流转"}},
		{name: "created in a later state", code: "transition.illegal", variant: "created",
			findings: func(t *testing.T) []Finding {
				o := newTestOffice(t, "bank")
				o.write(caseFile, bankCase("closed"))
				o.commit("register", on(2, 9, 10))
				return o.run(on(2, 10, 0), Options{})
			},
			want: []string{"登记时即为「已办结」状态；新案件应从「已登记」或由它一步可达的状态开始", "先按「已登记」登记"}},
		{name: "added again in another state", code: "transition.illegal", variant: "readded",
			findings: moves("replied", history.Transition{To: "received", Commit: commit("a")}, history.Transition{From: "received", To: "closed", Commit: commit("b"), Readded: true}),
			want:     []string{"案件在「已登记」状态下被删除后，提交 bbbbbbbbbb 又以「已办结」状态把它加回", "把 status 改回 received（已登记）"}},
		{name: "a merge that discards a branch's move", code: "transition.illegal", variant: "merge",
			findings: moves("received", history.Transition{To: "withdrawn", Commit: commit("a")}, history.Transition{From: "withdrawn", To: "received", Commit: commit("b"), Merge: true}),
			want:     []string{"合并提交 bbbbbbbbbb 把案件从「已撤诉」（被合并的一个分支上的状态）改为「已登记」", "git checkout <分支> -- " + caseFile}},
		{name: "an uncommitted move", code: "transition.illegal", variant: "uncommitted",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, bankCase("closed"))
				return o.run(on(2, 12, 0), Options{})
			},
			want: []string{"未提交的改动把案件从「已登记」改为「已办结」", "把 status 改回 received（已登记），或改为由它可达的状态：assigned（已转办）、replied（已回复）、withdrawn（已撤诉）"}},
		{name: "an overdue reply", code: "deadline.overdue", variant: "open",
			findings: func(t *testing.T) []Finding { return registered(t).run(on(10, 10, 0), Options{}) },
			want:     []string{"「回复客户」应在 2026-11-05 23:59", "案件仍处于「已登记」状态", "办法不允许延长这个期限（第十条）"}},
		{name: "an overdue clock that may be extended", code: "deadline.overdue", variant: "open_extensible",
			findings: clocks(deadline.Clock{State: deadline.Overdue, DueAt: on(5, 23, 59), Extensible: true}),
			want:     []string{"「回复客户」应在 2026-11-05 23:59 前完成", "在 extensions: 下记录经批准的延期"}},
		{name: "an overdue clock extended to the limit", code: "deadline.overdue", variant: "open_extended",
			findings: clocks(deadline.Clock{State: deadline.Overdue, DueAt: on(5, 23, 59), Extended: true, Basis: "第十条"}),
			want:     []string{"延期已达办法的上限，不能再批准延期（第十条）"}},
		{name: "an overdue report", code: "deadline.overdue", variant: "report",
			findings: clocks(deadline.Clock{State: deadline.Overdue, DueAt: on(5, 23, 59), Report: 2, ReportField: "handled_at"}),
			want:     []string{"「回复客户」（第2次报告）：报告应在 2026-11-05 23:59 前作出", "把「处理时间」设为报告的时间（运行 casebook set <编号> handled_at=<时间>）"}},
		{name: "a clock ended late", code: "deadline.missed", variant: "late",
			findings: clocks(deadline.Clock{State: deadline.Missed, DueAt: on(5, 23, 59), EndedAt: &ended}),
			want:     []string{"「回复客户」应在 2026-11-05 23:59 前完成，实际于 2026-11-09 09:30 完成"}},
		{name: "a duty not done", code: "deadline.missed", variant: "not_done",
			findings: clocks(deadline.Clock{State: deadline.Missed, NotDone: true, DueAt: on(5, 23, 59), EndedAt: &ended}),
			want:     []string{"但没有办理：案件于 2026-11-09 09:30 结束", "计为未办理"}},
		{name: "a clock due soon", code: "deadline.at_risk", variant: "soon",
			findings: clocks(deadline.Clock{State: deadline.AtRisk, DueAt: on(12, 23, 59), DaysLeft: 2}),
			want:     []string{"「回复客户」将于 2026-11-12 23:59 到期"}},
		{name: "a year the calendar does not know", code: "calendar.no_data", variant: "year",
			findings: clocks(deadline.Clock{State: deadline.Pending, DueAt: on(12, 23, 59), NoData: []int{2031}}),
			want:     []string{"「回复客户」：节假日日历没有 2031 年的数据", "casebook calendar --import FEED.ics --year 2031 --write"}},
		{name: "a rule with the policy's words", code: "rule.failed", variant: "author", policyFix: true,
			findings: reg("repeat: true"),
			want:     []string{"再次投诉应关联首次投诉的案件（第十七条）", "在 related 中加入 {id: <首次投诉编号>, as: repeat}"}},
		{name: "a rule without words of its own", code: "rule.failed", variant: "require",
			findings: func(t *testing.T) []Finding {
				r := registered(t).record(on(2, 10, 0))
				p := *r.Policy
				p.Rules = []policy.Rule{{ID: "amount_given", Require: `has("amount")`}}
				return checkRules(r, &p)
			},
			want: []string{`规则 amount_given：条件 has("amount") 不成立`, `使条件 has("amount") 成立`}},
		{name: "the handler is the respondent", code: "recusal.conflict", variant: "handler",
			findings: reg("handler: 李某", "respondent: {person: 李某}"),
			want:     []string{"「经办人」李某同时是被投诉人（「人员」）（第十条）", "改由被投诉人以外的人承办"}},
		{name: "a closed case edited", code: "history.closed_edit", variant: "edited",
			findings: historyOf(nil, nil, closedVersion("a"), closedVersion("b", "title", "satisfaction")),
			want:     []string{"提交 bbbbbbbbbb 未经重开就改动了「已办结」案件的标题、客户满意程度"}},
		{name: "an unsigned transition", code: "commit.unsigned", variant: "unsigned",
			findings: historyOf(nil, []history.Transition{{To: "received", Commit: commit("a"), Actor: "赵敏"}}),
			want:     []string{"流转提交 aaaaaaaaaa（赵敏：从「新登记」改为「已登记」）没有签名"}},
		{name: "a signature that does not verify", code: "commit.unsigned", variant: "unverified",
			findings: historyOf(func(string) string { return "unknown key" }, []history.Transition{{From: "received", To: "assigned", Commit: commit("a"), Actor: "赵敏", Signed: true}}),
			want:     []string{"（赵敏：从「已登记」改为「已转办」）的签名无法验证：unknown key"}},
		{name: "a correction recorded", code: "correction.recorded", variant: "recorded",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, strings.Replace(bankCase("received"), "category: attitude", "category: product", 1))
				o.commit("更正类别\n\n类别录错\n\nCasebook-Correction: set category\nCasebook-Case: BANK-2026-0001\nCasebook-Approved-By: 孙主任\n", on(2, 9, 30))
				return o.run(on(2, 10, 0), Options{})
			},
			want: []string{"（赵敏，2026-11-02 09:30）是经孙主任批准的更正：set category；状态从「已登记」改为「已登记」；改动：类别；理由：类别录错"}},
		{name: "a correction without an approver", code: "correction.invalid", variant: "invalid",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, strings.Replace(bankCase("received"), "category: attitude", "category: product", 1))
				o.commit("更正类别\n\n类别录错\n\nCasebook-Correction: set category\nCasebook-Case: BANK-2026-0001\n", on(2, 9, 30))
				return o.run(on(2, 10, 0), Options{})
			},
			want: []string{"声称更正 BANK-2026-0001（Casebook-Correction: set category）", "按普通提交判断", "casebook correct BANK-2026-0001"}},
		{name: "received_at changed", code: "history.fact_changed", variant: "committed",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, strings.Replace(bankCase("received"), "2026-11-02T09:00", "2026-11-03T09:00", 1))
				o.commit("edit", on(3, 9, 30))
				return o.run(on(3, 10, 0), Options{})
			},
			want: []string{"未经更正把「受理时间」从 2026-11-02 09:00 改为 2026-11-03 09:00", "时钟沿用 2026-11-02 09:00", "「回复客户」用 2026-11-02 09:00 时 2026-11-05 23:59"},
			not:  []string{"received_at ("}},
		{name: "received_at changed, not committed", code: "history.fact_changed", variant: "uncommitted",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, strings.Replace(bankCase("received"), "2026-11-02T09:00", "2026-11-02T08:30", 1))
				o.commit("edit", on(2, 9, 30))
				o.write(caseFile, strings.Replace(bankCase("received"), "2026-11-02T09:00", "2026-11-02T08:00", 1))
				return o.run(on(3, 10, 0), Options{})
			},
			want: []string{"未提交的改动未经更正把「受理时间」从 2026-11-02 09:00 改为 2026-11-02 08:00"}},
		{name: "a case deleted", code: "history.deleted", variant: "deleted",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.remove(caseFile)
				o.commit("delete", on(2, 12, 0))
				return o.run(on(2, 13, 0), Options{})
			},
			want: []string{"案件 BANK-2026-0001 被提交", "（赵敏，2026-11-02 12:00）删除；记录一律不得删除"}},
		{name: "a case deleted in the work tree", code: "history.deleted", variant: "worktree",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.remove(caseFile)
				return o.run(on(2, 13, 0), Options{})
			},
			want: []string{"案件 BANK-2026-0001 已从工作区删除（尚未提交）", "git checkout -- " + caseFile}},
		{name: "a case hidden in a dot folder", code: "history.deleted", variant: "moved",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.remove(caseFile)
				o.write("cases/.trash/BANK-2026-0001.md", bankCase("received"))
				o.commit("hide", on(2, 12, 0))
				return o.run(on(2, 13, 0), Options{})
			},
			want: []string{"移到 cases/.trash/BANK-2026-0001.md，在 casebook 跳过的隐藏文件夹 .trash 里", "git mv cases/.trash/BANK-2026-0001.md " + caseFile}},
		{name: "a case that was never where casebook reads", code: "history.deleted", variant: "moved_nowhere",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				off := o.load()
				const hidden = "cases/2026/11/02/BANK-2026-0002.txt"
				o.write(hidden, bankCase("received"))
				v := history.Version{Commit: commit("a"), At: on(2, 9, 0), Actor: "赵敏", Path: hidden, Snap: history.Snapshot{ID: "BANK-2026-0002", Status: "received"}}
				off.History = &history.History{Order: []string{"BANK-2026-0002"}, Cases: map[string]*history.Case{"BANK-2026-0002": {ID: "BANK-2026-0002", Path: hidden, Versions: []history.Version{v}}}}
				return deleted(off)
			},
			want: []string{"文件名不以 .md 结尾", "用 git mv 把它移到 cases/<年>/<月>/<日>/BANK-2026-0002.md"}},
		{name: "a case deleted and added again", code: "history.readded", variant: "readded",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.remove(caseFile)
				o.commit("delete", on(2, 12, 0))
				o.write(caseFile, bankCase("received"))
				o.commit("add again", on(2, 13, 0))
				return o.run(on(2, 14, 0), Options{})
			},
			want: []string{"在「已登记」状态下被提交", "以「已登记」状态加回；加回的记录不是被删除的那份记录"}},
		{name: "a version that is no case file", code: "parse.error", variant: "version",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				o.write(caseFile, "---\nid: BANK-2026-0001\n")
				o.commit("break", on(2, 10, 0))
				o.write(caseFile, bankCase("received"))
				o.commit("mend", on(2, 10, 30))
				return o.run(on(2, 11, 0), Options{})
			},
			want: []string{"（赵敏，2026-11-02 10:00）中的版本不是案件文件", "确认 parse.error"}},
		{name: "--since names a commit the repository lacks", code: "history.rewritten", variant: "gone",
			findings: func(t *testing.T) []Finding {
				return registered(t).run(on(2, 10, 0), Options{Since: commit("d")})
			},
			want: []string{"提交 " + commit("d") + " 不在本仓库中"}},
		{name: "--since names a commit HEAD does not descend from", code: "history.rewritten", variant: "not_ancestor",
			findings: func(t *testing.T) []Finding {
				o := registered(t)
				first, err := o.repo.Head()
				if err != nil {
					t.Fatal(err)
				}
				o.write("README.md", "一\n")
				side := o.commit("side", on(2, 9, 20))
				wt, _ := o.repo.Worktree()
				if err := wt.Reset(&git.ResetOptions{Commit: first.Hash(), Mode: git.HardReset}); err != nil {
					t.Fatal(err)
				}
				o.write("README.md", "二\n")
				o.commit("main", on(2, 9, 30))
				if _, err := o.repo.CommitObject(plumbing.NewHash(side)); err != nil {
					t.Fatal(err)
				}
				return o.run(on(2, 10, 0), Options{Since: side})
			},
			want: []string{"不是 HEAD 的祖先：此后历史被改写过"}},
		{name: "a shallow clone", code: "history.shallow", variant: "unjudged",
			findings: func(t *testing.T) []Finding {
				off := registered(t).load()
				c := &history.Case{ID: "BANK-2026-0001", Versions: []history.Version{{Commit: commit("e"), Shallow: true}}}
				off.History = &history.History{Shallow: []string{commit("e")}, Cases: map[string]*history.Case{"BANK-2026-0001": c}}
				return dropUnjudged(off, nil, map[string]bool{"BANK-2026-0001": true})
			},
			want: []string{"这是浅克隆：没有获取提交 eeeeeee 之前的历史；在它之前登记的 1 个案件未经检查：BANK-2026-0001", "git fetch --unshallow"}},
	}
}

// TestWords_Chinese provokes a finding of every variant that check.go,
// records.go, facts.go, correction.go and shallow.go say, on small real
// repositories or through the check that makes it, and reads its Chinese
// words as a clerk would: states and fields by their labels, times in
// Beijing time as "2026-11-05 23:59", no RFC 3339, no Markdown.
func TestWords_Chinese(t *testing.T) {
	covered := map[string]bool{}
	for _, row := range wordsRows() {
		covered[row.code+" "+row.variant] = true
		t.Run(row.name, func(t *testing.T) {
			// the finding of the variant that holds the most of want
			var f *Finding
			var got []string
			best := -1
			for _, x := range row.findings(t) {
				got = append(got, x.Code+": "+x.MessageZh)
				if !said(x, row.code, row.variant, row.policyFix) {
					continue
				}
				n := 0
				for _, w := range row.want {
					if strings.Contains(x.MessageZh+"\n"+x.FixZh, w) {
						n++
					}
				}
				if n > best {
					f, best = &x, n
				}
			}
			if f == nil {
				t.Fatalf("no %s finding reads as %q; findings:\n%s", row.code, row.variant, strings.Join(got, "\n"))
			}
			zh := f.MessageZh + "\n" + f.FixZh
			if p := WordsProblem(*f); p != "" {
				t.Errorf("%s: %s", p, zh)
			}
			for _, w := range row.want {
				if !strings.Contains(zh, w) {
					t.Errorf("Chinese words do not hold %q:\n%s", w, zh)
				}
			}
			for _, n := range row.not {
				if strings.Contains(f.MessageZh, n) {
					t.Errorf("Chinese message holds %q:\n%s", n, f.MessageZh)
				}
			}
			if rfc3339.MatchString(f.MessageZh) {
				t.Errorf("Chinese message shows an RFC 3339 time:\n%s", f.MessageZh)
			}
		})
	}
	// variants made outside the files of this table: a rekey that seals
	// another value is provoked by testdata/script/pii_seal.txtar, where
	// CASEBOOK_CHECK_WORDS checks its words are whole
	elsewhere := map[string]bool{"history.closed_edit rekey_changed": true}
	for _, code := range wordsCodes {
		for variant := range byID[code].Says {
			if !covered[code+" "+variant] && !elsewhere[code+" "+variant] {
				t.Errorf("%s %s: no row of TestWords_Chinese provokes it", code, variant)
			}
		}
	}
	for code, variants := range wordsVariants {
		for _, variant := range variants {
			if _, ok := byID[code].Says[variant]; !ok || !covered[code+" "+variant] {
				t.Errorf("%s %s: not in Table, or no row of TestWords_Chinese provokes it", code, variant)
			}
		}
	}
}

// wordsVariants are the variants of those files of codes other files
// report too.
var wordsVariants = map[string][]string{
	"parse.error":    {"version"},
	"field.required": {"policy", "field", "section"},
	"field.invalid": {"policy_unknown", "related_path", "text_not_mapping", "text_not_list", "not_number", "not_whole",
		"below_min", "above_max", "not_bool", "not_date", "not_datetime", "not_enum", "not_list", "not_mapping"},
}

// wordsCodes are the codes whose every variant TestWords_Chinese covers:
// those only check.go, records.go, facts.go, correction.go and shallow.go
// report.
var wordsCodes = []string{"id.duplicate", "transition.illegal", "deadline.overdue", "deadline.missed", "deadline.at_risk",
	"history.deleted", "history.readded", "history.fact_changed", "history.rewritten", "history.closed_edit", "history.shallow",
	"commit.unsigned", "recusal.conflict", "calendar.no_data", "rule.failed", "correction.recorded", "correction.invalid", "field.unknown"}

// TestWords_EnglishKeepsIDs: the English words of the same findings name
// ids and RFC 3339 times, as they always did.
func TestWords_EnglishKeepsIDs(t *testing.T) {
	o := registered(t)
	o.write(caseFile, bankCase("closed"))
	o.commit("close", on(2, 11, 0))
	var found bool
	for _, f := range o.run(on(10, 10, 0), Options{}) {
		if f.Code == "transition.illegal" {
			found = true
			if want := "moved the case received -> closed, which policy bank does not allow"; !strings.Contains(f.Message, want) {
				t.Errorf("English message %q does not hold %q", f.Message, want)
			}
		}
	}
	if !found {
		t.Fatal("no transition.illegal finding")
	}
}

// TestShallowFix_SameAsHistory: the table's English fix of
// history.shallow is history's, which the refusal of a shallow clone
// prints.
func TestShallowFix_SameAsHistory(t *testing.T) {
	if got := byID["history.shallow"].Says["unjudged"].Fix.En; got != history.ShallowFix {
		t.Errorf("history.shallow fix %q, history.ShallowFix %q", got, history.ShallowFix)
	}
}
