package policy

import "slices"

// Core field names, the same in every policy.
const (
	FieldID          = "id"
	FieldPolicy      = "policy"
	FieldTitle       = "title"
	FieldStatus      = "status"
	FieldReceivedAt  = "received_at"
	FieldChannel     = "channel"
	FieldCategory    = "category"
	FieldComplainant = "complainant"
	FieldRespondent  = "respondent"
	FieldAssignee    = "assignee"
	FieldDepartment  = "department"
	FieldRelated     = "related"
	FieldExtensions  = "extensions"
	FieldTags        = "tags"
)

// coreFields returns fresh copies of the fields every policy has, in the
// order they are listed first in p.Fields. status, channel and category get
// their values from the policy's states, channels and categories.
func coreFields(p *Policy) []Field {
	pii := func(name, zh, en string) Field {
		return Field{Name: name, Type: TypeString, Zh: zh, En: en, PII: true}
	}
	return []Field{
		{Name: FieldID, Type: TypeString, Zh: "编号", En: "ID"},
		{Name: FieldPolicy, Type: TypeString, Zh: "办法", En: "Policy"},
		{Name: FieldTitle, Type: TypeString, Zh: "标题", En: "Title"},
		{Name: FieldStatus, Type: TypeEnum, Zh: "状态", En: "Status", Values: stateChoices(p.States)},
		{Name: FieldReceivedAt, Type: TypeDateTime, Zh: "受理时间", En: "Received at"},
		{Name: FieldChannel, Type: TypeEnum, Zh: "渠道", En: "Channel", Values: slices.Clone(p.Channels)},
		{Name: FieldCategory, Type: TypeEnum, Zh: "类别", En: "Category", Values: slices.Clone(p.Categories)},
		{Name: FieldComplainant, Type: TypePerson, Zh: "投诉人", En: "Complainant", Fields: []Field{
			pii("name", "姓名", "Name"),
			pii("phone", "电话", "Phone"),
			pii("id_number", "身份证号", "ID number"),
			pii("address", "地址", "Address"),
			pii("work_unit", "工作单位", "Work unit"),
			pii("email", "电子邮箱", "Email"),
			{Name: "anonymous", Type: TypeBool, Zh: "匿名", En: "Anonymous"},
		}},
		{Name: FieldRespondent, Type: TypeObject, Zh: "被投诉对象", En: "Respondent", Fields: []Field{
			{Name: "unit", Type: TypeString, Zh: "单位", En: "Unit"},
			{Name: "person", Type: TypeString, Zh: "人员", En: "Person"},
		}},
		{Name: FieldAssignee, Type: TypeString, Zh: "承办人", En: "Assignee"},
		{Name: FieldDepartment, Type: TypeString, Zh: "承办部门", En: "Department"},
		// related items are objects; a plain case id is accepted as
		// shorthand for {id: <id>, as: related}.
		{Name: FieldRelated, Type: TypeList, Items: TypeObject, Zh: "关联案件", En: "Related cases", Fields: []Field{
			{Name: "id", Type: TypeString, Zh: "案件编号", En: "Case ID"},
			{Name: "as", Type: TypeEnum, Zh: "关系", En: "Relation", Values: []Choice{
				{ID: "repeat", Zh: "重复投诉", En: "Repeat complaint"},
				{ID: "duplicate", Zh: "重复登记", En: "Duplicate"},
				{ID: "related", Zh: "相关", En: "Related"},
			}},
		}},
		{Name: FieldExtensions, Type: TypeList, Items: TypeObject, Zh: "延期", En: "Extensions", Fields: []Field{
			{Name: "rule", Type: TypeString, Zh: "时限", En: "Deadline"},
			{Name: "until", Type: TypeDate, Zh: "延至", En: "Until"},
			{Name: "by", Type: TypeString, Zh: "延长期限", En: "Extended by (a period)"},
			{Name: "approved_by", Type: TypeString, Zh: "批准人", En: "Approved by"},
			{Name: "approved_at", Type: TypeDateTime, Zh: "批准时间", En: "Approved at"},
			{Name: "reason", Type: TypeText, Zh: "理由", En: "Reason"},
		}},
		{Name: FieldTags, Type: TypeList, Items: TypeString, Zh: "标签", En: "Tags"},
	}
}

// defaultSubFields are the sub-fields a person or approval field has even
// when the policy declares none, so that cases can use the usual keys.
func defaultSubFields(t FieldType, pii bool) []Field {
	switch t {
	case TypePerson:
		return []Field{
			{Name: "name", Type: TypeString, Zh: "姓名", En: "Name", PII: pii},
			{Name: "phone", Type: TypeString, Zh: "电话", En: "Phone", PII: pii},
			{Name: "id_number", Type: TypeString, Zh: "身份证号", En: "ID number", PII: pii},
			{Name: "address", Type: TypeString, Zh: "地址", En: "Address", PII: pii},
			{Name: "work_unit", Type: TypeString, Zh: "工作单位", En: "Work unit", PII: pii},
			{Name: "email", Type: TypeString, Zh: "电子邮箱", En: "Email", PII: pii},
		}
	case TypeApproval:
		return []Field{
			{Name: "by", Type: TypeString, Zh: "签批人", En: "By"},
			{Name: "at", Type: TypeDateTime, Zh: "签批时间", En: "At"},
			{Name: "opinion", Type: TypeText, Zh: "意见", En: "Opinion"},
		}
	}
	return nil
}

func stateChoices(states []State) []Choice {
	out := make([]Choice, len(states))
	for i, s := range states {
		out[i] = Choice{ID: s.ID, Zh: s.Zh, En: s.En}
	}
	return out
}

// mergeField lays a policy's redeclaration over a core or default field:
// labels, help, requirements and bounds come from the policy, personal-data
// flags only ever get added (a policy cannot make a phone number public by
// omission), and sub-fields merge by name.
func mergeField(base, over Field) Field {
	out := base
	if over.Zh != "" {
		out.Zh = over.Zh
	}
	if over.En != "" {
		out.En = over.En
	}
	if over.Help != "" {
		out.Help = over.Help
	}
	out.RequiredIn = append(slices.Clone(base.RequiredIn), over.RequiredIn...)
	if over.RequiredWhen != "" {
		out.RequiredWhen = over.RequiredWhen
	}
	out.PII = base.PII || over.PII
	out.Confidential = base.Confidential || over.Confidential
	if over.Min != nil {
		out.Min = over.Min
	}
	if over.Max != nil {
		out.Max = over.Max
	}
	if len(over.Values) > 0 && base.Type == TypeEnum && len(base.Values) == 0 {
		out.Values = over.Values
	}
	out.Fields = mergeFields(base.Fields, over.Fields)
	return out
}

// mergeFields merges sub-field lists by name: base order first, then the
// new ones in declared order.
func mergeFields(base, over []Field) []Field {
	out := slices.Clone(base)
	for _, o := range over {
		i := slices.IndexFunc(out, func(f Field) bool { return f.Name == o.Name })
		if i < 0 {
			out = append(out, o)
			continue
		}
		out[i] = mergeField(out[i], o)
	}
	return out
}
