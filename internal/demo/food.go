package demo

import (
	"fmt"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
)

var (
	foodProducts = []string{"内酯豆腐", "五香豆腐干", "油豆腐", "豆浆", "千张", "腐竹", "素鸡", "臭豆腐"}
	foodTopics   = map[string][2]string{
		"spoiled":           {"豆腐发红变质", "顾客反映开袋后豆腐表面发红、有异味，尚在保质期内。"},
		"foreign_matter":    {"产品内有异物", "顾客在产品中发现头发和塑料碎片。"},
		"discolored":        {"豆腐干颜色异常", "同一包内豆腐干颜色深浅不一，部分发黑。"},
		"off_odour":         {"豆浆有焦糊味", "顾客反映豆浆有明显焦糊味，无法饮用。"},
		"adverse_reaction":  {"食用后腹泻", "顾客食用后出现腹泻、呕吐，已到医院就诊。"},
		"batch_underweight": {"整批产品重量偏轻", "经销商抽检整批产品，净含量普遍低于标示。"},
		"date_mismatch":     {"内外包装日期不一致", "外箱与内袋的生产日期相差两天。"},
		"short_pack":        {"整箱缺包", "超市收货时发现多箱产品每箱少两包。"},
		"dirty_incomplete":  {"产品表面有黑点", "豆腐表面有黑色斑点，部分残缺。"},
		"misaligned_pack":   {"封口不严漏液", "包装封口不严，运输中漏液。"},
		"promotion":         {"促销赠品未配送", "活动承诺的赠品两周后仍未送到门店。"},
		"broken_pack":       {"包装破损", "买到的产品外包装破损，封口有皱褶。"},
		"light_broken":      {"豆腐破碎出水", "豆腐开袋后碎成几块，出水严重。"},
		"color_variance":    {"产品色差明显", "两批次豆腐干颜色差异明显。"},
		"date_misprint":     {"生产日期打印缺失", "部分包装没有打印生产日期。"},
		"service":           {"送货人员态度差", "送货人员与门店店员发生争执，态度恶劣。"},
	}
	foodClassA   = []string{"spoiled", "foreign_matter", "discolored", "off_odour", "adverse_reaction", "date_mismatch"}
	foodClassB   = []string{"short_pack", "dirty_incomplete", "misaligned_pack", "promotion"}
	foodClassC   = []string{"broken_pack", "light_broken", "color_variance", "date_misprint"}
	foodDepts    = []string{"质检部", "生产一班", "生产二班", "煮浆班组", "设施保障部", "设计中心"}
	foodChannels = []string{"phone", "phone", "verbal", "salesperson", "dealer", "dealer", "letter", "online", "authority", "consumer_association"}
	foodQC       = []string{"质检部 方丽", "质检部 石磊", "质检部 姚敏"}
)

// planFood draws a product complaint (第二篇): classified and approved, handed over to
// the responsible department within the hour (4.4), solved with the compensation its
// class allows (9.2), closed once QC has checked the corrective action (7.4). Some are
// judged not valid (4.1.1); batch complaints of more than 20 boxes are class A
// (10.1.1.1 g); A-class consolation needs the company's approval (9.2.1).
func planFood(pl *planner, t0 time.Time) {
	g := pl.g
	var cat, class string
	switch r := g.rng.IntN(100); {
	case r < 30:
		cat, class = pick(g, foodClassA), "A"
	case r < 60:
		cat, class = pick(g, foodClassB), "B"
	case r < 92:
		cat, class = pick(g, foodClassC), "C"
	default:
		cat, class = "service", "service"
	}
	ch := pick(g, foodChannels)
	attribution := "consumer"
	if ch == "dealer" || ch == "salesperson" {
		attribution = "channel"
	}
	product := pick(g, foodProducts)
	boxes := 0
	if attribution == "channel" {
		boxes = 2 + g.rng.IntN(15)
		if class == "A" && g.chance(40) {
			boxes = 21 + g.rng.IntN(60)
		}
	}
	batch := fmt.Sprintf("%s-%02d", t0.AddDate(0, 0, -2-g.rng.IntN(5)).Format("20060102"), 1+g.rng.IntN(4))
	topic := foodTopics[cat]
	sets := []cases.Set{kv("complainant.name", g.person()), kv("complainant.phone", g.phone()), kv("product", product)}
	if boxes > 0 {
		sets = append(sets, kv("boxes", boxes))
	}
	body := fmt.Sprintf("## 投诉内容\n\n%s（产品：%s）\n", topic[1], product)
	clerkA := g.clerkOf("food")
	pl.register(clerkA, clerk.NewCase{Policy: "food", Title: topic[0], Channel: ch, Category: cat, ReceivedAt: t0, Sets: sets, Body: body})

	// 4.1.1: not a valid complaint.
	if g.chance(8) {
		pl.move(pl.within(time.Duration(1+g.rng.IntN(4))*time.Hour), clerkA, "invalid",
			[]cases.Set{kv("invalid_reason", pick(g, []string{"产品已过保质期，属顾客保存不当", "经核实非本公司产品", "顾客无法提供购买凭证和实物，无法查证"}))}, "")
		return
	}
	dept := pick(g, foodDepts)
	if attribution == "channel" {
		dept = "营销部" // 10.1.2
	}
	at := pl.within(time.Duration(1+g.rng.IntN(5)) * time.Hour)
	s := []cases.Set{kv("department", dept), kv("attribution", attribution), kv("verified", true)}
	s = append(s, approval("dispatch_approval", "生产经理 廖军", at.Add(-5*time.Minute), "同意传递"+dept)...)
	if class == "A" || boxes > 20 {
		s = append(s, kv("batch_number", batch))
	}
	if ch == "authority" || ch == "consumer_association" {
		s = append(s, kv("sales_manager_notified_at", ts(at.Add(-20*time.Minute))))
	}
	pl.move(at, clerkA, "approved", s, "")
	// 4.4: within the hour, or, now and then, not.
	hand := pl.soon(time.Duration(10+g.rng.IntN(40)) * time.Minute)
	if g.chance(10) {
		hand = pl.soon(time.Duration(70+g.rng.IntN(120)) * time.Minute)
	}
	pl.move(hand, clerkA, "handed_over", nil, "记录单已传递"+dept)

	ratio := map[string]int{"A": 10, "B": 2, "C": 1}[class]
	cause := pick(g, []string{"manufacturing", "manufacturing", "transport_storage", "design", "consumer_handling"})
	if cat == "adverse_reaction" {
		cause = "adverse_reaction"
	}
	at = pl.within(days(1 + 3*g.rng.Float64()))
	rs := []cases.Set{kv("cause", cause), kv("satisfaction", pick(g, []string{"satisfied", "satisfied", "basically_satisfied", "dissatisfied"}))}
	result := "上门向顾客致歉并调换产品。"
	if ratio > 0 {
		rs = append(rs, kv("compensation_ratio", ratio))
		result = fmt.Sprintf("按1:%d赠送同类产品并致歉。", ratio)
	}
	if class == "A" && (cat == "adverse_reaction" || g.chance(30)) {
		// 9.2.1: medical costs and a consolation gift, with the company's consent.
		harm := "minor"
		rs = append(rs, kv("health_harm", harm), kv("consolation_gift", "慰问品一份"))
		if cat == "adverse_reaction" {
			rs = append(rs, kv("medical_cost", 200+g.rng.IntN(800)))
		}
		rs = append(rs, approval("company_approval", "总经理 秦海", at.Add(-2*time.Hour), "同意支付医疗检查费用并送慰问品")...)
		result += "支付医疗检查费用，送慰问品。"
	}
	pl.move(at, g.clerkOf("food"), "resolved", rs, "", section{"处理结果", result})
	pl.move(pl.within(days(2+5*g.rng.Float64())), g.clerkOf("food"), "closed", []cases.Set{kv("capa_verified_by", pick(g, foodQC))}, "",
		section{"纠正预防措施", pick(g, []string{"包装工序加戴发帽，质检部每周抽查。", "调整封口机温度，每班首检。", "冷链车辆加装温度记录仪。", "煮浆工序增加过滤，班前检查设备。"})})
}
