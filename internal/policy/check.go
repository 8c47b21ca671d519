package policy

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must load the same on every machine, including ones without zoneinfo

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/policies"
)

var (
	policyIDPattern = regexp.MustCompile(`^[a-z0-9_-]+$`)
	prefixPattern   = regexp.MustCompile(`^[A-Z][A-Z0-9]*$`)
	// Vocabulary ids (states, categories, rules ...) appear in case files
	// and command lines; keep them to one unquoted word.
	vocabPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	// Field names must be identifiers of the rule language.
	fieldPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	// A closing time may also be 24:00, as a period's end may.
	closePattern = regexp.MustCompile(`^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$`)
)

// reservedNames are environment names the rule language defines itself, and
// its keywords; a field with such a name could not be used in a condition.
var reservedNames = []string{
	envHas, envLate, envMet, envEntered, envEscalated, envCategoryClass, envChannelClass,
	"and", "or", "not", "in", "matches", "contains", "startsWith", "endsWith",
	"true", "false", "nil", "let", "if", "else",
}

// checker runs the semantic checks of one policy in a fixed order: a check
// may rely on the vocabularies checked before it.
type checker struct {
	d     *doc
	p     *Policy
	conds []cond // conditions to compile once all fields are known
}

// cond is one condition found in the policy and where it is.
type cond struct {
	src   string
	node  *yaml.Node
	where msg.Text // e.g. `rule "x" require`
}

func check(d *doc, p *Policy) {
	c := &checker{d: d, p: p}
	c.header()
	c.states()
	c.choices("classes", p.Classes, false)
	c.choices("categories", p.Categories, true)
	c.choices("channels", p.Channels, true)
	c.fields()
	c.transitions()
	c.requirements()
	c.deadlines()
	c.escalations()
	c.rules()
	c.recusal()
	c.forms()
	c.reports()
	c.corrections()
	c.compile()
	c.builtinReportsFallback()
}

// add records a problem at path. A problem with a whole list or mapping
// lands on its key's line rather than on its first entry.
func (c *checker) add(path []any, fix, format msg.Text, args ...any) {
	n := c.d.at(path...)
	if len(path) > 0 && n.Kind != 0 && n.Kind != yaml.ScalarNode {
		if _, ok := path[len(path)-1].(string); ok {
			if k, found := c.d.walk(true, path); found {
				n = k
			}
		}
	}
	c.d.add(n, fix, format, args...)
}

func (c *checker) header() {
	p := c.p
	switch {
	case p.ID == "":
		c.add([]any{"id"}, msg.T("在文件开头加上 id: <小写的词>", "add `id: <lower-case word>` at the top"), msg.T("政策没有 id", "the policy has no id"))
	case !policyIDPattern.MatchString(p.ID):
		c.add([]any{"id"}, msg.T("只用小写字母、数字、_ 和 -", "use lower-case letters, digits, _ and -"), msg.T("政策 id %q 不是小写的 [a-z0-9_-]", "policy id %q is not lower-case [a-z0-9_-]"), p.ID)
	}
	switch {
	case p.Prefix == "":
		c.add([]any{"prefix"}, msg.T("加上 prefix: <大写的词>；新案件的编号是 <PREFIX>-<YYYY>-<NNNN>", "add `prefix: <UPPER-CASE word>`; new case ids are <PREFIX>-<YYYY>-<NNNN>"), msg.T("政策没有编号前缀（prefix）", "the policy has no prefix"))
	case !prefixPattern.MatchString(p.Prefix):
		c.add([]any{"prefix"}, msg.T("只用大写字母和数字，如 BANK", "use upper-case letters and digits, e.g. BANK"), msg.T("编号前缀 %q 不是大写", "prefix %q is not upper-case"), p.Prefix)
	}
	if p.Name.Zh == "" {
		c.add([]any{"name"}, msg.T("加上 name: {zh: ..., en: ...}", "add `name: {zh: ..., en: ...}`"), msg.T("政策没有中文名称（name.zh）", "the policy has no Chinese name (name.zh)"))
	}
	for _, k := range []struct{ key, value string }{{"office", p.Office}, {"office_placeholder", p.OfficePlaceholder}} {
		if problem := officeNameProblem(k.value); problem != (msg.Text{}) {
			c.add([]any{k.key}, msg.T("把名称写在一行里，如 office: 城关农商银行监察室", "write the name on one line, e.g. `office: 城关农商银行监察室`"), problem, k.key, k.value)
		}
	}
	tz := p.Timezone
	if tz == "" {
		tz = DefaultTimezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		c.add([]any{"timezone"}, msg.T("用 IANA 时区名，如 Asia/Shanghai", "use an IANA time zone name such as Asia/Shanghai"), msg.T("不认识的时区 %q", "unknown time zone %q"), tz)
		loc, _ = time.LoadLocation(DefaultTimezone)
	}
	p.Location = loc
	p.LateEntryWindow = DefaultLateEntry
	if p.LateEntry != "" {
		if w, err := lateEntryWindow(p.LateEntry); err != nil {
			c.add([]any{"late_entry"}, msg.T(`写一段钟表时长，如 "72 hours"、"3 days" 或 "90 minutes"`, `write a wall-clock length, e.g. "72 hours", "3 days" or "90 minutes"`), msg.T("late_entry：%v", "late_entry: %v"), err)
		} else {
			p.LateEntryWindow = w
		}
	}
	if bh := p.BusinessHours; bh != nil {
		c.businessHours([]any{"business_hours"}, "business_hours", *bh)
	}
	for _, name := range slices.Sorted(maps.Keys(p.Hours)) {
		at := []any{"hours", name}
		if name == HoursNone || !vocabPattern.MatchString(name) {
			c.add(at, msg.T("换一个不是 none 的单词，如 daytime", "choose a one-word name other than none, e.g. daytime"), msg.T("hours %q：不能用作名字", "hours %q: not a usable name"), name)
		}
		c.businessHours(at, "hours."+name, p.Hours[name])
	}
	for _, list := range []struct {
		key  string
		days []CalendarDay
	}{{"holidays", p.Calendar.Holidays}, {"workdays", p.Calendar.Workdays}} {
		seen := map[string]bool{}
		for i, day := range list.days {
			if _, err := time.Parse(time.DateOnly, day.Date); err != nil {
				c.add([]any{"calendar", list.key, i, "date"}, msg.T("日期写成 YYYY-MM-DD", "write the date as YYYY-MM-DD"), msg.T("calendar.%s：%q 不是日期", "calendar.%s: %q is not a date"), list.key, day.Date)
			} else if seen[day.Date] {
				c.add([]any{"calendar", list.key, i, "date"}, msg.T("删除重复的日期", "remove the repeated date"), msg.T("calendar.%s：%s 写了两次", "calendar.%s: %s is listed twice"), list.key, day.Date)
			}
			seen[day.Date] = true
		}
	}
	for i, day := range p.Calendar.Workdays {
		if slices.ContainsFunc(p.Calendar.Holidays, func(h CalendarDay) bool { return h.Date == day.Date }) {
			c.add([]any{"calendar", "workdays", i, "date"}, msg.T("这个日期只留在两个列表中的一个里", "keep the date in one of the two lists"), msg.T("calendar：%s 既是假日又是上班日", "calendar: %s is both a holiday and a working day"), day.Date)
		}
	}
}

func (c *checker) states() {
	p := c.p
	if len(p.States) == 0 {
		c.add([]any{"states"}, msg.T("在 states: 下列出办理流程的状态", "list the states of the procedure under states:"), msg.T("政策没有状态（states）", "the policy has no states"))
		return
	}
	seen := map[string]int{}
	var initial []int
	terminal := 0
	for i, s := range p.States {
		at := []any{"states", i, "id"}
		switch {
		case s.ID == "":
			c.add(at, msg.T("给状态一个 id", "give the state an id"), msg.T("第 %d 个状态没有 id", "state %d has no id"), i+1)
		case s.ID == "*" || s.ID == "open":
			c.add(at, anotherIDFix, msg.T("%q 不能用作状态 id：流转用它表示一组状态", "%q cannot be a state id: transitions use it for a group of states"), s.ID)
		case !vocabPattern.MatchString(s.ID):
			c.add(at, oneWordFix, msg.T("状态 id %q 不是一个词", "state id %q is not one word"), s.ID)
		}
		if j, dup := seen[s.ID]; dup && s.ID != "" {
			c.add(at, msg.T("每个状态用自己的 id", "give each state its own id"), msg.T("状态 %q 声明了两次（另一次是第 %d 个状态）", "state %q is declared twice (also state %d)"), s.ID, j+1)
		}
		seen[s.ID] = i
		if s.Initial {
			initial = append(initial, i)
		}
		if s.Terminal {
			terminal++
			if s.Initial {
				c.add([]any{"states", i}, msg.T("案件要能离开它的第一个状态", "a case must be able to leave its first state"), msg.T("状态 %q 既是初始状态又是终止状态", "state %q is both initial and terminal"), s.ID)
			}
		}
	}
	switch {
	case len(initial) == 0:
		c.add([]any{"states"}, msg.T("给新案件开始时的状态加上 initial: true", "mark the state new cases start in with `initial: true`"), msg.T("没有初始状态", "no state is initial"))
	case len(initial) > 1:
		for _, i := range initial[1:] {
			c.add([]any{"states", i, "initial"}, msg.T("只在一个状态上写 initial: true", "keep `initial: true` on one state"), msg.T("状态 %q 是初始状态，%q 也是：只能有一个初始状态", "state %q is initial, but so is %q: exactly one state must be"), p.States[i].ID, p.States[initial[0]].ID)
		}
	}
	if terminal == 0 {
		c.add([]any{"states"}, msg.T("给结束案件的状态加上 terminal: true", "mark the states that end a case with `terminal: true`"), msg.T("没有终止状态", "no state is terminal"))
	}
}

// choices checks a vocabulary. Category and channel classes must be
// declared under classes: when the policy has any.
func (c *checker) choices(key string, list []Choice, classed bool) {
	if classed && len(list) == 0 {
		c.add([]any{key}, msg.T("在 %s: 下至少列出一项", "list at least one entry under %s:").Sprintf(key), msg.T("政策没有 %s", "the policy has no %s"), key)
	}
	seen := map[string]int{}
	for i, ch := range list {
		at := []any{key, i, "id"}
		switch {
		case ch.ID == "":
			c.add(at, msg.T("给它一个 id", "give it an id"), msg.T("%s 的第 %d 项没有 id", "%s entry %d has no id"), key, i+1)
		case !vocabPattern.MatchString(ch.ID):
			c.add(at, oneWordFix, notOneWordMsg, key, ch.ID)
		}
		if j, dup := seen[ch.ID]; dup && ch.ID != "" {
			c.add(at, msg.T("每项用自己的 id", "give each entry its own id"), msg.T("%s 的 id %q 声明了两次（另一次是第 %d 项）", "%s id %q is declared twice (also entry %d)"), key, ch.ID, j+1)
		}
		seen[ch.ID] = i
		if ch.Class != "" {
			if !classed {
				c.add([]any{key, i, "class"}, msg.T("删除这里的 class:", "remove class: here"), msg.T("类别本身不能再有类别", "a class cannot itself have a class"))
			} else if len(c.p.Classes) > 0 {
				if _, ok := c.p.Class(ch.Class); !ok {
					c.add([]any{key, i, "class"}, oneOf(choiceIDs(c.p.Classes)), msg.T("%s %q 的类别 %q 没有在 classes 下声明", "%s %q has class %q, which is not declared under classes"), key, ch.ID, ch.Class)
				}
			}
		}
	}
}

// fields checks the declared fields and merges them with the core fields,
// leaving p.Fields complete.
func (c *checker) fields() {
	p := c.p
	core := coreFields(p)
	declared := p.Fields
	seen := map[string]int{}
	var own []Field
	for i := range declared {
		f := &declared[i]
		at := []any{"fields", i}
		if j, dup := seen[f.Name]; dup && f.Name != "" {
			c.add(append(at, "name"), msg.T("每个字段只声明一次", "declare each field once"), msg.T("字段 %q 声明了两次（另一次是第 %d 个字段）", "field %q is declared twice (also field %d)"), f.Name, j+1)
			continue
		}
		seen[f.Name] = i
		if slices.Contains(reservedNames, f.Name) {
			c.add(append(at, "name"), anotherNameFix, msg.T("%q 不能用作字段名：规则语言要用它", "%q cannot be a field name: the rule language uses it"), f.Name)
			continue
		}
		k := slices.IndexFunc(core, func(cf Field) bool { return cf.Name == f.Name })
		if k < 0 {
			c.field(f, nil, at, "", false)
			own = append(own, *f)
			continue
		}
		switch f.Name {
		case FieldID, FieldPolicy, FieldTitle, FieldStatus, FieldReceivedAt, FieldChannel, FieldCategory:
			if f.Confidential {
				c.add(append(at, "confidential"), msg.T("删除 confidential:（列表、统计和公开版网站都由它构成）", "remove confidential: (the lists, the statistics and the public build are made of it)"),
					msg.T("核心字段 %q 不能设为保密", "core field %q cannot be confidential"), f.Name)
				f.Confidential = false
			}
		}
		switch f.Name {
		case FieldStatus, FieldChannel, FieldCategory:
			if len(f.Values) > 0 {
				c.add(append(at, "values"), msg.T("删除 values:，改为修改 %s", "remove values: and edit %s instead").Sprintf(map[string]string{FieldStatus: "states:", FieldChannel: "channels:", FieldCategory: "categories:"}[f.Name]),
					msg.T("核心字段 %q 的取值来自政策的词表", "the values of core field %q come from the policy's vocabulary"), f.Name)
				f.Values = nil
			}
		}
		c.field(f, &core[k], at, "", false)
		core[k] = mergeField(core[k], *f)
	}
	p.Fields = append(core, own...)
	for i := range p.Fields {
		inheritPII(&p.Fields[i], false)
		inheritConfidential(&p.Fields[i], false)
	}
}

// field checks one declared field (at path in the YAML, named parent.name)
// and normalises it: default types, default sub-fields of person and
// approval fields. base is the core field it redeclares, if any.
func (c *checker) field(f *Field, base *Field, at []any, parent string, parentIsList bool) {
	name := f.Name
	if parent != "" {
		name = parent + "." + f.Name
	}
	switch {
	case f.Name == "":
		c.add(at, msg.T("加上 name:", "add name:"), msg.T("%s 里有一个字段没有名字", "a field in %s has no name"), show(parent))
	case !fieldPattern.MatchString(f.Name):
		c.add(append(at, "name"), msg.T("只用字母、数字和 _，以字母开头", "use letters, digits and _, starting with a letter"), msg.T("字段名 %q 不是标识符", "field name %q is not an identifier"), name)
	case slices.Contains(reservedNames[4:], f.Name):
		c.add(append(at, "name"), anotherNameFix, msg.T("%q 不能用作字段名：它是规则语言的关键字", "%q cannot be a field name: it is a keyword of the rule language"), name)
	}
	if base != nil {
		if f.Type == "" {
			f.Type = base.Type
		}
		if f.Type != base.Type {
			c.add(append(at, "type"), msg.T("删除 type:，或写 type: %s", "remove type: or write type: %s").Sprintf(base.Type), msg.T("核心字段 %q 的类型是 %s，不是 %s", "core field %q has type %s, not %s"), name, base.Type, f.Type)
			f.Type = base.Type
		}
		if f.Items == "" {
			f.Items = base.Items
		}
	}
	if f.Type == "" {
		f.Type = TypeString
	}
	if !validType(f.Type) {
		c.add(append(at, "type"), oneOf(typeNames()), msg.T("字段 %q 的类型 %q 不认识", "field %q has unknown type %q"), name, f.Type)
		return
	}
	kind := f.Type
	if f.Type == TypeList {
		if f.Items == "" {
			f.Items = TypeString
		}
		switch {
		case !validType(f.Items):
			c.add(append(at, "items"), oneOf(typeNames()), msg.T("列表字段 %q 的项类型 %q 不认识", "list field %q has unknown item type %q"), name, f.Items)
			return
		case f.Items == TypeList:
			c.add(append(at, "items"), msg.T("改用对象列表", "use a list of objects instead"), msg.T("列表字段 %q 的项不能是列表", "list field %q cannot hold lists"), name)
			return
		}
		kind = f.Items
	} else if f.Items != "" && (base == nil || base.Items == "") {
		c.add(append(at, "items"), msg.T("删除 items:，或写 type: list", "remove items: or write type: list"), msg.T("字段 %q 有 items:，但不是列表", "field %q has items: but is not a list"), name)
	}
	if kind == TypeEnum {
		if len(f.Values) == 0 && (base == nil || len(base.Values) == 0) {
			c.add(at, msg.T("在 values: 下列出可选的值", "list the allowed values under values:"), msg.T("选项字段 %q 没有可选的值", "enum field %q has no values"), name)
		}
		seen := map[string]bool{}
		for i, v := range f.Values {
			switch {
			case v.ID == "":
				c.add(append(at, "values", i), msg.T("给这个值一个 id", "give the value an id"), msg.T("字段 %[2]q 的第 %[1]d 个值没有 id", "value %d of field %q has no id"), i+1, name)
			case seen[v.ID]:
				c.add(append(at, "values", i, "id"), msg.T("每个值只列一次", "list each value once"), msg.T("字段 %[2]q 的值 %[1]q 列了两次", "value %q of field %q is listed twice"), v.ID, name)
			}
			seen[v.ID] = true
		}
	} else if len(f.Values) > 0 {
		c.add(append(at, "values"), msg.T("删除 values:，或写 type: enum", "remove values: or write type: enum"), msg.T("字段 %q 有 values，但类型是 %s", "field %q has values but is of type %s"), name, f.Type)
	}
	objectLike := kind == TypeObject || kind == TypePerson || kind == TypeApproval
	switch {
	case objectLike && kind == TypeObject && len(f.Fields) == 0 && (base == nil || len(base.Fields) == 0):
		c.add(at, msg.T("在 fields: 下声明它的子字段", "declare its sub-fields under fields:"), msg.T("对象字段 %q 没有子字段", "object field %q has no fields"), name)
	case !objectLike && len(f.Fields) > 0:
		c.add(append(at, "fields"), msg.T("删除 fields:，或改用 type: object", "remove fields: or use type object"), msg.T("字段 %q 有子字段，但类型是 %s", "field %q has sub-fields but is of type %s"), name, f.Type)
	}
	if f.Min != nil || f.Max != nil {
		switch {
		case kind != TypeNumber && kind != TypeInt && kind != TypeMoney:
			c.add(at, msg.T("删除 min:/max:", "remove min:/max:"), msg.T("字段 %q 有 min/max，但类型是 %s", "field %q has min/max but is of type %s"), name, f.Type)
		case f.Min != nil && f.Max != nil && *f.Min > *f.Max:
			c.add(append(at, "min"), msg.T("把两者对调", "swap them"), msg.T("字段 %q 的 min %v 大于 max %v", "field %q has min %v above max %v"), name, *f.Min, *f.Max)
		}
	}
	for i, s := range f.RequiredIn {
		if _, ok := c.p.State(s); !ok {
			c.add(append(at, "required_in", i), oneOf(stateIDs(c.p.States)), msg.T("字段 %q 在状态 %q 下必填，但这个状态没有声明", "field %q is required in state %q, which is not declared"), name, s)
		}
	}
	if f.RequiredWhen != "" {
		if len(f.RequiredIn) == 0 && (base == nil || len(base.RequiredIn) == 0) {
			c.add(append(at, "required_when"), msg.T("加上 required_in: [状态]，说明条件在哪些状态下适用", "add required_in: [states] to say where the condition applies"), msg.T("字段 %q 有 required_when，但没有 required_in", "field %q has required_when but no required_in"), name)
		}
		c.conds = append(c.conds, cond{src: f.RequiredWhen, node: c.d.at(append(at, "required_when")...), where: msg.T("字段 %q 的 required_when", "field %q required_when").Sprintf(name)})
	}
	seen := map[string]bool{}
	for i := range f.Fields {
		sf := &f.Fields[i]
		if seen[sf.Name] && sf.Name != "" {
			c.add(append(at, "fields", i, "name"), msg.T("每个子字段只声明一次", "declare each sub-field once"), msg.T("字段 %q 把子字段 %q 声明了两次", "field %q declares sub-field %q twice"), name, sf.Name)
		}
		seen[sf.Name] = true
		var sbase *Field
		if base != nil {
			if k := slices.IndexFunc(base.Fields, func(b Field) bool { return b.Name == sf.Name }); k >= 0 {
				sbase = &base.Fields[k]
			}
		}
		c.field(sf, sbase, append(slices.Clone(at), "fields", i), name, f.Type == TypeList)
	}
	if base == nil && (kind == TypePerson || kind == TypeApproval) {
		f.Fields = mergeFields(defaultSubFields(kind, f.PII), f.Fields)
	}
}

// inheritPII marks every sub-field of a personal-data field as personal.
func inheritPII(f *Field, parent bool) {
	f.PII = f.PII || parent
	for i := range f.Fields {
		inheritPII(&f.Fields[i], f.PII)
	}
}

// inheritConfidential marks the sub-fields of a confidential field
// confidential, as inheritPII does for personal data.
func inheritConfidential(f *Field, parent bool) {
	f.Confidential = f.Confidential || parent
	for i := range f.Fields {
		inheritConfidential(&f.Fields[i], f.Confidential)
	}
}

func validType(t FieldType) bool {
	return slices.Contains(fieldTypes, t)
}

var fieldTypes = []FieldType{TypeString, TypeText, TypeNumber, TypeInt, TypeMoney, TypeDate, TypeDateTime,
	TypeEnum, TypeBool, TypeList, TypeObject, TypePerson, TypeApproval}

func typeNames() string {
	s := make([]string, len(fieldTypes))
	for i, t := range fieldTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func (c *checker) transitions() {
	p := c.p
	if len(p.Transitions) == 0 {
		c.add([]any{"transitions"}, msg.T("在 transitions: 下列出允许的流转", "list the allowed moves under transitions:"), msg.T("政策没有流转（transitions）", "the policy has no transitions"))
	}
	for i, t := range p.Transitions {
		at := []any{"transitions", i}
		if t.To == "" {
			c.add(at, msg.T("加上 to: <状态>", "add to: <state>"), msg.T("第 %d 个流转没有 to:", "transition %d has no to:"), i+1)
		} else if _, ok := p.State(t.To); !ok {
			c.add(append(at, "to"), oneOf(stateIDs(p.States)), msg.T("流转到不认识的状态 %q", "transition to unknown state %q"), t.To)
		}
		if len(t.From) == 0 {
			c.add(at, msg.T(`加上 from: [状态]（或 ["*"] 表示任何状态，[open] 表示任何未结状态）`, `add from: [states] (or ["*"] for any state, [open] for any open state)`), msg.T("第 %d 个流转（到 %q）没有 from:", "transition %d to %q has no from:"), i+1, t.To)
		}
		fromTerminal := false
		for j, f := range t.From {
			if f == "*" || f == "open" {
				continue
			}
			s, ok := p.State(f)
			if !ok {
				c.add(append(at, "from", j), msg.T("用其中之一：%s，* 或 open", "use one of: %s, * or open").Sprintf(stateIDs(p.States)), msg.T("从不认识的状态 %q 流转", "transition from unknown state %q"), f)
				continue
			}
			if f == t.To {
				c.add(append(at, "from", j), msg.T("删除它", "remove it"), msg.T("从 %q 流转到它自己", "transition from %q to itself"), f)
			}
			fromTerminal = fromTerminal || s.Terminal
		}
		switch {
		case fromTerminal && !t.Reopen:
			c.add(at, msg.T("如果这个流转是重开已结的案件，加上 reopen: true", "add `reopen: true` if this move reopens a closed case"), msg.T("到 %q 的流转离开终止状态，但没有标 reopen", "transition to %q leaves a terminal state but is not marked reopen"), t.To)
		case t.Reopen && !fromTerminal:
			c.add(append(at, "reopen"), msg.T("在 from: 里列出它重开的终止状态，或删除 reopen:", "list the terminal states it reopens in from:, or remove reopen:"), msg.T("到 %q 的流转标了 reopen，但不离开任何终止状态", "transition to %q is marked reopen but leaves no terminal state"), t.To)
		}
		if t.When != "" {
			c.conds = append(c.conds, cond{src: t.When, node: c.d.at(append(at, "when")...), where: msg.T("到 %q 的流转的 when", "transition to %q when").Sprintf(t.To)})
		}
	}
}

func (c *checker) requirements() {
	p := c.p
	keys := make([]string, 0, len(p.Requirements))
	for k := range p.Requirements {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, state := range keys {
		r := p.Requirements[state]
		if _, ok := p.State(state); !ok {
			c.d.add(c.d.keyAt("requirements", state), oneOf(stateIDs(p.States)), msg.T("不认识的状态 %q 的要求", "requirements for unknown state %q"), state)
		}
		at := []any{"requirements", state}
		where := msg.T("状态 %q 的要求", "requirements of %q").Sprintf(state)
		c.paths(append(at, "fields"), r.Fields, where)
		c.paths(append(at, "approvals"), r.Approvals, where)
		for i, a := range r.Approvals {
			if f, ok := p.Field(a); ok && f.Type != TypeApproval {
				c.add(append(at, "approvals", i), msg.T("把它列在 fields: 下，或用 type: approval 声明它", "list it under fields:, or declare it with type: approval"), msg.T("状态 %[2]q 的要求里的审批 %[1]q 是 %[3]s 字段，不是审批", "approval %q in requirements of %q is a %s field, not an approval"), a, state, f.Type)
			}
		}
		c.sections(append(at, "sections"), r.Sections)
	}
}

// paths checks that every entry names a declared field ("complainant.phone").
func (c *checker) paths(at []any, paths []string, where msg.Text) {
	for i, path := range paths {
		if _, ok := c.p.Field(path); !ok {
			c.add(append(slices.Clone(at), i), c.fieldFix(path), undeclaredMsg, where, path)
		}
	}
}

var undeclaredMsg = msg.T("%s：字段 %q 没有声明", "%s: field %q is not declared")

// fieldFix suggests a declared field for a mistyped path.
func (c *checker) fieldFix(path string) msg.Text {
	if best := closest(path, c.p.fieldPaths()); best != "" {
		return msg.T("是不是要写 %q？不是的话，在 fields: 下声明它", "did you mean %q? otherwise declare it under fields:").Sprintf(best)
	}
	return msg.T("在 fields: 下声明它，或改正名字", "declare it under fields:, or correct the name")
}

func (c *checker) sections(at []any, sections []string) {
	seen := map[string]bool{}
	for i, s := range sections {
		switch {
		case strings.TrimSpace(s) == "":
			c.add(append(slices.Clone(at), i), msg.T("写出小节的标题", "write the heading text of the section"), msg.T("小节名是空的", "empty section name"))
		case seen[s]:
			c.add(append(slices.Clone(at), i), msg.T("每个小节只列一次", "list each section once"), msg.T("小节 %q 列了两次", "section %q is listed twice"), s)
		}
		seen[s] = true
	}
}

// states checks that every entry of a list names a declared state.
func (c *checker) stateList(at []any, states []string, what msg.Text) {
	for i, s := range states {
		if _, ok := c.p.State(s); !ok {
			c.add(append(slices.Clone(at), i), oneOf(stateIDs(c.p.States)), msg.T("%s：不认识的状态 %q", "%s: unknown state %q"), what, s)
		}
	}
}

func (c *checker) deadlines() {
	p := c.p
	open := map[string]int{} // rule id → index of an alternative without when
	for i, r := range p.Deadlines {
		at := []any{"deadlines", i}
		what := msg.T("期限规则 %q", "deadline %q").Sprintf(r.ID)
		switch {
		case r.ID == "":
			c.add(at, addIDFix, msg.T("第 %d 个期限规则没有 id", "deadline %d has no id"), i+1)
		case !vocabPattern.MatchString(r.ID):
			c.add(append(at, "id"), oneWordFix, msg.T("期限规则 id %q 不是一个词", "deadline id %q is not one word"), r.ID)
		}
		if j, ok := open[r.ID]; ok {
			c.add(at, msg.T("给第 %d 个期限规则加上 when:，或把这一个移到它前面", "give deadline %d a when:, or move this one before it").Sprintf(j+1), msg.T("%s：这一种情形永远用不上：前面的一种（第 %d 个期限规则）没有 when，总是适用", "%s: this alternative is never used: an earlier one (deadline %d) has no when and always applies"), what, j+1)
		}
		if r.When == "" {
			open[r.ID] = i
		} else {
			c.conds = append(c.conds, cond{src: r.When, node: c.d.at(append(at, "when")...), where: cat(what, " 的 when", " when")})
		}
		if r.Duration == "" {
			c.add(at, msg.T(`加上 duration: "<数> <单位>"，如 "3 working_days"`, `add duration: "<N> <unit>", e.g. "3 working_days"`), msg.T("%s 没有时限（duration）", "%s has no duration"), what)
		} else if err := checkDuration(r.Duration); err != nil {
			c.add(append(at, "duration"), durationFix, msg.T("%s 的 duration：%v", "%s duration: %v"), what, err)
		}
		n := 0
		if r.Start.Received {
			n++
		}
		if r.Start.State != "" {
			n++
			if _, ok := p.State(r.Start.State); !ok {
				c.add(append(at, "start", "state"), oneOf(stateIDs(p.States)), msg.T("%s 从不认识的状态 %q 开始", "%s starts in unknown state %q"), what, r.Start.State)
			}
		}
		if r.Start.Field != "" {
			n++
			c.datetimeField(append(at, "start", "field"), r.Start.Field, cat(what, " 的 start", " start"))
		}
		if n != 1 {
			c.add(append(at, "start"), msg.T("start.received: true、start.state、start.field 三者只设一个", "set exactly one of start.received: true, start.state or start.field"), msg.T("%s 只能有一种开始方式，现在有 %d 种", "%s must start in exactly one way, has %d"), what, n)
		}
		c.stateList(append(at, "stop"), r.Stop, cat(what, " 的 stop", " stop"))
		if r.StopField != "" {
			c.datetimeField(append(at, "stop_field"), r.StopField, cat(what, " 的 stop_field", " stop_field"))
		}
		if len(r.Stop) == 0 && r.StopField == "" && r.Report == nil {
			c.add(at, msg.T("加上 stop: [状态] 或 stop_field:", "add stop: [states] or stop_field:"), msg.T("%s 永远不会停止", "%s never stops"), what)
		}
		c.stateList(append(at, "pause_in"), r.PauseIn, cat(what, " 的 pause_in", " pause_in"))
		if _, ok := p.Hours[r.Hours]; r.Hours != "" && r.Hours != HoursNone && !ok {
			names := append(slices.Sorted(maps.Keys(p.Hours)), HoursNone)
			c.add(append(at, "hours"), oneOf(strings.Join(names, ", ")), msg.T("%s：hours: 下没有 %q", "%s: no hours %q under hours:"), what, r.Hours)
		}
		for _, w := range []struct{ key, v string }{{"warn_after", r.WarnAfter}, {"warn_before", r.WarnBefore}} {
			if w.v == "" {
				continue
			}
			if err := checkDuration(w.v); err != nil {
				c.add(append(at, w.key), durationFix, msg.T("%s 的 %s：%v", "%s %s: %v"), what, w.key, err)
			}
		}
		if r.WarnAfter != "" && r.WarnBefore != "" {
			c.add(append(at, "warn_before"), msg.T("warn_after 和 warn_before 只留一个", "keep one of warn_after and warn_before"), msg.T("%s 同时设了 warn_after 和 warn_before", "%s sets both warn_after and warn_before"), what)
		}
		if r.Extension != nil && r.Extension.Max != "" {
			if err := checkDuration(r.Extension.Max); err != nil {
				c.add(append(at, "extension", "max"), durationFix, msg.T("%s 的延期上限（extension max）：%v", "%s extension max: %v"), what, err)
			}
		}
		c.duty(at, r, what)
	}
}

// checkDuration accepts exactly what calendar.ParsePeriod accepts, by
// asking it: one reader of the format.
func checkDuration(s string) error {
	_, err := calendar.ParsePeriod(s)
	return err
}

// businessHours checks one set of business hours at path: open and close,
// or periods, and the weekdays' own periods, each problem on its line.
func (c *checker) businessHours(at []any, what string, bh BusinessHours) {
	pick := func(key string) []any { return append(slices.Clone(at), key) }
	oc := bh.Open != "" || bh.Close != ""
	switch {
	case oc && len(bh.Periods) > 0:
		c.add(pick("periods"), msg.T("保留 periods，删除 open 和 close", "keep periods and remove open and close"), msg.T("%s 既写了 open/close，又写了 periods", "%s gives both open/close and periods"), what)
	case !oc && len(bh.Periods) == 0:
		c.add(at, msg.T(`加上 periods: ["08:30-12:00", "14:00-17:30"]，或 open: 和 close:`, `add periods: ["08:30-12:00", "14:00-17:30"], or open: and close:`), msg.T("%s 没有办公时间", "%s has no opening hours"), what)
	case oc:
		ok := true
		for _, f := range []struct {
			key, v  string
			pattern *regexp.Regexp
		}{{"open", bh.Open, clockPattern}, {"close", bh.Close, closePattern}} {
			if !f.pattern.MatchString(f.v) {
				c.add(pick(f.key), msg.T("用 24 小时制写成 HH:MM，如 08:30", "write 24-hour time as HH:MM, e.g. 08:30"), msg.T("%s.%s %q 不是 HH:MM", "%s.%s %q is not HH:MM"), what, f.key, f.v)
				ok = false
			}
		}
		if ok && bh.Open >= bh.Close {
			c.add(at, msg.T("同一天里开门要早于关门", "opening must come before closing on the same day"), msg.T("%s：开门 %s 不早于关门 %s", "%s: open %s is not before close %s"), what, bh.Open, bh.Close)
		}
	}
	c.spans(pick("periods"), what+".periods", bh.Periods)
	for _, list := range []struct {
		key  string
		days map[string][]string
	}{{"weekdays", bh.Weekdays}, {"rest_days", bh.RestDays}} {
		first := map[time.Weekday]string{} // a weekday's key, for keys that name it again
		for _, key := range slices.Sorted(maps.Keys(list.days)) {
			wat := append(pick(list.key), key)
			wd, ok := calendar.ParseWeekday(key)
			switch prev, again := first[wd]; {
			case !ok:
				c.add(wat, oneOf(calendar.WeekdayNames()), msg.T("%s.%s：不认识的星期 %q", "%s.%s: unknown weekday %q"), what, list.key, key)
			case again:
				// Both would be read, the later one winning at random.
				c.add(wat, msg.T("这一天只留一组时段", "keep one list of periods for the day"), msg.T("%s.%s：%q 和 %q 都是%s", "%s.%s: %q and %q both name %s"), what, list.key, prev, key, calendar.WeekdayName(wd))
			default:
				first[wd] = key
			}
			if len(list.days[key]) == 0 {
				c.add(wat, msg.T(`列出这一天的时段，如 ["09:00-12:00"]`, `list the periods of the day, e.g. ["09:00-12:00"]`), msg.T("%s.%s.%s 没有时段", "%s.%s.%s has no periods"), what, list.key, key)
			}
			c.spans(wat, what+"."+list.key+"."+key, list.days[key])
		}
	}
}

// spans checks the periods of one day: each readable, in order, none
// overlapping the one before.
func (c *checker) spans(at []any, what string, list []string) {
	var spans []calendar.Span
	var index []int
	for i, s := range list {
		sp, err := calendar.ParseSpan(s)
		if err != nil {
			c.add(append(slices.Clone(at), i), spanFix, msg.T("%s：%v", "%s: %v"), what, err)
			continue
		}
		spans, index = append(spans, sp), append(index, i)
	}
	if i, err := calendar.CheckSpans(spans); err != nil {
		c.add(append(slices.Clone(at), index[i]), msg.T(`每个时段在下一个开始之前结束，如 ["08:30-12:00", "14:00-17:30"]`, `end each period before the next begins, e.g. ["08:30-12:00", "14:00-17:30"]`), msg.T("%s：%v", "%s: %v"), what, err)
	}
}

// lateEntryWindow reads the late_entry key: "<N> <unit>" on the wall
// clock, unit days, hours or minutes. Working days have no fixed length:
// a commit's lag is measured between two instants.
func lateEntryWindow(s string) (time.Duration, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, msg.Errorf(msg.T(`%q 不是「<数> <单位>」`, `%q is not "<N> <unit>"`), s)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return 0, msg.Errorf(msg.T("%q：%q 不是正整数", "%q: %q is not a positive whole number"), s, f[0])
	}
	var unit time.Duration
	switch strings.ToLower(f[1]) {
	case "days", "day", "calendar_days", "calendar_day":
		unit = 24 * time.Hour
	case "hours", "hour":
		unit = time.Hour
	case "minutes", "minute":
		unit = time.Minute
	default:
		return 0, msg.Errorf(msg.T("%q：单位 %q 不是 days、hours 或 minutes", "%q: unit %q is not days, hours or minutes"), s, f[1])
	}
	if n > 366*24*60 || time.Duration(n)*unit > 366*24*time.Hour {
		return 0, msg.Errorf(msg.T("%q 超过一年", "%q is longer than a year"), s)
	}
	return time.Duration(n) * unit, nil
}

func (c *checker) datetimeField(at []any, path string, what msg.Text) {
	f, ok := c.p.Field(path)
	switch {
	case !ok:
		c.add(at, c.fieldFix(path), undeclaredMsg, what, path)
	case f.Type != TypeDateTime:
		c.add(at, msg.T("用 type: datetime 声明它", "declare it with type: datetime"), msg.T("%s：字段 %q 是 %s 字段，不是 datetime", "%s: field %q is a %s field, not a datetime"), what, path, f.Type)
	}
}

func (c *checker) escalations() {
	seen := map[string]int{}
	for i, e := range c.p.Escalations {
		at := []any{"escalations", i}
		what := msg.T("升级规则 %q", "escalation %q").Sprintf(e.ID)
		c.uniqueID(at, msg.T("升级规则", "escalation"), e.ID, i, seen)
		if e.When == "" {
			c.add(at, addWhenFix, msg.T("%s 没有 when", "%s has no when"), what)
		} else {
			c.conds = append(c.conds, cond{src: e.When, node: c.d.at(append(at, "when")...), where: cat(what, " 的 when", " when")})
		}
		c.paths(append(at, "fields"), e.Fields, what)
		c.sections(append(at, "sections"), e.Sections)
		c.stateList(append(at, "in"), e.In, cat(what, " 的 in", " in"))
	}
}

func (c *checker) rules() {
	seen := map[string]int{}
	for i, r := range c.p.Rules {
		at := []any{"rules", i}
		what := msg.T("规则 %q", "rule %q").Sprintf(r.ID)
		c.uniqueID(at, msg.T("规则", "rule"), r.ID, i, seen)
		if r.Require == "" {
			c.add(at, msg.T("加上 require: <条件>", "add require: <condition>"), msg.T("%s 没有 require", "%s has no require"), what)
		} else {
			c.conds = append(c.conds, cond{src: r.Require, node: c.d.at(append(at, "require")...), where: cat(what, " 的 require", " require")})
		}
		if r.When != "" {
			c.conds = append(c.conds, cond{src: r.When, node: c.d.at(append(at, "when")...), where: cat(what, " 的 when", " when")})
		}
		if strings.TrimSpace(r.Message) == "" {
			c.add(at, msg.T("加上 message:，说明哪里不对", "add message: saying what is wrong"), msg.T("%s 没有 message", "%s has no message"), what)
		}
		c.stateList(append(at, "in"), r.In, cat(what, " 的 in", " in"))
	}
}

func (c *checker) recusal() {
	for i, r := range c.p.Recusal {
		at := []any{"recusal", i}
		for _, x := range []struct{ key, path string }{{"handler", r.Handler}, {"respondent", r.Respondent}} {
			if x.path == "" {
				c.add(at, msg.T("加上 %s: <字段路径>", "add %s: <field path>").Sprintf(x.key), msg.T("第 %d 条回避规则没有 %s", "recusal %d has no %s"), i+1, x.key)
			} else if _, ok := c.p.Field(x.path); !ok {
				c.add(append(at, x.key), c.fieldFix(x.path), undeclaredMsg, msg.T("回避规则的 %s", "recusal %s").Sprintf(x.key), x.path)
			}
		}
	}
}

func (c *checker) forms() {
	seen := map[string]int{}
	for i, f := range c.p.Forms {
		at := []any{"forms", i}
		c.uniqueID(at, msg.T("表单", "form"), f.ID, i, seen)
		what := msg.T("表单 %q", "form %q").Sprintf(f.ID)
		switch f.Kind {
		case "", "per_case", "register":
		default:
			c.add(append(at, "kind"), msg.T("用 per_case 或 register", "use per_case or register"), msg.T("表单 %q 的种类 %q 不认识", "form %q has unknown kind %q"), f.ID, f.Kind)
		}
		if f.When != "" {
			c.conds = append(c.conds, cond{src: f.When, node: c.d.at(append(at, "when")...), where: cat(what, " 的 when", " when")})
		}
		if len(f.Fields) == 0 && len(f.Columns) == 0 {
			if bf, ok := builtinForm(c.p.ID, f); ok {
				// A form as casebook wrote them before forms were data:
				// id, names and kind only. It prints as the built-in
				// policy's form of the same id.
				f.When, f.Fields, f.Columns, f.Sections = bf.When, bf.Fields, bf.Columns, bf.Sections
				if len(f.Signatures) == 0 {
					f.Signatures = bf.Signatures
				}
				c.p.Forms[i] = f
				what = msg.T("表单 %q（内容取自内置政策 %s）", "form %q (as the built-in policy %s has it)").Sprintf(f.ID, c.p.ID)
			}
		}
		items, key, other := f.Fields, "fields", "columns"
		if f.Kind == "register" {
			items, key, other = f.Columns, "columns", "fields"
			if len(f.Sections) > 0 {
				c.add(append(at, "sections"), msg.T("删除 sections:；登记簿每个案件只占一行", "remove sections:; a register has one line per case"), msg.T("%s 是登记簿，不能有 sections", "%s is a register and has no sections"), what)
			}
		}
		if len(items) == 0 {
			c.add(at, msg.T("在 %s: 下列出要印的字段，如 [\"#id\", received_at, category]", "list what it prints under %s:, e.g. [\"#id\", received_at, category]").Sprintf(key),
				msg.T("%s 没有 %s，印出来是空的", "%s has no %s: it would print empty"), what, key)
		}
		if n := len(map[string][]FormItem{"fields": f.Fields, "columns": f.Columns}[other]); n > 0 {
			c.add(append(at, other), msg.T("把它们移到 %s: 下", "move them under %s:").Sprintf(key), msg.T("%s 用 %s，不用 %s", "%s takes %s, not %s"), what, key, other)
		}
		for j, it := range items {
			c.formItem(append(at, key, j), it, what)
		}
		for j, sec := range f.Sections {
			c.formSection(append(at, "sections", j), sec, what)
		}
		for j, sg := range f.Signatures {
			if strings.TrimSpace(sg.Zh) == "" && strings.TrimSpace(sg.En) == "" {
				c.add(append(at, "signatures", j), msg.T("写出签字栏的名称，如 经办人", "write the signature line's label, e.g. 经办人"), msg.T("%s 的第 %d 个签字栏没有名称", "%s signature %d has no label"), what, j+1)
			}
		}
	}
}

// builtinForm is the form of the built-in policy id with f's id and kind,
// when that form says what it prints.
func builtinForm(id string, f Form) (Form, bool) {
	data, err := policies.FS.ReadFile(id + ".yaml")
	if err != nil {
		return Form{}, false
	}
	var doc struct {
		Forms []Form `yaml:"forms"`
	}
	if yaml.Unmarshal(data, &doc) != nil {
		return Form{}, false
	}
	for _, bf := range doc.Forms {
		if bf.ID == f.ID && bf.Kind == f.Kind && len(bf.Fields)+len(bf.Columns) > 0 {
			return bf, true
		}
	}
	return Form{}, false
}

// formItem checks one field of a form: a declared field path or a pseudo
// path whose deadline or state exists.
func (c *checker) formItem(at []any, it FormItem, what msg.Text) {
	path := it.Path
	if !strings.HasPrefix(path, "#") {
		if _, ok := c.p.Field(path); !ok {
			c.add(at, c.fieldFix(path), undeclaredMsg, what, path)
		}
		return
	}
	switch path {
	case FormID, FormSummary, FormStatus, FormClosedAt, FormClass:
		return
	}
	for _, pre := range []string{FormDue, FormDaysLate, FormExtendedFrom, FormExtension} {
		if id, ok := strings.CutPrefix(path, pre); ok {
			if !slices.Contains(c.p.DeadlineIDs(), id) {
				c.add(at, oneOf(strings.Join(c.p.DeadlineIDs(), ", ")), msg.T("%s：%q 不是这个政策的期限规则", "%s: %q is not a deadline of this policy"), what, id)
			}
			return
		}
	}
	if id, ok := strings.CutPrefix(path, FormEnteredAt); ok {
		if _, ok := c.p.State(id); !ok {
			c.add(at, oneOf(stateIDs(c.p.States)), msg.T("%s：不认识的状态 %q", "%s: unknown state %q"), what, id)
		}
		return
	}
	c.add(at, msg.T("用字段路径，或 #id、#summary、#status、#closed_at、#class、#due:<期限>、#days_late:<期限>、#extended_from:<期限>、#extension:<期限>、#entered_at:<状态>",
		"use a field path, or #id, #summary, #status, #closed_at, #class, #due:<deadline>, #days_late:<deadline>, #extended_from:<deadline>, #extension:<deadline>, #entered_at:<state>"),
		msg.T("%s：不认识 %q", "%s: unknown item %q"), what, path)
}

// formSection checks one section of a form: exactly one of a title, a
// state and an escalation, which must exist.
func (c *checker) formSection(at []any, s FormSection, what msg.Text) {
	n := 0
	for _, v := range []string{s.Title, s.State, s.Escalation} {
		if strings.TrimSpace(v) != "" {
			n++
		}
	}
	if n != 1 {
		c.add(at, msg.T("写小节标题，或 {state: <状态>}，或 {escalation: <升级规则>}，只写一种", "write a section title, or {state: <state>}, or {escalation: <escalation>}: one of them"),
			msg.T("%s 的小节要写成一种：标题、state 或 escalation", "%s section must be one of a title, a state or an escalation"), what)
		return
	}
	if s.State != "" {
		if _, ok := c.p.State(s.State); !ok {
			c.add(append(at, "state"), oneOf(stateIDs(c.p.States)), msg.T("%s：不认识的状态 %q", "%s: unknown state %q"), what, s.State)
		}
	}
	if s.Escalation != "" && !slices.ContainsFunc(c.p.Escalations, func(e Escalation) bool { return e.ID == s.Escalation }) {
		var ids []string
		for _, e := range c.p.Escalations {
			ids = append(ids, e.ID)
		}
		c.add(append(at, "escalation"), oneOf(strings.Join(ids, ", ")), msg.T("%s：%q 不是这个政策的升级规则", "%s: %q is not an escalation of this policy"), what, s.Escalation)
	}
}

func (c *checker) uniqueID(at []any, what msg.Text, id string, i int, seen map[string]int) {
	switch {
	case id == "":
		c.add(at, addIDFix, msg.T("第 %[2]d 个%[1]s没有 id", "%s %d has no id"), what, i+1)
		return
	case !vocabPattern.MatchString(id):
		c.add(append(at, "id"), oneWordFix, notOneWordMsg, what, id)
	}
	if j, dup := seen[id]; dup {
		c.add(append(at, "id"), msg.T("每个%s用自己的 id", "give each %s its own id").Sprintf(what), msg.T("%[1]s %[2]q 声明了两次（另一次是第 %[4]d 个）", "%s %q is declared twice (also %s %d)"), what, id, what, j+1)
	}
	seen[id] = i
}

var (
	notOneWordMsg = msg.T("%s 的 id %q 不是一个词", "%s id %q is not one word")
	addWhenFix    = msg.T("加上 when: <条件>", "add when: <condition>")
)

func stateIDs(states []State) string {
	ids := make([]string, len(states))
	for i, s := range states {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

func choiceIDs(list []Choice) string {
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}
