package site

import (
	"bytes"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// formCases: an overdue forwarded case, a case forwarded in time, a
// replied case with its report sections, an anonymous case forwarded by a
// regulator, and a food complaint.
func formCases(t *testing.T) map[string]string {
	t.Helper()
	food, err := os.ReadFile(filepath.Join("..", "..", "policies", "food.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"policies/food.yaml": string(food),
		"cases/2026/11/10/BANK-2026-0201.md": `---
id: BANK-2026-0201
policy: bank
title: 柜员办理业务出错
status: assigned
received_at: 2026-11-10T09:00:00+08:00
channel: phone
category: work_error
complainant: {name: 李某某, phone: "13711112222"}
respondent: {unit: 东关支行, person: 柜员甲}
assignee: 吴涛
department: 运营管理部
leader_opinion: {by: 张行长, at: 2026-11-10T10:00:00+08:00, opinion: 三日内回复客户}
---
## 投诉内容

出错。
`,
		"cases/2026/11/25/BANK-2026-0202.md": `---
id: BANK-2026-0202
policy: bank
title: 理财产品说明不清
status: assigned
received_at: 2026-11-25T09:00:00+08:00
channel: visit
category: product
assignee: 赵敏
department: 个人金融部
---
`,
		"cases/2026/11/02/BANK-2026-0203.md": `---
id: BANK-2026-0203
policy: bank
title: 服务态度差
status: replied
received_at: 2026-11-02T09:00:00+08:00
channel: visit
category: attitude
complainant: {name: 周某某}
satisfaction: satisfied
handled_at: 2026-11-04T15:00:00+08:00
handler: 钱经理
handler_phone: "0931-1234567"
---
## 调查核实情况

经查属实。

## 处理意见

对柜员**批评教育**。

## 整改措施

<script>alert(1)</script>

加强培训。
`,
		"cases/2026/11/20/BANK-2026-0204.md": `---
id: BANK-2026-0204
policy: bank
title: 上级转来的匿名信
status: received
received_at: 2026-11-20T09:00:00+08:00
channel: regulator
category: anonymous
complainant: {anonymous: true, name: 匿名者真名}
---
`,
		"cases/2026/11/24/FOOD-2026-0201.md": `---
id: FOOD-2026-0201
policy: food
title: 豆腐发红
status: received
received_at: 2026-11-24T10:00:00+08:00
channel: phone
category: spoiled
product: 嫩豆腐
batch_number: "20261120A"
---
## 投诉内容

豆腐发红。
`,
	}
}

// moreFormCases adds to formCases a closed and a new hotline case, a
// visit in the general procedure and an anonymous letter of the tendering
// policy, and an internet complaint.
func moreFormCases(t *testing.T) map[string]string {
	t.Helper()
	files := formCases(t)
	for k, v := range map[string]string{
		"cases/2026/11/20/HOT-2026-0201.md": `---
id: HOT-2026-0201
policy: hotline
title: 酱油漏气
status: closed
received_at: 2026-11-20T09:00:00+08:00
channel: hotline
category: leak_spoil
complainant: {name: 王某某, phone: "13900001111"}
product: 生抽酱油
assignee: 孙业务
remedy: exchange
exchange_ratio: 2
satisfaction: satisfied
---
## 投诉原因

运输破损。

## 解决措施

一比二调换。

## 处理结果

客户满意。
`,
		"cases/2026/11/21/HOT-2026-0202.md": `---
id: HOT-2026-0202
policy: hotline
title: 门店服务态度差
status: received
received_at: 2026-11-21T09:00:00+08:00
channel: store
category: attitude
---
`,
		"cases/2026/11/05/ZB-2026-0201.md": `---
id: ZB-2026-0201
policy: tendering
title: 某标段串通投标
status: closed
received_at: 2026-11-05T09:00:00+08:00
channel: visit
category: bid_rigging
complainant: {name: 举报人甲, work_unit: 甲建筑公司, address: 昆明市某路1号}
respondent: {unit: 乙建设公司, address: 昆明市某路2号}
project: 某道路工程
receivers: [张三, 李四]
recorded_by: 张三
readback_signed: true
assignee: 赵六
acceptance_ground: serious
procedure: general
handling_approval: {by: 分管领导王, at: 2026-11-20T10:00:00+08:00, opinion: 同意处罚}
closing_approval: {by: 负责人钱, at: 2026-11-25T10:00:00+08:00, opinion: 同意结案}
---
## 基本事实

两家投标文件雷同。

## 调查结论及处理意见

串通投标属实。
`,
		"cases/2026/11/18/ZB-2026-0202.md": `---
id: ZB-2026-0202
policy: tendering
title: 匿名信反映评标不公
status: assigned
received_at: 2026-11-18T09:00:00+08:00
channel: letter
category: evaluation
complainant: {anonymous: true, name: 匿名举报真名, work_unit: 匿名者单位, address: 匿名者地址}
assignee: 赵六
---
`,
		"cases/2026/11/19/NET-2026-0201.md": `---
id: NET-2026-0201
policy: internet
title: 域名未续费
status: received
received_at: 2026-11-19T09:00:00+08:00
channel: phone
category: domain
complainant: {name: 网客甲}
---
`,
	} {
		files[k] = v
	}
	for _, pol := range []string{"hotline", "internet", "tendering"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "policies", pol+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		files["policies/"+pol+".yaml"] = string(b)
	}
	return files
}

// sheetRE finds a per-case form's sheet in its case's page.
var sheetRE = regexp.MustCompile(`(?s)<article class="form-sheet" id="(form-[A-Za-z0-9_-]+)">.*?</article>\n`)

// withSheets adds to files every per-case form as its own entry,
// "cases/BANK-2026-0201.html#form-transfer" for the transfer slip of
// BANK-2026-0201: its sheet, cut from its case's page.
func withSheets(files map[string][]byte) map[string][]byte {
	out := maps.Clone(files)
	for name, b := range files {
		if !strings.HasPrefix(name, "cases/") {
			continue
		}
		for _, m := range sheetRE.FindAllSubmatch(b, -1) {
			out[name+"#"+string(m[1])] = m[0]
		}
	}
	return out
}

// isForm tells whether a name of withSheets is a form: a page under
// forms/ or a sheet.
func isForm(name string) bool {
	return strings.HasPrefix(name, "forms/") || strings.Contains(name, "#form-")
}

func TestForms(t *testing.T) {
	dir := newRepo(t, moreFormCases(t))
	files := withSheets(build(t, dir, Options{}))
	tests := []struct {
		name, page      string
		present, absent []string
	}{
		{"register lists every bank case", "forms/bank-register.html",
			[]string{"BANK-2026-0201", "BANK-2026-0202", "BANK-2026-0203", "BANK-2026-0204", "柜员办理业务出错", "三日内回复客户（张行长）", "匿名", "<span>登记人: "},
			[]string{"FOOD-2026-0201", "李某某"}},
		{"leader referrals only lists forwarded cases", "forms/bank-leader_referrals.html",
			[]string{"BANK-2026-0204"}, []string{"BANK-2026-0201", "BANK-2026-0203"}},
		{"transfer slip names assignee and due date", "cases/BANK-2026-0201.html#form-transfer",
			[]string{"吴涛", "运营管理部", "东关支行", "柜员甲", "2026-11-13 23:59", "三日内回复客户"}, []string{"李某某"}},
		{"supervision slip of the overdue case", "cases/BANK-2026-0201.html#form-supervision",
			[]string{"2026-11-13 23:59", "<th>超期工作日</th><td>9</td>"}, nil},
		{"result report shows the three sections", "cases/BANK-2026-0203.html#form-result_report",
			[]string{"调查核实情况", "<p>经查属实。</p>", "<strong>批评教育</strong>", "整改措施", "加强培训", "满意", "钱经理", "0931-1234567", "2026-11-04 15:00"},
			[]string{"<script>", "周某某"}},
		{"food record with blanks to fill", "cases/FOOD-2026-0201.html#form-record",
			[]string{"嫩豆腐", "20261120A", "A类客诉(重大)", `<th>涉及箱数</th><td><span class="fill"></span></td>`, `<span class="fill"></span>`, "<p>豆腐发红。</p>"}, nil},
		{"hotline register lists every hotline case", "forms/hotline-register.html",
			[]string{"HOT-2026-0201", "HOT-2026-0202", "酱油漏气", "生抽酱油", "调换", "满意", "已结案", "已登记"},
			[]string{"BANK-2026-0201", "ZB-2026-0201", "王某某"}},
		{"hotline record with its sections", "cases/HOT-2026-0201.html#form-record",
			[]string{"孙业务", "调换", "<p>一比二调换。</p>", "<p>客户满意。</p>", `<span class="fill"></span>`}, []string{"王某某", "13900001111"}},
		{"transcript of a visit", "cases/ZB-2026-0201.html#form-transcript",
			[]string{"<span>被询问人: <span class=\"fill\"></span></span> <span>询问人: <span class=\"fill\"></span></span> <span>记录人: ", "张三, 李四", "乙建设公司", "某道路工程", "记录经宣读确认并签字</th><td>是", "来访"},
			[]string{"举报人甲", "甲建筑公司", "昆明市某路1号"}},
		{"registration of the anonymous letter", "cases/ZB-2026-0202.html#form-registration",
			[]string{"赵六", "匿名", "信函"}, []string{"匿名举报真名", "匿名者单位", "匿名者地址"}},
		{"handling approval of the general procedure", "cases/ZB-2026-0201.html#form-handling_approval",
			[]string{"<span>承办: <span class=\"fill\"></span></span> <span>审核: <span class=\"fill\"></span></span> <span>批准: ", "同意处罚（分管领导王）", "一般程序", "调查结论及处理意见", "<p>串通投标属实。</p>"}, nil},
		{"closing approval of the closed case", "cases/ZB-2026-0201.html#form-closing_approval",
			[]string{"同意结案（负责人钱）", "乙建设公司"}, nil},
		{"statistics list every tendering case with its state", "forms/tendering-statistics.html",
			[]string{"ZB-2026-0201", "ZB-2026-0202", "已结案", "已指定承办人", "事实清楚、情节恶劣"}, []string{"HOT-2026-0201", "举报人甲"}},
		{"internet register and record", "forms/internet-register.html",
			[]string{"NET-2026-0201", "域名未续费"}, []string{"网客甲"}},
		{"index lists the forms and their cases", "forms/index.html",
			[]string{`href="bank-register.html"`, `href="../cases/BANK-2026-0201.html#form-supervision"`, `href="../cases/FOOD-2026-0201.html#form-record"`, `href="../cases/index.html"`},
			[]string{"BANK-2026-0202.html#form-supervision", "BANK-2026-0201.html#form-result_report"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, ok := files[tt.page]
			if !ok {
				t.Fatalf("%s was not written", tt.page)
			}
			for _, s := range tt.present {
				if !strings.Contains(string(page), s) {
					t.Errorf("%s lacks %q", tt.page, s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(string(page), s) {
					t.Errorf("%s shows %q", tt.page, s)
				}
			}
		})
	}
	for _, name := range []string{
		"cases/BANK-2026-0202.html#form-supervision", // forwarded in time
		"cases/BANK-2026-0204.html#form-supervision", // received six days ago, within 10 days
		"cases/BANK-2026-0201.html#form-result_report",
		"cases/HOT-2026-0202.html#form-record",           // not yet implemented
		"cases/ZB-2026-0202.html#form-transcript",        // a letter
		"cases/ZB-2026-0202.html#form-handling_approval", // no general procedure
		"cases/ZB-2026-0202.html#form-closing_approval",  // not closed
	} {
		if _, ok := files[name]; ok {
			t.Errorf("%s is in the case's page, but the form does not apply", name)
		}
	}
}

func TestForms_PII(t *testing.T) {
	dir := newRepo(t, moreFormCases(t))
	tests := []struct {
		name            string
		includePII      bool
		present, absent []string
	}{
		{"hidden by default", false, nil, []string{"李某某", "周某某", "匿名者真名", "13711112222",
			"王某某", "13900001111", "举报人甲", "甲建筑公司", "昆明市某路1号", "匿名举报真名", "匿名者单位", "匿名者地址", "网客甲"}},
		{"names with include-pii, never the anonymous one", true,
			[]string{"李某某", "周某某", "王某某", "举报人甲", "甲建筑公司", "昆明市某路1号", "网客甲"},
			[]string{"匿名者真名", "13711112222", "匿名举报真名", "匿名者单位", "匿名者地址"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := withSheets(build(t, dir, Options{IncludePII: tt.includePII}))
			var all strings.Builder
			for name, b := range files {
				if isForm(name) {
					all.Write(b)
				}
			}
			for _, s := range tt.present {
				if !strings.Contains(all.String(), s) {
					t.Errorf("forms lack %q", s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(all.String(), s) {
					t.Errorf("forms show %q", s)
				}
			}
		})
	}
}

func TestForms_Deterministic(t *testing.T) {
	dir := newRepo(t, formCases(t))
	a, b := withSheets(build(t, dir, Options{Lang: "en"})), withSheets(build(t, dir, Options{Lang: "en"}))
	n := 0
	for name, data := range a {
		if !isForm(name) {
			continue
		}
		n++
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	if n < 5 {
		t.Fatalf("only %d form pages written", n)
	}
}

// TestForms_Golden compares one page of every kind of register and one
// sheet of every kind of per-case form with its golden file, as the
// policies declare them.
func TestForms_Golden(t *testing.T) {
	files := withSheets(build(t, newRepo(t, moreFormCases(t)), Options{}))
	var names []string
	for name := range files {
		if isForm(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	seen := map[string]bool{}
	n := 0
	for _, name := range names {
		// One page or sheet per form: the transfer slip of BANK-2026-0201
		// (cases/BANK-2026-0201.html#form-transfer) stands for every one,
		// in bank-transfer.sheet.html.
		base := path.Base(name)
		if page, anchor, ok := strings.Cut(base, "#form-"); ok {
			prefix, _, _ := strings.Cut(page, "-")
			base = strings.ToLower(prefix) + "-" + anchor + ".sheet.html"
		}
		if seen[base] {
			continue
		}
		seen[base] = true
		n++
		golden := filepath.Join("testdata", "golden", "forms", base)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, files[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(files[name], want) {
			t.Errorf("%s differs from %s; review and run go test -update", name, golden)
		}
	}
	if n < 12 {
		t.Errorf("%d kinds of form pages, want at least 12: %v", n, names)
	}
}

// TestForms_RenamedState: an office that copies the bank policy and
// renames the state replied to answered, in the policy and its cases,
// keeps its forms: they are data in the policy, not code keyed by its ids.
func TestForms_RenamedState(t *testing.T) {
	pol, err := os.ReadFile(filepath.Join("..", "..", "policies", "bank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"policies/bank.yaml": strings.ReplaceAll(string(pol), "replied", "answered")}
	for name, src := range moreFormCases(t) {
		if strings.Contains(name, "BANK-") {
			files[name] = strings.ReplaceAll(src, "status: replied", "status: answered")
		}
	}
	got := withSheets(build(t, newRepo(t, files), Options{}))
	page, ok := got["cases/BANK-2026-0203.html#form-result_report"]
	if !ok {
		t.Fatal("the answered case got no result report")
	}
	for _, s := range []string{"调查核实情况", "<p>经查属实。</p>", "钱经理", "<span>承办人: "} {
		if !strings.Contains(string(page), s) {
			t.Errorf("result report lacks %q", s)
		}
	}
	if _, ok := got["cases/BANK-2026-0201.html#form-transfer"]; !ok {
		t.Error("the transfer slip is gone")
	}
}
