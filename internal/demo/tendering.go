package demo

import (
	"fmt"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
)

var (
	tenderTopics = map[string][][2]string{
		"bidding_irregularity": {{"招标文件设置排他性条款", "招标文件要求投标人具有本地业绩，排斥外地企业。"}, {"招标公告发布时间不足", "招标公告发布至开标不足二十日。"}},
		"bid_rigging":          {{"投标人串通投标", "多家投标人的投标文件由同一人编制，报价呈规律性差异。"}, {"借用资质投标", "中标候选人借用他人资质投标，项目经理为挂证人员。"}},
		"evaluation":           {{"评标专家打分不公", "评标专家对同类业绩打分标准不一，明显偏向某投标人。"}, {"评标委员会组成不合法", "评标委员会中有招标人代表超过规定比例。"}},
		"agency":               {{"招标代理泄露标底", "招标代理机构工作人员向个别投标人透露标底。"}},
		"supervision":          {{"监督人员未到场监督", "开标时行政监督人员未到场，开标程序不规范。"}},
		"other":                {{"中标结果公示不全", "中标候选人公示未列明各投标人得分。"}},
	}
	tenderProjects  = []string{"某道路改造工程", "某安置小区一期", "某污水处理厂扩建", "某中学教学楼", "某河道整治工程", "某体育馆装修工程", "某桥梁维修加固工程"}
	tenderCompanies = []string{"某建设有限公司", "某建筑工程有限公司", "某市政工程公司", "某招标代理有限公司", "某路桥工程公司"}
	tenderChannels  = []string{"letter", "letter", "email", "phone", "visit", "document", "fax", "higher_office"}
)

// planTendering draws a report on construction tendering (第五篇): a handler assigned
// within 3 working days (第十二条), accepted on the report's contents (第十一、十三条) or
// not (第十四条), or transferred out of scope (第二十条); verified within 30 days,
// extended by the director within 3 months where needed (第十八条); closed by the simple
// or the general procedure (第十五条), the named reporter answered within 5 working days,
// and the file archived. Visits are received by two staff and read back (第十条); a
// possible effect on the award suspends the tender (第二十四条); cases handed down report
// back (第十八、二十二条); a reporter may withdraw unless a violation is verified
// (第二十三条).
func planTendering(pl *planner, t0 time.Time) {
	g := pl.g
	cat := pick(g, []string{"bidding_irregularity", "bid_rigging", "bid_rigging", "evaluation", "agency", "supervision", "other"})
	topic := pick(g, tenderTopics[cat])
	ch := pick(g, tenderChannels)
	project := pick(g, tenderProjects)
	company := pick(g, tenderCompanies)
	named := ch != "higher_office" && g.chance(70)
	var sets []cases.Set
	if named {
		sets = append(sets, kv("complainant.name", g.person()), kv("complainant.phone", g.phone()), kv("complainant.anonymous", false))
	} else if ch != "higher_office" {
		sets = append(sets, kv("complainant.anonymous", true))
	}
	sets = append(sets, kv("respondent.unit", company), kv("project", project))
	if g.chance(50) {
		sets = append(sets, kv("respondent.address", fmt.Sprintf("昆明市某路%d号", 1+g.rng.IntN(300))))
	} else {
		sets = append(sets, kv("respondent.person", g.person()), kv("respondent.position", pick(g, []string{"项目负责人", "招标负责人", "总经理"})))
	}
	clerkA := g.clerkOf("tendering")
	if ch == "phone" || ch == "visit" {
		sets = append(sets, kv("recorded_by", clerkA.Name))
	}
	if ch == "visit" {
		other := pick(g, staff["tendering"])
		if other.Name == clerkA.Name {
			other = staff["tendering"][0]
			if other.Name == clerkA.Name {
				other = staff["tendering"][1]
			}
		}
		sets = append(sets, kv("receivers", []any{clerkA.Name, other.Name}), kv("readback_signed", true))
		if g.chance(30) {
			sets = append(sets, kv("recorded", true), kv("recording_consent", true))
		}
	}
	if ch == "higher_office" {
		sets = append(sets, kv("handed_down_by", pick(g, []string{"省住房和城乡建设厅", "市住房和城乡建设局"})))
	}
	body := fmt.Sprintf("## 举报内容\n\n%s项目：%s。\n", topic[1], project)
	pl.register(clerkA, clerk.NewCase{Policy: "tendering", Title: project + topic[0], Channel: ch, Category: cat, ReceivedAt: t0, Sets: sets, Body: body})

	// 第十二条: a handler of the office, who then records every step of the case.
	actor := g.clerkOf("tendering")
	handler := actor.Name
	pl.move(pl.within(days(0.3+g.rng.Float64())), clerkA, "assigned", []cases.Set{kv("assignee", handler)}, "指定"+handler+"承办")
	director := "招标办 秦主任"

	switch r := g.rng.IntN(100); {
	case r < 10:
		// 第十四条: not accepted.
		at := pl.within(days(1 + 3*g.rng.Float64()))
		s := append([]cases.Set{kv("rejection_reason", pick(g, []string{"no_clues", "untrue", "judicial"}))},
			approval("decision_approval", director, at.Add(-time.Hour), "同意不予受理")...)
		if named {
			s = append(s, kv("replied_to_reporter_at", ts(at.Add(-30*time.Minute))))
		}
		pl.move(at, actor, "not_accepted", s, "")
		return
	case r < 16:
		// 第二十条: outside construction tendering.
		at := pl.within(days(1 + 3*g.rng.Float64()))
		s := append([]cases.Set{kv("transferred_to", pick(g, []string{"省水利厅", "市交通运输局", "市财政局政府采购监管处"}))},
			approval("decision_approval", director, at.Add(-time.Hour), "不属本机构职责，转送主管部门")...)
		pl.move(at, actor, "transferred", s, "")
		return
	case r < 21:
		// 第二十三条: the reporter withdraws before anything is verified.
		at := pl.within(days(1 + 2*g.rng.Float64()))
		reason := pick(g, []string{"举报人称已与招标人协商解决", "举报人称举报内容有误"})
		pl.add(at, actor, "withdraw", func(d *clerk.Desk, c *caseRun) error {
			_, err := d.Withdraw(c.id, reason, true, nil)
			return err
		})
		return
	}

	ground := pick(g, []string{"minor", "minor", "serious"})
	if ch == "higher_office" {
		ground = "higher_office"
	}
	award := g.chance(15)
	at := pl.within(days(1 + 2*g.rng.Float64()))
	as := []cases.Set{kv("acceptance_ground", ground)}
	if award {
		as = append(as, kv("award_affected", true), kv("supervision_notice.number", fmt.Sprintf("云建招监〔%d〕%d号", at.Year(), 1+g.rng.IntN(200))),
			kv("supervision_notice.issued_at", ts(at.Add(-2*time.Hour))), kv("supervision_notice.tender_suspended", true))
	}
	if ch == "higher_office" {
		as = append(as, kv("progress_reports", []any{ts(at.Add(-time.Hour))}))
	}
	pl.move(at, actor, "accepted", as, "",
		section{"基本事实", topic[1]},
		section{"线索和证据", pick(g, []string{"举报人提供了投标文件电子文档属性截图。", "举报人提供了评分表复印件。", "举报人提供了招标文件相关条款。"})})

	// 第十八条: 30 days; complex cases are extended by the director within 3 months.
	verifyIn := days(8 + 10*g.rng.Float64())
	switch r := g.rng.IntN(100); {
	case r < 15:
		ext := pl.within(days(20 + 5*g.rng.Float64()))
		until := calendar.DateOf(t0.Add(days(55+25*g.rng.Float64())), shanghai)
		reason := pick(g, []string{"涉及多个标段，需调取评标录像", "需向外省核实投标人业绩", "被举报人资料需公安机关协助核查"})
		pl.c.interesting = true
		pl.add(ext, actor, "extend", func(d *clerk.Desk, c *caseRun) error {
			_, err := d.Extend(c.id, clerk.Extension{Rule: "verify", Until: &until, ApprovedBy: "建设局 王局长", Reason: reason})
			return err
		})
		verifyIn = until.At(10, 0, 0, shanghai).Sub(ext) * 7 / 10
	case r < 25:
		verifyIn = days(35 + 20*g.rng.Float64()) // late: the 30 days are missed
	}
	verified := g.chance(60)
	if verified {
		pl.set(pl.within(verifyIn/2), actor, []cases.Set{kv("violation_verified", true)})
	}
	procedure := "simple"
	if ground == "serious" || ground == "higher_office" || g.chance(25) {
		procedure = "general"
	}
	at = pl.within(verifyIn / 2)
	cs := []cases.Set{kv("procedure", procedure)}
	cs = append(cs, approval("closing_approval", director, at.Add(-time.Hour), "同意结案")...)
	secs := []section{{"处理结果", pick(g, []string{"责令招标人修改招标文件，重新发布公告。", "对串通投标的投标人记不良行为记录，移交住建局处罚。", "经核查举报不实，维持中标结果。"})}}
	if procedure == "simple" {
		cs = append(cs, kv("rectify_by", calendar.DateOf(at.Add(days(20)), shanghai).String()))
	} else {
		cs = append(cs, approval("handling_approval", "建设局 分管副局长", at.Add(-3*time.Hour), "同意处理意见")...)
		cs = append(cs, approval("leader_closing_approval", "建设局 分管副局长", at.Add(-2*time.Hour), "同意结案")...)
		if g.chance(30) {
			cs = append(cs, kv("joint_review_required", true))
			cs = append(cs, approval("joint_review", "招标办 会审小组", at.Add(-4*time.Hour), "会审同意")...)
		}
		if verified && g.chance(50) {
			cs = append(cs, kv("penalty", true), kv("penalty_decision", fmt.Sprintf("云建罚〔%d〕%d号", at.Year(), 1+g.rng.IntN(300))))
			cs = append(cs, approval("penalty_approval", "建设局 局长办公会", at.Add(-5*time.Hour), "同意给予行政处罚")...)
		}
		secs = append(secs,
			section{"投诉的主要内容", topic[1]},
			section{"调查的基本过程", "承办人调阅招标投标资料，询问招标人、招标代理和相关投标人，制作询问笔录。"},
			section{"调查获取的证据", "投标文件、评标报告、询问笔录及相关书证。"},
			section{"调查结论及处理意见", pick(g, []string{"举报基本属实，建议给予行政处罚。", "举报部分属实，责令限期改正。"})})
	}
	if ch == "higher_office" {
		cs = append(cs, kv("reported_back_at", ts(at.Add(-30*time.Minute))))
	}
	pl.move(at, actor, "closed", cs, "", secs...)

	// 第十五条(二)6: the named reporter is answered within 5 working days of closing.
	if named {
		rt := pl.within(days(0.5 + 2*g.rng.Float64()))
		pl.set(rt, actor, []cases.Set{kv("replied_to_reporter_at", ts(rt.Add(-20*time.Minute)))})
	}
	pl.move(pl.within(days(1+3*g.rng.Float64())), pick(g, staff["tendering"]), "archived",
		[]cases.Set{kv("file_number", fmt.Sprintf("ZB-%d-卷-%03d", t0.Year(), 1+g.rng.IntN(999)))}, "立卷归档")
}
