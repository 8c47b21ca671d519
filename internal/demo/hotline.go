package demo

import (
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
)

var (
	hotlineTopics = map[string][][2]string{
		"attitude":        {{"门店店员态度恶劣", "顾客在门店询问价格，店员爱答不理。"}, {"业务员不回电话", "顾客多次联系业务员，对方一直不回电。"}},
		"service_quality": {{"送货延误", "约定上午送货，下午四点仍未送达。"}, {"退货手续繁琐", "顾客要求退货，被要求提供多种证明。"}},
		"product_quality": {{"酸奶胀袋", "顾客购买的酸奶在保质期内出现胀袋。"}, {"饮料有沉淀", "瓶装饮料底部有絮状沉淀。"}},
		"leak_spoil":      {{"产品漏气变质", "真空包装漏气，产品变质发臭。"}, {"整箱产品漏液", "一箱产品中有三袋漏液。"}},
	}
	hotlineProducts = []string{"纯牛奶", "原味酸奶", "果粒橙", "矿泉水", "乳酸菌饮料", "豆奶"}
	hotlineSales    = []string{"业务员 邱平", "业务员 秦刚", "业务员 江红", "业务员 史磊", "业务员 顾婷"}
)

// planHotline draws a complaint on the 400 line, in a shop or told to a salesperson
// (第三篇): routed within 30 minutes (1.1), the customer called back, a solution agreed
// and carried out, its effect confirmed with the same-day feedback (4.2), followed up by
// the sales office within a week (4.3). Compensation needs QC's confirmation and
// production notified (2.3.2); major complaints the general manager's decision and legal
// review (2.3.3); late ones a progress report (4.2).
func planHotline(pl *planner, t0 time.Time) {
	g := pl.g
	cat := pick(g, []string{"attitude", "service_quality", "product_quality", "product_quality", "leak_spoil"})
	ch := pick(g, []string{"hotline", "hotline", "hotline", "store", "verbal"})
	topic := pick(g, hotlineTopics[cat])
	product := pick(g, hotlineProducts)
	major := g.chance(5)
	sets := []cases.Set{kv("complainant.name", g.person()), kv("complainant.phone", g.phone()), kv("product", product)}
	if major {
		sets = append(sets, kv("major", true))
	}
	clerkA := g.clerkOf("hotline")
	pl.register(clerkA, clerk.NewCase{Policy: "hotline", Title: topic[0], Channel: ch, Category: cat, ReceivedAt: t0, Sets: sets,
		Body: "## 投诉内容\n\n" + topic[1] + "（产品：" + product + "）\n"})
	late := g.chance(10)
	// 4.2: a case not done in 3 working days reports its progress to the sales office.
	// Three calendar days never end later than three working days.
	defer func() {
		for _, s := range pl.c.steps {
			if s.what == "move to confirmed" && s.at.Before(t0.Add(days(2.5))) {
				return
			}
		}
		at := t0.Add(days(2))
		pl.insert(at, clerkA, "progress report", setAt([]cases.Set{kv("progress_reported_at", ts(at.Add(-30*time.Minute)))}))
	}()

	remedy := pick(g, []string{"apology", "exchange", "exchange", "refund", "compensation"})
	if major {
		remedy = "compensation"
	}
	confirmSets := func(at time.Time, satisfied bool) []cases.Set {
		if satisfied {
			// The feedback was given minutes before the commit that records
			// it: a recorded time is never later than its commit.
			return []cases.Set{kv("satisfaction", "satisfied"), kv("feedback_at", ts(at.Add(-time.Duration(g.rng.IntN(10))*time.Minute)))}
		}
		return []cases.Set{kv("satisfaction", "dissatisfied")}
	}
	implSets := func(at time.Time) []cases.Set {
		var s []cases.Set
		if remedy == "compensation" {
			s = append(s, approval("qc_confirmation", "质检部 姚敏", at.Add(-time.Hour), "同意补偿")...)
			s = append(s, kv("production_notified_at", ts(at.Add(-30*time.Minute))))
		}
		if major {
			s = append(s, approval("gm_decision", "总经理 贺军", at.Add(-2*time.Hour), "同意按协议赔偿")...)
			s = append(s, approval("legal_review", "法务部 龚敏", at.Add(-3*time.Hour), "已审核，无重大法律风险")...)
		}
		return s
	}

	if ch == "store" && remedy != "compensation" && g.chance(60) {
		// 1.2, 2.1: the shop exchanges or refunds on the spot.
		at := pl.within(30 * time.Minute)
		pl.move(at, clerkA, "implemented", []cases.Set{kv("remedy", pick(g, []string{"exchange", "refund"})), kv("department", "门店")}, "门店当场处理")
		at = pl.within(days(1))
		pl.move(at, clerkA, "confirmed", confirmSets(at, true), "", section{"处理结果", "门店当场调换，顾客满意。"})
		at = pl.within(days(2 + 3*g.rng.Float64()))
		pl.move(at, g.clerkOf("hotline"), "closed", []cases.Set{kv("followed_up_at", ts(at.Add(-time.Hour)))}, "")
		return
	}

	// 1.1: on the 400 line, routed within half an hour of the call.
	route := t0.Add(time.Duration(12*60+g.rng.IntN(17*60)) * time.Second)
	if !route.After(pl.last) {
		route = pl.last.Add(time.Minute)
	}
	if ch != "hotline" {
		route = pl.within(time.Duration(1+g.rng.IntN(4)) * time.Hour)
	} else if g.chance(8) {
		route = pl.soon(time.Duration(40+g.rng.IntN(90)) * time.Minute)
	}
	var rs []cases.Set
	if cat == "product_quality" || cat == "leak_spoil" {
		rs = append(rs, kv("department", "质检部"))
	} else {
		rs = append(rs, kv("assignee", pick(g, hotlineSales)))
	}
	pl.move(route, clerkA, "routed", rs, "")
	step := func(d float64) time.Time {
		if late {
			d *= 4
		}
		return pl.within(days(d))
	}
	pl.move(step(0.2), g.clerkOf("hotline"), "contacted", nil, "", section{"投诉原因", pick(g, []string{"经回访，系运输途中挤压所致。", "经回访，系门店冷柜温度过高。", "经回访，业务员未及时处理顾客诉求。", "经回访，系生产批次质量问题。"})})
	as := []cases.Set{kv("remedy", remedy)}
	solution := map[string]string{"apology": "业务员上门道歉并解释。", "exchange": "按1:2调换同类产品。", "refund": "全额退货退款。", "compensation": "给予顾客经济补偿。"}[remedy]
	if remedy == "exchange" {
		as = append(as, kv("exchange_ratio", 2))
	}
	if remedy == "compensation" {
		as = append(as, kv("compensation", 100*(1+g.rng.IntN(10))), kv("written_agreement", true))
		if major {
			as[len(as)-2] = kv("compensation", 5000+100*g.rng.IntN(100))
		}
	}
	pl.move(step(0.2), g.clerkOf("hotline"), "agreed", as, "", section{"解决措施", solution})
	at := step(0.3)
	pl.move(at, g.clerkOf("hotline"), "implemented", implSets(at), "")
	satisfied := g.chance(85)
	var extra []cases.Set
	if remedy == "compensation" {
		extra = append(extra, kv("agreement_archived_at", ts(at.Add(2*time.Hour))))
	}
	if !satisfied {
		// 2.3.5: not satisfied: a new solution, carried out again.
		pl.move(step(0.3), g.clerkOf("hotline"), "agreed", nil, "顾客对处理结果不满意，重新协商")
		at = step(0.2)
		pl.move(at, g.clerkOf("hotline"), "implemented", implSets(at), "")
	}
	at = step(0.3)
	pl.move(at, g.clerkOf("hotline"), "confirmed", append(confirmSets(at, true), extra...), "", section{"处理结果", "措施已落实，顾客表示满意。"})
	paid := at.Add(2 * time.Hour)
	at = pl.within(days(2 + 3*g.rng.Float64()))
	cs := []cases.Set{kv("followed_up_at", ts(at.Add(-time.Hour)))}
	if remedy == "compensation" {
		cs = append(cs, kv("compensation_paid_at", ts(paid)))
	}
	pl.move(at, g.clerkOf("hotline"), "closed", cs, "")
}
