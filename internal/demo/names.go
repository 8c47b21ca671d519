package demo

import (
	"fmt"

	"github.com/casebook/casebook/internal/repo"
)

// admin set up the repository.
var admin = repo.Identity{Name: "信息科 刘洋", Email: "liuyang@example.cn"}

// staff are the clerks of each office: they register and move the cases, so they are
// the commit authors.
var staff = map[string][]repo.Identity{
	"bank": {
		{Name: "赵敏", Email: "zhaomin@example.cn"},
		{Name: "钱立新", Email: "qianlixin@example.cn"},
		{Name: "孙悦", Email: "sunyue@example.cn"},
		{Name: "李娜", Email: "lina@example.cn"},
	},
	"food": {
		{Name: "周强", Email: "zhouqiang@example.cn"},
		{Name: "吴芳", Email: "wufang@example.cn"},
		{Name: "郑浩", Email: "zhenghao@example.cn"},
	},
	"hotline": {
		{Name: "王静", Email: "wangjing@example.cn"},
		{Name: "冯磊", Email: "fenglei@example.cn"},
		{Name: "陈晨", Email: "chenchen@example.cn"},
	},
	"internet": {
		{Name: "褚涛", Email: "chutao@example.cn"},
		{Name: "卫琳", Email: "weilin@example.cn"},
		{Name: "蒋鹏", Email: "jiangpeng@example.cn"},
	},
	"tendering": {
		{Name: "沈洁", Email: "shenjie@example.cn"},
		{Name: "韩冰", Email: "hanbing@example.cn"},
		{Name: "杨帆", Email: "yangfan@example.cn"},
		{Name: "朱晓峰", Email: "zhuxiaofeng@example.cn"},
	},
}

// clerkOf picks one of the office's clerks.
func (g *gen) clerkOf(policy string) repo.Identity { return pick(g, staff[policy]) }

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"}

var given = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "建华", "玉兰", "志强", "海燕", "红梅", "晓东", "文博"}

// person draws a full name. Complainants and respondents come from the same pool as
// each other but never match the office's clerks, whose names are fixed above.
func (g *gen) person() string { return pick(g, surnames) + pick(g, given) }

// phone draws a mobile number.
func (g *gen) phone() string {
	return fmt.Sprintf("1%d%d%08d", pick(g, []int{3, 5, 8}), g.rng.IntN(10), g.rng.IntN(100000000))
}

// landline draws an office telephone of the region.
func (g *gen) landline(area string) string {
	return fmt.Sprintf("%s-%07d", area, 2000000+g.rng.IntN(7000000))
}
