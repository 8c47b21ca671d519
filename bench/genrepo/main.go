// Command genrepo writes a bank-policy office repository with a realistic
// history, for benchmarking casebook on a repository of production size.
//
// It streams objects into `git fast-import` inside a fresh `git init`
// directory, so 20,000 cases with ~70,000 commits take seconds, not hours.
// The output is deterministic for a given -seed and -cases.
//
//	go run ./bench/genrepo -out bench/out/bank -cases 20000
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/calendar"
)

func main() {
	out := flag.String("out", "bench/out/bank", "directory to create (must not exist or be empty)")
	n := flag.Int("cases", 20000, "number of cases")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same repository")
	messy := flag.Float64("messy", 0, "share of cases (0 to 1) written without fields and sections the policy requires, as a careless office would")
	flag.Parse()
	if *messy < 0 || *messy > 1 {
		fmt.Fprintln(os.Stderr, "genrepo: -messy is a share between 0 and 1, e.g. 0.6")
		os.Exit(2)
	}
	if err := Generate(*out, *n, *seed, *messy); err != nil {
		fmt.Fprintln(os.Stderr, "genrepo:", err)
		os.Exit(1)
	}
}

// Generate creates the repository in dir. A share messy of the cases is
// written without the approval, the handler's details and the sections
// the policy requires of a reply: validate reports about five findings for
// each. Those cases are drawn from a stream of their own, so a messy office
// holds the cases, times and commits of the tidy one of its seed.
func Generate(dir string, n int, seed uint64, messy float64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	env := append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	git := func(args ...string) *exec.Cmd {
		c := exec.Command("git", append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
		c.Dir = dir
		c.Env = env
		c.Stderr = os.Stderr
		return c
	}
	if err := git("init", "-q").Run(); err != nil {
		return fmt.Errorf("git init: %w", err)
	}
	fi := git("fast-import", "--quiet", "--done")
	in, err := fi.StdinPipe()
	if err != nil {
		return err
	}
	if err := fi.Start(); err != nil {
		return fmt.Errorf("start git fast-import: %w", err)
	}
	w := bufio.NewWriterSize(in, 1<<20)
	werr := writeStream(w, n, seed, messy)
	if werr == nil {
		werr = w.Flush()
	}
	in.Close()
	if err := fi.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %w", err)
	}
	if werr != nil {
		return werr
	}
	if err := git("checkout", "-q", "-f", "main").Run(); err != nil {
		return fmt.Errorf("git checkout: %w", err)
	}
	return nil
}

var cst = time.FixedZone("CST", 8*3600)

// bankCase is one generated complaint; state-independent facts are drawn
// once so that every version of the file agrees with the previous one.
type bankCase struct {
	ID         string
	Path       string
	Received   time.Time
	Title      string
	Channel    string
	Category   string
	Name       string
	Phone      string
	Anonymous  bool
	Unit       string
	Person     string
	Assignee   string
	Department string
	Content    string
	Finding    string
	Opinion    string
	Measures   string
	Amount     int
	// Times holds when the case reached each state; Late is true when the
	// reply came (or will come) after the reply clock's due time, so the
	// delay report of 第十条 is filed.
	Times map[string]time.Time
	Late  bool
	// Messy leaves out what a careless clerk leaves out (Generate).
	Messy bool
}

// event is one commit: a case reaching a state.
type event struct {
	At   time.Time
	Case *bankCase
	From string
	To   string
	Note string
}

var (
	channels   = []string{"phone", "suggestion_box", "online", "visit", "letter", "media", "regulator", "government"}
	categories = []string{"work_error", "attitude", "management", "product", "service_channel", "violation", "financial_crime", "anonymous"}
	surnames   = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"}
	branches   = []string{"城关支行", "北城支行", "南门支行", "东风支行", "西街支行", "营业部", "开发区支行", "新区支行", "河口分理处", "桥头分理处"}
	depts      = []string{"监察室", "办公室", "运营管理部", "个人金融部", "风险合规部", "信贷管理部", "科技信息部"}
	handlers   = []string{"赵敏", "钱伟", "孙丽", "李强", "周洁", "吴昊", "郑芳", "王磊"}
	titles     = map[string][]string{
		"work_error":      {"转账金额录入错误", "存折信息登记有误", "业务凭证漏盖章"},
		"attitude":        {"柜台办理业务时服务态度差", "大堂经理语气生硬", "电话客服不耐烦"},
		"management":      {"排队等候时间过长", "网点未按公示时间营业", "叫号系统混乱"},
		"product":         {"理财产品收益与宣传不符", "信用卡年费未提前告知", "贷款利率调整未通知"},
		"service_channel": {"手机银行无法登录", "ATM吞卡未及时处理", "网银转账失败"},
		"violation":       {"未经同意代签合同", "搭售保险产品", "违规收取手续费"},
		"financial_crime": {"疑似电信诈骗资金未拦截", "账户被盗刷"},
		"anonymous":       {"匿名反映员工违规放贷", "匿名反映网点服务问题"},
	}
)

// writeStream draws the cases, orders every transition in time and writes
// one fast-import commit per transition.
func writeStream(w io.Writer, n int, seed uint64, messy float64) error {
	r := rand.New(rand.NewPCG(seed, 0x636173656f6f6b))
	careless := rand.New(rand.NewPCG(seed, 0x6d65737379))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, cst)
	end := time.Date(2026, 12, 31, 23, 0, 0, 0, cst)
	days := int(end.Sub(start).Hours() / 24)
	received := make([]time.Time, n)
	for i := range received {
		// Office hours on the drawn day keep times plausible.
		d := start.AddDate(0, 0, r.IntN(days))
		received[i] = d.Add(time.Duration(8*3600+r.IntN(9*3600)) * time.Second)
	}
	sort.Slice(received, func(i, j int) bool { return received[i].Before(received[j]) })

	var events []event
	seq := map[int]int{}
	for _, at := range received {
		seq[at.Year()]++
		c := drawCase(r, at, seq[at.Year()])
		c.Messy = messy > 0 && careless.Float64() < messy
		events = append(events, event{At: at, Case: c, To: "received"})
		t := at
		step := func(from, to string, min, max time.Duration, note string) bool {
			t = t.Add(min + time.Duration(r.Int64N(int64(max-min))))
			if t.After(end) {
				return false
			}
			events = append(events, event{At: t, Case: c, From: from, To: to, Note: note})
			c.Times[to] = t
			return true
		}
		p := r.IntN(100)
		switch {
		case p < 6: // withdrawn right after registration
			step("received", "withdrawn", time.Hour, 72*time.Hour, "客户来电表示问题已自行解决，申请撤诉。")
		case p < 10: // still waiting to be forwarded
		case p < 14: // answered on the spot
			if step("received", "replied", 10*time.Minute, 2*time.Hour, "") {
				step("replied", "closed", 24*time.Hour, 5*24*time.Hour, "")
			}
		default:
			if !step("received", "assigned", 30*time.Minute, 30*time.Hour, "") {
				break
			}
			if p < 18 {
				step("assigned", "withdrawn", 2*time.Hour, 5*24*time.Hour, "经核实客户已撤回投诉。")
				break
			}
			if p < 22 || !step("assigned", "replied", 4*time.Hour, 9*24*time.Hour, "") {
				break
			}
			step("replied", "closed", 24*time.Hour, 10*24*time.Hour, "")
		}
		c.Late = lateReply(c, end)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })

	var last int64
	for i, e := range events {
		sec := e.At.Unix()
		if sec <= last {
			sec = last + 1 // strictly increasing commit times
		}
		last = sec
		actor := handlers[int(e.Case.Received.Unix()/60+int64(len(e.To)))%len(handlers)]
		if e.To != "received" {
			actor = e.Case.Assignee
		}
		subject := fmt.Sprintf("%s: %s -> %s", e.Case.ID, e.From, e.To)
		trans := e.From + " -> " + e.To
		if e.From == "" {
			subject = fmt.Sprintf("%s: new (%s)", e.Case.ID, e.To)
			trans = "new -> " + e.To
		}
		msg := subject + "\n\n"
		if e.Note != "" {
			msg += e.Note + "\n\n"
		}
		msg += "Casebook-Case: " + e.Case.ID + "\nCasebook-Transition: " + trans + "\n"
		body := caseFile(e.Case, e.To)
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\n", i+1)
		fmt.Fprintf(w, "author %s <%s> %d +0800\n", actor, email(actor), sec)
		fmt.Fprintf(w, "committer %s <%s> %d +0800\n", actor, email(actor), sec)
		fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
		fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", e.Case.Path, len(body), body)
	}
	_, err := fmt.Fprint(w, "done\n")
	return err
}

func email(name string) string {
	for i, h := range handlers {
		if h == name {
			return fmt.Sprintf("staff%d@bank.example", i+1)
		}
	}
	return "office@bank.example"
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

func drawCase(r *rand.Rand, at time.Time, seq int) *bankCase {
	c := &bankCase{Received: at, Times: map[string]time.Time{"received": at}}
	c.ID = fmt.Sprintf("BANK-%d-%04d", at.Year(), seq)
	c.Path = fmt.Sprintf("cases/%s/%s.md", at.Format("2006/01/02"), c.ID)
	c.Channel = pick(r, channels)
	c.Category = pick(r, categories)
	c.Title = pick(r, titles[c.Category])
	c.Anonymous = c.Category == "anonymous"
	c.Name = pick(r, surnames) + "某"
	c.Phone = fmt.Sprintf("13%09d", r.IntN(1_000_000_000))
	c.Unit = pick(r, branches)
	if r.IntN(3) > 0 {
		c.Person = pick(r, surnames) + "某"
	}
	c.Assignee = pick(r, handlers)
	c.Department = pick(r, depts)
	c.Amount = r.IntN(80000)
	c.Content = fmt.Sprintf("客户于%s到%s办理业务，反映%s。客户称涉及金额约%d元，要求银行给予合理解释并妥善处理。",
		at.Format("2006年1月2日"), c.Unit, c.Title, c.Amount)
	c.Finding = fmt.Sprintf("经%s调阅监控录像、业务凭证并约谈相关人员，核实客户反映情况%s。", c.Department,
		pick(r, []string{"基本属实", "部分属实", "不属实"}))
	c.Opinion = "已向客户当面解释说明并致歉，客户表示认可处理结果。"
	c.Measures = fmt.Sprintf("%s组织全员学习服务规范，将本案纳入月度案例警示教育。", c.Unit)
	return c
}

// rank orders the states so a file never mentions a later one.
var rank = map[string]int{"received": 0, "assigned": 1, "replied": 2, "closed": 3, "withdrawn": 4}

// lateReply tells whether the reply came after the bank's reply clock
// (3 working days for general categories, 10 otherwise), or has not come
// by the end of the data although due.
func lateReply(c *bankCase, end time.Time) bool {
	n := 10
	switch c.Category {
	case "work_error", "attitude", "management":
		n = 3
	}
	cal := calendar.New(cst)
	due, _ := cal.End(c.Received, calendar.Period{N: n, Unit: calendar.WorkingDays})
	if t, ok := c.Times["replied"]; ok {
		return t.After(due)
	}
	if _, ok := c.Times["withdrawn"]; ok {
		return false
	}
	return end.After(due)
}

// caseFile renders the case file as it reads when the case is in state.
// It is the one place that decides the content, so new fields go here.
func caseFile(c *bankCase, state string) string {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: %s\n", c.ID)
	b.WriteString("policy: bank\n")
	fmt.Fprintf(&b, "title: %s\n", c.Title)
	fmt.Fprintf(&b, "status: %s\n", state)
	fmt.Fprintf(&b, "received_at: %s\n", c.Received.Format(time.RFC3339))
	fmt.Fprintf(&b, "channel: %s\n", c.Channel)
	fmt.Fprintf(&b, "category: %s\n", c.Category)
	if c.Anonymous {
		b.WriteString("complainant: {anonymous: true}\n")
	} else {
		fmt.Fprintf(&b, "complainant: {name: %s, phone: \"%s\", anonymous: false}\n", c.Name, c.Phone)
	}
	if c.Person != "" {
		fmt.Fprintf(&b, "respondent: {unit: %s, person: %s}\n", c.Unit, c.Person)
	} else {
		fmt.Fprintf(&b, "respondent: {unit: %s}\n", c.Unit)
	}
	ts := func(t time.Time) string { return t.Format(time.RFC3339) }
	reached := func(s string) bool { _, ok := c.Times[s]; return ok && rank[s] <= rank[state] }
	if state != "received" && state != "withdrawn" || reached("assigned") {
		fmt.Fprintf(&b, "assignee: %s\n", c.Assignee)
		fmt.Fprintf(&b, "department: %s\n", c.Department)
	}
	if state != "received" && !c.Messy {
		fmt.Fprintf(&b, "leader_opinion: {by: 孙行长, at: %s, opinion: 请%s按时处理并回复客户}\n", ts(c.Received.Add(time.Hour)), c.Department)
	}
	if c.Channel == "media" && state != "received" {
		fmt.Fprintf(&b, "leader_notified_at: %s\nmedia_level: local\nmedia_responded_at: %s\n", ts(c.Received.Add(30*time.Minute)), ts(c.Received.Add(2*time.Hour)))
	}
	if c.Late {
		fmt.Fprintf(&b, "delay_reason: 需调取监控录像并核对业务凭证，未能在时限内处理完毕\ndelay_reported_at: %s\ncustomer_informed_at: %s\n",
			ts(c.Received.Add(48*time.Hour)), ts(c.Received.Add(49*time.Hour)))
	}
	if (state == "replied" || state == "closed") && c.Messy {
		fmt.Fprintf(&b, "handled_at: %s\n", ts(c.Times["replied"]))
	} else if state == "replied" || state == "closed" {
		fmt.Fprintf(&b, "satisfaction: %s\nhandled_at: %s\nhandler: %s\nhandler_phone: \"0915-%07d\"\n",
			[]string{"satisfied", "basically_satisfied", "dissatisfied"}[len(c.ID)%3], ts(c.Times["replied"]), c.Assignee, len(c.Assignee)*1234567%10000000)
		if c.Channel == "regulator" || c.Channel == "government" {
			fmt.Fprintf(&b, "forwarder_replied_at: %s\n", ts(c.Times["replied"]))
		}
		if c.Category == "violation" {
			b.WriteString("violation_nature: 操作不规范，未造成客户资金损失\n")
		}
	}
	if state == "closed" && c.Anonymous {
		b.WriteString("intent: goodwill\n")
	}
	if state == "withdrawn" {
		fmt.Fprintf(&b, "withdrawal: {voluntary: true, reason: 客户表示问题已解决, checked_by: %s}\n", c.Assignee)
	}
	b.WriteString("---\n## 投诉内容\n\n")
	b.WriteString(c.Content + "\n")
	if (state == "replied" || state == "closed") && !c.Messy {
		b.WriteString("\n## 调查核实情况\n\n" + c.Finding + "\n")
		b.WriteString("\n## 处理意见\n\n" + c.Opinion + "\n")
		b.WriteString("\n## 整改措施\n\n" + c.Measures + "\n")
	}
	return b.String()
}
