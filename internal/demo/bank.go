package demo

import (
	"fmt"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
)

// bankTopics are the complaints of each category: a title and what the customer says.
var bankTopics = map[string][][2]string{
	"work_error": {
		{"存款利息计算错误", "客户反映定期存款到期支取时利息少算，与存单约定利率不符。"},
		{"转账金额录入错误", "客户在柜台办理转账，柜员将金额多录一位，经客户发现后才更正。"},
		{"挂失手续办理有误", "客户办理存折挂失，七日后补办时被告知挂失信息未录入系统。"},
	},
	"attitude": {
		{"柜台服务态度差", "客户在柜台办理业务时，柜员态度生硬，不耐烦地催促客户。"},
		{"大堂经理推诿不作为", "客户咨询社保卡激活，大堂经理称不归其管，让客户自行排队。"},
		{"电话咨询被挂断", "客户致电网点询问贷款进度，工作人员未答复即挂断电话。"},
	},
	"management": {
		{"网点排队时间过长", "客户上午九点取号，近两个小时才办理，只开一个窗口。"},
		{"营业时间未按公示执行", "网点公示营业至17:00，客户16:30到达时已停止办理业务。"},
		{"自助设备长期故障", "网点存取款一体机多次故障，工作人员称无人维修。"},
	},
	"product": {
		{"理财产品收益不及预期", "客户购买的理财产品到期收益远低于宣传的预期收益率，认为存在误导。"},
		{"贷款提前还款收取违约金", "客户申请提前归还经营贷款，被收取违约金，称签约时未告知。"},
	},
	"service_channel": {
		{"网银转账失败资金未退回", "客户通过网上银行跨行转账失败，三天后资金仍未退回账户。"},
		{"手机银行无法登录", "客户更换手机后手机银行一直无法登录，多次重置密码无效。"},
		{"ATM吞卡未及时处理", "客户在ATM取款时银行卡被吞，次日到网点仍未能领回。"},
	},
	"violation": {
		{"柜员代客户签字", "客户反映办理业务时柜员代其在凭证上签字，未经本人同意。"},
		{"搭售保险产品", "客户办理贷款时被要求同时购买保险，否则不予放款。"},
	},
	"financial_crime": {
		{"疑似电信诈骗账户", "客户举报收到诈骗短信，对方提供的收款账户为本行账户。"},
		{"非法集资宣传", "客户举报有人在网点门口发放高息集资宣传单，自称与本行合作。"},
	},
	"anonymous": {
		{"匿名反映员工违规放贷", "匿名来信反映某客户经理为亲属违规发放贷款。"},
		{"匿名反映网点乱收费", "匿名投诉网点办理业务收取未公示的手续费。"},
	},
}

var (
	bankUnits    = []string{"城关支行", "江北支行", "新城支行", "高新区支行", "营业部", "河西分理处", "东关分理处"}
	bankDepts    = []string{"监察室", "个人金融部", "公司业务部", "运营管理部", "科技信息部", "风险管理部"}
	bankHandlers = []string{"潘志刚", "杜晓梅", "戴文", "夏雨", "钟伟", "汪洁", "田刚", "姜丽"}
	bankLeaders  = []string{"孔行长", "白副行长", "崔副行长"}
	bankChannels = []string{"phone", "phone", "phone", "visit", "visit", "visit", "online", "online", "online", "letter", "suggestion_box", "regulator", "government", "media"}
	bankGeneral  = []string{"work_error", "attitude", "attitude", "management"}
	bankComplex  = []string{"product", "service_channel", "service_channel", "violation"}
)

// planBank draws a bank complaint (第一篇) and its way through the office: forwarded to
// a unit, answered, closed; or answered on the spot; some late with the delay reported
// (第十条), some withdrawn (第十八条), some complained about again after closing and
// reopened (第十七条).
func planBank(pl *planner, t0 time.Time) {
	g := pl.g
	cat := pick(g, bankGeneral)
	switch r := g.rng.IntN(100); {
	case r < 35:
		cat = pick(g, bankComplex)
	case r < 40:
		cat = "financial_crime"
	case r < 45:
		cat = "anonymous"
	}
	ch := pick(g, bankChannels)
	anonymous := cat == "anonymous"
	if anonymous {
		ch = pick(g, []string{"letter", "suggestion_box", "online"})
	}
	complex := cat != "work_error" && cat != "attitude" && cat != "management"
	topic := pick(g, bankTopics[cat])
	unit := pick(g, bankUnits)
	var sets []cases.Set
	if anonymous {
		sets = append(sets, kv("complainant.anonymous", true))
	} else {
		sets = append(sets, kv("complainant.name", g.person()), kv("complainant.phone", g.phone()), kv("complainant.anonymous", false))
	}
	sets = append(sets, kv("respondent.unit", unit))
	if cat == "attitude" || cat == "violation" || cat == "work_error" {
		sets = append(sets, kv("respondent.person", g.person()))
	}
	major := false
	if cat == "product" || cat == "violation" || cat == "financial_crime" {
		amount := 1000 * (1 + g.rng.IntN(40))
		if g.chance(15) {
			amount = 50000 + 1000*(1+g.rng.IntN(200))
			major = true
		}
		sets = append(sets, kv("amount", amount))
	}
	if g.chance(3) {
		sets = append(sets, kv("tags", []any{"sensitive"}))
		major = true
	}
	dispute := cat == "product" && g.chance(20)
	if dispute {
		sets = append(sets, kv("dispute", true))
	}
	body := fmt.Sprintf("## 投诉内容\n\n%s涉及%s。\n", topic[1], unit)
	if ch == "media" {
		body += "\n该投诉经媒体报道后转来。\n"
	}
	clerkA := g.clerkOf("bank")
	pl.register(clerkA, clerk.NewCase{Policy: "bank", Title: topic[0], Channel: ch, Category: cat, ReceivedAt: t0, Sets: sets, Body: body})

	// The reply is due in 3 working days (general) or 10 (complex); on time here means
	// within as many calendar days, which is never later.
	replyIn := days(1 + g.rng.Float64())
	if complex {
		replyIn = days(2 + 4*g.rng.Float64())
	}
	late := g.chance(12)
	stalled := t0.After(g.opts.End.Add(-days(30))) && g.chance(30)
	onSpot := !complex && (ch == "visit" || ch == "phone") && !major && g.chance(35)
	withdraw := !onSpot && !stalled && g.chance(7)
	handler := pick(g, bankHandlers)
	leader := pick(g, bankLeaders)
	dept := pick(g, bankDepts)
	responsibility := pick(g, []string{"bank", "bank", "customer", "none"})

	replySets := func(at time.Time) []cases.Set {
		s := []cases.Set{kv("satisfaction", pick(g, []string{"satisfied", "satisfied", "basically_satisfied", "dissatisfied"})),
			kv("handled_at", ts(at.Add(-time.Hour))), kv("handler", handler), kv("handler_phone", g.landline("0915")),
			kv("responsibility", responsibility)}
		if responsibility == "bank" && !complex {
			s = append(s, kv("apologized", true))
		}
		if cat == "violation" {
			s = append(s, kv("violation_nature", pick(g, []string{"一般违规，责令整改并扣罚绩效", "违反操作规程，给予通报批评"})))
		}
		if ch == "regulator" || ch == "government" {
			s = append(s, kv("forwarder_replied_at", ts(at.Add(-30*time.Minute))))
		}
		if responsibility == "bank" && (cat == "work_error" || cat == "service_channel") && g.chance(40) {
			s = append(s, kv("compensation", 50*(1+g.rng.IntN(20))))
		}
		return s
	}
	reply := []section{
		{"调查核实情况", fmt.Sprintf("经%s调阅业务凭证和监控录像，并与当事人核实，%s", unit, pick(g, []string{"情况属实。", "情况部分属实。", "系客户对业务规定不了解所致。"}))},
		{"处理意见", pick(g, []string{"向客户当面致歉并解释相关规定，客户表示理解。", "按规定为客户更正并补偿损失，对责任人批评教育。", "向客户说明产品条款，协商后客户接受处理结果。"})},
		{"整改措施", pick(g, []string{"网点组织服务规范培训，纳入月度考核。", "优化业务流程，增加高峰时段窗口。", "完善设备巡检制度，故障两小时内报修。"})},
	}

	if onSpot {
		at := pl.within(time.Duration(20+g.rng.IntN(60)) * time.Minute)
		s := append(replySets(at), approval("leader_opinion", leader, at.Add(-10*time.Minute), "同意现场答复")...)
		pl.move(at, clerkA, "replied", s, "现场答复", reply...)
		pl.close(pl.within(days(1+2*g.rng.Float64())), cat, anonymous)
		return
	}

	// 第九条: forwarded to the unit, with the leader's instruction (第八条). Online
	// complaints go out within 2 working days.
	at := pl.within(time.Duration(1+g.rng.IntN(6)) * time.Hour)
	s := []cases.Set{kv("assignee", handler), kv("department", dept)}
	s = append(s, approval("leader_opinion", leader, at.Add(-20*time.Minute), pick(g, []string{"请三日内答复客户", "请认真核实，及时处理", "请监察室督办"}))...)
	if major || dispute || ch == "media" {
		s = append(s, kv("leader_notified_at", ts(at.Add(-time.Hour))))
	}
	if major {
		s = append(s, kv("regulator_reported_at", ts(at.Add(-30*time.Minute))))
	}
	if dispute {
		s = append(s, kv("legal_counsel.name", "律师事务所 方律师"), kv("legal_counsel.contacted_at", ts(at.Add(-40*time.Minute))),
			kv("legal_counsel.advice", "建议引导客户通过诉讼解决，同时保全相关证据。"))
	}
	if ch == "media" {
		level := pick(g, []string{"local", "local", "provincial", "central"})
		s = append(s, kv("media_level", level), kv("media_responded_at", ts(at.Add(-15*time.Minute))))
		if level != "local" && !major {
			s = append(s, kv("regulator_reported_at", ts(at.Add(-30*time.Minute))))
		}
	}
	pl.move(at, clerkA, "assigned", s, fmt.Sprintf("转%s%s处理", unit, dept))

	// 第十条: a unit that cannot answer in time reports why and tells the customer. A
	// plan whose reply came out later than the clock surely allows reports it too.
	limit := days(2.5)
	if complex {
		limit = days(9.5)
	}
	defer func() {
		if !late && !stalled {
			bankEnsureDelay(pl, t0, limit)
		}
	}()
	if late || stalled {
		// 第十条: the unit cannot answer in time; it reports why and tells the customer.
		at := pl.within(days(0.8))
		pl.set(at, pick(g, staff["bank"]), bankDelay(g, at))
		if stalled {
			return
		}
		replyIn = days(12 + 6*g.rng.Float64())
	}
	if withdraw {
		at := pl.within(days(0.5 + g.rng.Float64()))
		voluntary := g.chance(75)
		var extra []cases.Set
		reason := pick(g, []string{"问题已与网点协商解决", "客户表示误会已消除", "客户称家人劝说后不再追究"})
		if !voluntary {
			reason = "客户称受到当事人多次上门施压"
			extra = append(extra, kv("accountability", "已对当事人立案调查，暂停其柜面工作"))
		}
		pl.add(at, pick(g, staff["bank"]), "withdraw", func(d *clerk.Desk, c *caseRun) error {
			_, err := d.Withdraw(c.id, reason, voluntary, extra)
			return err
		})
		return
	}
	at = pl.within(replyIn)
	pl.move(at, pick(g, staff["bank"]), "replied", replySets(at), "", reply...)
	closedAt := pl.within(days(1 + 3*g.rng.Float64()))
	pl.close(closedAt, cat, anonymous)
	if !anonymous && !major && !dispute && ch != "media" && ch != "regulator" && ch != "government" && g.chance(6) {
		planBankRepeat(pl, topic[0], cat, ch, sets, handler, dept, leader)
	}
}

// bankEnsureDelay adds a delay report (第十条) to a plan whose reply comes later than
// limit after t0, a bound the reply clock never ends before.
func bankEnsureDelay(pl *planner, t0 time.Time, limit time.Duration) {
	for _, s := range pl.c.steps {
		if (s.what == "move to replied" || s.what == "withdraw") && s.at.Before(t0.Add(limit)) {
			return
		}
	}
	at := t0.Add(limit - days(1))
	pl.insert(at, pl.c.steps[0].actor, "delay report", setAt(bankDelay(pl.g, at)))
}

// bankDelay is the delay report of 第十条, made at at.
func bankDelay(g *gen, at time.Time) []cases.Set {
	return []cases.Set{
		kv("delay_reason", pick(g, []string{"需调取异地监控录像，核实时间较长", "涉及上级行系统，需等待技术部门排查", "当事人休假，暂无法核实"})),
		kv("delay_reported_at", ts(at.Add(-time.Hour))), kv("customer_informed_at", ts(at.Add(-30*time.Minute)))}
}

// close adds the closing of a bank case; an anonymous one is judged goodwill or
// malicious first (第十三条).
func (pl *planner) close(at time.Time, cat string, anonymous bool) {
	var s []cases.Set
	if anonymous || cat == "anonymous" {
		s = append(s, kv("intent", pick(pl.g, []string{"goodwill", "goodwill", "goodwill", "malicious"})))
	}
	pl.move(at, pick(pl.g, staff["bank"]), "closed", s, "")
	pl.c.closedAt = at
}

// planBankRepeat adds a repeat complaint after the case pl closed (第十七条): a new case
// linked to the first as a repeat, and the first case reopened and handled again.
func planBankRepeat(pl *planner, title, cat, ch string, sets []cases.Set, handler, dept, leader string) {
	g := pl.g
	first := pl.c
	t0 := first.closedAt.Add(days(3 + 12*g.rng.Float64()))
	if t0.After(g.opts.End.Add(-days(2))) {
		return
	}
	second := &caseRun{n: len(g.cases) + 1_000_000, policy: first.policy, received: t0, store: g.store}
	g.cases = append(g.cases, second)
	rp := &planner{g: g, c: second, last: t0}
	actor := g.clerkOf("bank")
	rp.register(actor, clerk.NewCase{Policy: "bank", Title: "再次投诉：" + title, Channel: ch, Category: cat, ReceivedAt: t0, Sets: sets,
		Body: "## 投诉内容\n\n客户对首次投诉的答复不满意，再次来电投诉，要求重新处理。\n"})
	rp.add(rp.within(10*time.Minute), actor, "link repeat", func(d *clerk.Desk, c *caseRun) error {
		_, err := d.Link(c.id, first.ref(), "repeat")
		return err
	})
	at := rp.within(days(0.3))
	s := append([]cases.Set{kv("repeat", true), kv("assignee", handler), kv("department", dept)},
		approval("leader_opinion", leader, at.Add(-10*time.Minute), "再次投诉，请重新调查并加强督办")...)
	rp.move(at, actor, "assigned", s, "再次投诉，与首次投诉合并办理")

	// The first case is reopened and handled again.
	first.interesting = true
	pl.last = at
	pl.add(at.Add(5*time.Minute), actor, "reopen", func(d *clerk.Desk, c *caseRun) error {
		_, err := d.Move(c.id, "assigned", nil, "客户再次投诉（"+second.ref()+"），重新转办")
		return err
	})
	again := pl.within(days(1 + g.rng.Float64()))
	pl.move(again, actor, "replied", []cases.Set{kv("handled_at", ts(again.Add(-time.Hour))), kv("satisfaction", "basically_satisfied")}, "重新答复客户")
	pl.close(pl.within(days(1)), cat, false)

	rp.last = again
	rat := rp.within(30 * time.Minute)
	rs := []cases.Set{kv("satisfaction", "basically_satisfied"), kv("handled_at", ts(rat.Add(-time.Hour))),
		kv("handler", handler), kv("handler_phone", g.landline("0915")), kv("responsibility", "bank"), kv("apologized", true)}
	if cat == "violation" {
		rs = append(rs, kv("violation_nature", "违反操作规程，给予通报批评"))
	}
	rp.move(rat, actor, "replied", rs,
		"", section{"调查核实情况", "重新调查，首次处理时未充分听取客户意见。"},
		section{"处理意见", "由支行行长带队上门致歉，重新办理相关业务。"},
		section{"整改措施", "将此类投诉纳入督办台账，每周通报。"},
		section{"再次投诉原因分析", "首次答复只作解释、未解决客户的实际问题。"})
	rp.close(rp.within(days(1)), cat, false)
	limit := days(2.5)
	if cat != "work_error" && cat != "attitude" && cat != "management" {
		limit = days(9.5)
	}
	bankEnsureDelay(rp, t0, limit)
}
