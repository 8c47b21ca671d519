package demo

import (
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
)

var (
	internetTopics = map[string][][2]string{
		"website":      {{"网站逾期未上线", "客户签约三个月，网站仍未制作完成。"}, {"网站页面频繁打不开", "客户网站近一周多次无法访问。"}},
		"yellow_pages": {{"黄页信息未更新", "客户多次提交的新地址在黄页网站上一直未更新。"}},
		"domain":       {{"域名未到期被停用", "客户域名还有半年到期，却无法解析。"}, {"域名转出被拒", "客户申请域名转出，迟迟未给转移码。"}},
		"realname":     {{"网络实名搜索不到", "客户购买的网络实名在搜索中无法显示。"}},
		"other":        {{"发票迟迟未开", "客户付款一个月仍未收到发票。"}, {"后台账号无法登录", "客户的管理后台用户名密码失效，找回无回应。"}},
	}
	internetCauses = map[string]string{
		"website": "site_delay", "yellow_pages": "account_data", "domain": "service_stopped", "realname": "overpromise", "other": "account_data",
	}
	internetReps   = []string{"业务代表 孟飞", "业务代表 龙婷", "业务代表 万里", "业务代表 段超"}
	internetLeads  = []string{"客服部 雷鸣", "客服部 汤琳", "技术部 尹峰"}
	internetDepts  = []string{"客服部", "技术部", "制作部", "财务部"}
	internetSource = []string{"phone", "phone", "online", "online", "visit", "salesperson", "branch"}
)

// planInternet draws a customer complaint of an internet services company (第四篇) and
// walks it through the handling steps of 三: accept promptly, calm, clarify,
// investigate, propose, carry out what the customer accepted, thank and follow up. A
// malicious complaint (一(二)) is declined politely once clarified.
func planInternet(pl *planner, t0 time.Time) {
	g := pl.g
	cat := pick(g, []string{"website", "website", "yellow_pages", "domain", "realname", "other"})
	topic := pick(g, internetTopics[cat])
	ch := pick(g, internetSource)
	clerkA := g.clerkOf("internet")
	pl.register(clerkA, clerk.NewCase{Policy: "internet", Title: topic[0], Channel: ch, Category: cat, ReceivedAt: t0,
		Sets: []cases.Set{kv("complainant.name", g.person()), kv("complainant.phone", g.phone()), kv("complainant.work_unit", pick(g, []string{"某商贸有限公司", "某装饰工程部", "某餐饮店", "某科技公司"}))},
		Body: "## 投诉内容\n\n" + topic[1] + "\n"})
	slow := g.chance(10)
	gap := func(d float64) time.Duration {
		if slow {
			d *= 3
		}
		return days(d)
	}
	pl.move(pl.within(time.Duration(1+g.rng.IntN(3))*time.Hour), clerkA, "accepted", nil, "")
	pl.move(pl.within(time.Duration(20+g.rng.IntN(60))*time.Minute), clerkA, "calmed", []cases.Set{kv("apologized", true)}, "")
	clar := []cases.Set{kv("sales_rep", pick(g, internetReps)), kv("customer_type", pick(g, []string{"new", "existing", "existing"})),
		kv("expected_resolution", pick(g, []string{"尽快上线网站", "恢复服务并补偿服务期", "退还部分费用", "当天解决问题"}))}
	pl.move(pl.within(gap(0.2)), clerkA, "clarified", clar, "", section{"投诉问题", topic[1] + "客户要求尽快解决。"})

	if g.chance(6) {
		// 一(二): not a fault of the company: a polite, firm refusal.
		pl.move(pl.within(gap(0.5)), g.clerkOf("internet"), "rejected", []cases.Set{kv("intent", "malicious"), kv("cause", "unreasonable")}, "",
			section{"拒绝理由", "经核实，服务均按合同履行，客户以投诉为由要求全额退款，不符合合同约定，已婉言说明。"})
		return
	}
	pl.move(pl.within(gap(0.3)), g.clerkOf("internet"), "investigating", []cases.Set{kv("assignee", pick(g, internetLeads)), kv("department", pick(g, internetDepts))}, "")
	cause := internetCauses[cat]
	if g.chance(20) {
		cause = "attitude"
	}
	var ps []cases.Set
	ps = append(ps, kv("cause", cause), kv("intent", "goodwill"), kv("responsible_party", pick(g, []string{"branch", "head_office", "technical", "salesperson"})))
	pl.move(pl.within(gap(1+g.rng.Float64())), g.clerkOf("internet"), "proposed", ps, "",
		section{"原因分析", pick(g, []string{"制作部排期积压，未按约定时间交付。", "续费信息录入错误，系统误判到期。", "业务员承诺超出服务范围。"})},
		section{"解决方案", pick(g, []string{"三个工作日内完成上线，并赠送一个月服务期。", "立即恢复服务，延长服务期两个月。", "退还未履行部分的费用。"})})
	is := []cases.Set{kv("customer_accepted", true)}
	if g.chance(20) {
		is = append(is, kv("refund", 200*(1+g.rng.IntN(10))))
	}
	pl.move(pl.within(gap(1+2*g.rng.Float64())), g.clerkOf("internet"), "implemented", is, "")
	pl.move(pl.within(gap(1+g.rng.Float64())), g.clerkOf("internet"), "followed_up", nil, "感谢客户的意见，电话回访",
		section{"改进措施", pick(g, []string{"建立制作进度周报制度。", "续费提醒改为提前三十天短信通知。", "规范业务员承诺口径。"})})
	pl.move(pl.within(gap(1)), g.clerkOf("internet"), "closed", nil, "")
}
