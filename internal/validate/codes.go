package validate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/casebook/casebook/internal/msg"
)

// AckKind says whether policies/acknowledged.yaml may accept a finding.
type AckKind int

// Acknowledgement kinds.
const (
	// AckNever: the present can be fixed, so it is not acknowledged.
	AckNever AckKind = iota
	// AckAlways: a finding about the past that only a history rewrite
	// could undo.
	AckAlways
	// AckInHistory: only a finding about a version in history (one that
	// names a commit); the same code about the work tree is fixed instead.
	AckInHistory
)

// Block says how a write command (new, move, set, correct, ...) treats an
// error finding of a code on the case as it would read after the write.
type Block int

// Write blocks.
const (
	// BlockNone: the write goes ahead; validate reports the finding.
	BlockNone Block = iota
	// BlockInput: the write is refused as bad input (exit 2).
	BlockInput
	// BlockForbidden: the write is refused as not allowed by the policy.
	BlockForbidden
)

// Text is one text in the users' language and in English.
type Text = msg.Text

// Say is one way a code's finding reads: a message and a fix, each a
// template in Chinese and English whose "{name}"s are filled from the
// finding's arguments (msg.Args). A fix may be empty.
type Say struct {
	Msg, Fix Text
}

// Code is everything known about one finding code: how serious it is,
// whether it may be acknowledged, whether it stops a write, and its words.
type Code struct {
	// ID is the stable code, e.g. "field.required".
	ID string
	// Severity is the default severity of its findings.
	Severity Severity
	// Ack says whether policies/acknowledged.yaml may accept it.
	Ack AckKind
	// Blocks says how a write command treats its error findings.
	Blocks Block
	// Label is a short name, shown beside the code on the site.
	Label Text
	// Doc is its documentation, rendered into the README.
	Doc Text
	// Says are the code's messages, by variant: each place that reports
	// the code names the variant it means ("before_receipt") and gives
	// the arguments. Every finding's words come from here.
	Says map[string]Say
}

// Table holds every finding code validate and the write commands emit, in
// the order the README documents them. It is the only list of codes:
// Codes, Acknowledgeable, the write commands' refusals, the site's labels
// and the README's table are all read from it.
var Table = []Code{
	{ID: "parse.error", Severity: Error, Ack: AckInHistory, Blocks: BlockInput,
		Label: Text{Zh: "无法读取", En: "unreadable"},
		Doc: Text{Zh: "文件（或历史中的某个版本，附提交）不是案件文件：缺少或未闭合的前置信息、YAML 错误、重复的键、过大、符号链接、未解决的合并冲突",
			En: "the file, or a version of it in history (with its commit), is not a case file: no or unclosed front-matter, bad YAML, duplicate key, too large, a symlink, an unresolved merge conflict"},
		Says: map[string]Say{
			"version": {Msg: Text{Zh: "提交 {commit}（{actor}，{at}）中的版本不是案件文件：{err}", En: "the version of commit {commit} ({actor}, {at}) is not a case file: {err}"},
				Fix: Text{Zh: "历史中的版本无法更改：如果这是随后的提交已改正的失误，在 policies/acknowledged.yaml 中对提交 {commit} 确认 parse.error", En: "a version in history cannot be changed: if it was a mistake the next commit put right, acknowledge parse.error for commit {commit} in policies/acknowledged.yaml"}},
		}},
	{ID: "field.required", Severity: Error, Blocks: BlockForbidden,
		Label: Text{Zh: "缺少必填项", En: "required field missing"},
		Doc: Text{Zh: "政策在此状态（或此次升级）要求的字段、审批或正文小节缺失；核心字段（`id`、`title`、`status`、`received_at`、`channel`，多个政策时的 `policy`）缺失或为空",
			En: "a field, approval or body section the policy requires in this state (or for this escalation) is missing; a core field (`id`, `title`, `status`, `received_at`, `channel`, `policy` with several policies) missing or empty"},
		Says: map[string]Say{
			"policy": {Msg: Text{Zh: "必须填写办法（policy）：本仓库有多个办法（{policies}）", En: "policy (办法) is required: the repository has several policies ({policies})"},
				Fix: Text{Zh: "填写 policy:，取以下之一：{policies}", En: "write `policy:` with one of: {policies}"}},
			"field": {Msg: Text{Zh: "{why}，「{field}」必须填写", En: "{field} is required {why}"},
				Fix: Text{Zh: "在前置信息中填写 {path}:", En: "add `{path}:` to the front-matter"}},
			"section": {Msg: Text{Zh: "{why}，正文必须有「{title}」一节", En: "body section 「{title}」 is required {why}"},
				Fix: Text{Zh: "在正文中加上标题 ## {title} 并写上内容", En: "add a heading `## {title}` with its text to the body"}},
			// core fields (core.go)
			"core": {Msg: Text{Zh: "{field}是每个案件的必填项，但{what}", En: "{field} is required in every case, and it is {what}"},
				Fix: Text{Zh: "在前置信息中写上 {key}: 及其值{example}", En: "write `{key}:` with its value in the front-matter{example}"}},
			"id": {Msg: Text{Zh: "{field}是每个案件的必填项，但{what}", En: "{field} is required in every case, and it is {what}"},
				Fix: Text{Zh: "写上 id: 及案件编号", En: "write `id:` with the case's id"}},
			"id_from_file": {Msg: Text{Zh: "{field}是每个案件的必填项，但{what}", En: "{field} is required in every case, and it is {what}"},
				Fix: Text{Zh: "加上 id: {stem}（即去掉 .md 的文件名）", En: "add `id: {stem}` (the file name without .md)"}},
		}},
	{ID: "field.invalid", Severity: Error, Blocks: BlockInput,
		Label: Text{Zh: "取值无效", En: "invalid value"},
		Doc: Text{Zh: "值的类型不对，或不在政策的列表中（`channel: fax`）；id 与文件名不符，或不是 ASCII 的 `PREFIX-YYYY-数字`；`received_at` 早于 1990 年或晚于 `--now` 一天以上；未加引号、YAML 另作他读的文本字段（`phone: 013800000000`）；错误的延期；时钟时间（`dispatch_approval.at`、`feedback_at`、报告）早于 `received_at`、晚于首次记录它的提交或晚于 `--now`",
			En: "a value of the wrong type, or outside the policy's list (`channel: fax`); id ≠ file name, or not `PREFIX-YYYY-digits` in ASCII; `received_at` before 1990 or over a day after `--now`; a text field written unquoted that YAML reads otherwise (`phone: 013800000000`); a bad extension; a clock time (`dispatch_approval.at`, `feedback_at`, a report) before `received_at`, later than the commit that first records it, or later than `--now`"},
		Says: map[string]Say{
			"policy_unknown": {Msg: Text{Zh: "办法 {policy} 不存在（已有：{known}）", En: "unknown policy {policy} (known: {known})"},
				Fix: Text{Zh: "把 policy: 改为以下之一：{policies}", En: "set `policy:` to one of: {policies}"}},
			"related_path": {Msg: Text{Zh: "{path}：{value}：{why}", En: "{path}: {value}: {why}"},
				Fix: Text{Zh: "写案件编号，例如 {id}", En: "write the case id, e.g. {id}"}},
			"text_not_mapping": {Msg: Text{Zh: "「{field}」应为文字，不能是键值映射", En: "{field}: must be text, not a mapping"},
				Fix: Text{Zh: "把值写在一行上，含冒号时加引号", En: "write the value on one line, quoted if it contains a colon"}},
			"text_not_list": {Msg: Text{Zh: "「{field}」应为文字，不能是列表", En: "{field}: must be text, not a list"},
				Fix: Text{Zh: "只写一个值", En: "write one value"}},
			"not_number": {Msg: Text{Zh: "「{field}」：{value} 不是数字{cause}", En: "{field}: {value} is not a number{cause}"},
				Fix: Text{Zh: "写纯数字，如 50000 或 1234.50，不带单位和千位分隔符", En: "write a plain number such as 50000 or 1234.50, without units or thousands separators"}},
			"not_whole": {Msg: Text{Zh: "「{field}」：{value} 不是整数", En: "{field}: {value} is not a whole number"},
				Fix: Text{Zh: "写整数", En: "write a whole number"}},
			"below_min": {Msg: Text{Zh: "「{field}」：{value} 小于最小值 {min}", En: "{field}: {value} is below the minimum {min}"},
				Fix: Text{Zh: "改正这个值", En: "correct the value"}},
			"above_max": {Msg: Text{Zh: "「{field}」：{value} 大于最大值 {max}", En: "{field}: {value} is above the maximum {max}"},
				Fix: Text{Zh: "改正这个值", En: "correct the value"}},
			"not_bool": {Msg: Text{Zh: "「{field}」：{value} 不是 true 或 false{cause}", En: "{field}: {value} is not true or false{cause}"},
				Fix: Text{Zh: "写 true 或 false", En: "write true or false"}},
			"not_date": {Msg: Text{Zh: "「{field}」：{value} 不是日期{cause}", En: "{field}: {value} is not a date{cause}"},
				Fix: Text{Zh: "日期写成 YYYY-MM-DD，如 2026-09-30", En: "write the date as YYYY-MM-DD, e.g. 2026-09-30"}},
			"not_datetime": {Msg: Text{Zh: "「{field}」：{value} 不是日期时间{cause}", En: "{field}: {value} is not a date and time{cause}"},
				Fix: Text{Zh: "按 RFC 3339 写并带上时区，如 2026-09-30T10:00:00+08:00", En: "write RFC 3339 with offset, e.g. 2026-09-30T10:00:00+08:00"}},
			"not_enum": {Msg: Text{Zh: "「{field}」：{value} 不是可选值（{values}）之一{cause}", En: "{field}: {value} is not one of {values}{cause}"},
				Fix: Text{Zh: "从列出的值中选一个", En: "use one of the listed values"}},
			"not_list": {Msg: Text{Zh: "「{field}」应为列表{cause}", En: "{field}: must be a list{cause}"},
				Fix: Text{Zh: "写成 YAML 列表，如 [a, b]", En: "write a YAML list, e.g. [a, b]"}},
			"not_mapping": {Msg: Text{Zh: "「{field}」应为由子字段组成的映射", En: "{field}: must be a mapping of sub-fields"},
				Fix: Text{Zh: "写成 {{key: value, ...} 或缩进的块", En: "write it as `{{key: value, ...}` or an indented block"}},
			// received_at (core.go)
			"received_too_early": {Msg: Text{Zh: "{field} {at} 早于 {earliest}：本单位没有这么早的案件", En: "{field} {at} is before {earliest}: no case of this office is that old"},
				Fix: Text{Zh: "核对年份，写明案件受理的时刻，例如 received_at: 2026-09-30T10:00:00+08:00", En: "check the year, and write the moment the case was received, e.g. received_at: 2026-09-30T10:00:00+08:00"}},
			"received_future": {Msg: Text{Zh: "{field} {at} 比现在（{now}）晚一天以上：案件不可能在将来受理", En: "{field} {at} is more than a day after now ({now}): a case cannot be received in the future"},
				Fix: Text{Zh: "核对日期及时区（+08:00），或用 --now 给出正确的当前时间", En: "check the date and its offset (+08:00), or pass the right --now"}},
			// the id (core.go); {why} is idShape's reason, the variant names the fix
			"id_use_file": {Msg: Text{Zh: "{why}", En: "{why}"},
				Fix: Text{Zh: "改为 id: {stem}（即文件名）", En: "set `id: {stem}` (the file name)"}},
			"id_ascii": {Msg: Text{Zh: "{why}", En: "{why}"},
				Fix: Text{Zh: "在 id: 和文件名中都用半角 ASCII 重新输入编号：{ascii}", En: "retype the id in plain ASCII as {ascii}, in `id:` and in the file name"}},
			"id_of_policy": {Msg: Text{Zh: "{why}", En: "{why}"},
				Fix: Text{Zh: "在 id: 和文件名中给案件一个政策 {policy} 的编号 {shape}，只用 ASCII 字母、数字和连字符（或把 policy: 改为该编号所属的政策）",
					En: "give the case an id of policy {policy}, {shape} in ASCII letters, digits and hyphens, in `id:` and in the file name (or set `policy:` to the policy the id belongs to)"}},
			"id_shape": {Msg: Text{Zh: "{why}", En: "{why}"},
				Fix: Text{Zh: "在 id: 和文件名中把编号写成 {shape}，只用 ASCII 字母、数字和连字符", En: "write the id as {shape} in ASCII letters, digits and hyphens, in `id:` and in the file name"}},
			"id_not_file": {Msg: Text{Zh: "编号 {id} 与文件名 {stem} 不符", En: "id {id} does not match the file name {stem}"},
				Fix: Text{Zh: "把文件改名为 {want_file}.md", En: "rename the file to {want_file}.md"}},
			"id_not_file_or_set": {Msg: Text{Zh: "编号 {id} 与文件名 {stem} 不符", En: "id {id} does not match the file name {stem}"},
				Fix: Text{Zh: "把文件改名为 {want_file}.md，或改为 id: {want_id}", En: "rename the file to {want_file}.md or set `id: {want_id}`"}},
			// clock times (dates.go)
			"time_before_receipt": {Msg: Text{Zh: "{path}为 {at}，早于受理时间（{received}）：时钟从它起算", En: "{path} is {at}, before the case was received ({received}): a clock counts from it"},
				Fix: Text{Zh: "填写实际发生的时间（不早于{received_field}），或用 casebook correct 更正{received_field}",
					En: "write the time it really happened (at or after {received_field}), or correct {received_field} with casebook correct"}},
			"time_after_now": {Msg: Text{Zh: "{path}为 {at}，晚于现在（{now}）：事情发生之前不能记录它的时间", En: "{path} is {at}, later than now ({now}): a time cannot be recorded before it happens"},
				Fix: Text{Zh: "填写实际发生的时间，或用 --now 给出正确的当前时间", En: "write the time it really happened, or pass the right --now"}},
			"time_after_commit": {Msg: Text{Zh: "{path}为 {at}，晚于记录它的提交 {commit}（{committed}，作者日期）：事情发生之前不能记录它的时间",
				En: "{path} is {at}, later than commit {commit} that recorded it ({committed}, author date): a time cannot be recorded before it happens"},
				Fix: Text{Zh: "填写实际发生的时间，不晚于记录它的提交；早先记错的时间用 casebook correct 更正",
					En: "write the time it really happened, no later than the commit that records it; a wrong time recorded earlier is fixed with casebook correct"}},
			// values YAML reads otherwise (written.go)
			"unquoted": {Msg: Text{Zh: "{path}：{text} 没有加引号，YAML 会把它读成{as}，而不是文本 {quoted}", En: "{path}: {text} is written without quotes, so YAML reads it as {as}, not as the text {quoted}"},
				Fix: Text{Zh: "加上引号：{key}: {quoted}", En: "quote it: {key}: {quoted}"}},
			"unquoted_item": {Msg: Text{Zh: "{path}：{text} 没有加引号，YAML 会把它读成{as}，而不是文本 {quoted}", En: "{path}: {text} is written without quotes, so YAML reads it as {as}, not as the text {quoted}"},
				Fix: Text{Zh: "加上引号：{quoted}（在列表 {list} 中）", En: "quote it: {quoted} (in the list {list})"}},
		}},
	{ID: "field.unknown", Severity: Error, Blocks: BlockInput,
		Label: Text{Zh: "未声明的字段", En: "unknown field"},
		Doc:   Text{Zh: "政策未声明的键", En: "a key the policy does not declare"},
		Says: map[string]Say{
			"undeclared": {Msg: Text{Zh: "《{policy}》没有声明字段 {key}{cause}", En: "policy {policy} declares no field {key}{cause}"},
				Fix: Text{Zh: "改正拼写、删除这个键，或在 {policy_file} 的 fields: 下声明该字段", En: "fix the spelling, remove the key, or declare the field under `fields:` in {policy_file}"}},
			"undeclared_sub": {Msg: Text{Zh: "《{policy}》没有声明字段 {key}", En: "policy {policy} declares no field {key}"},
				Fix: Text{Zh: "改正拼写，或在 {policy_file} 中声明这个子字段", En: "fix the spelling, or declare the sub-field in {policy_file}"}},
		}},
	{ID: "id.duplicate", Severity: Error,
		Label: Text{Zh: "编号重复", En: "duplicate id"},
		Doc: Text{Zh: "两个文件带有同一编号（两个克隆分配了它）；修正：`casebook renumber ID --file FILE`",
			En: "two files carry the same id (two clones allocated it); fix: `casebook renumber ID --file FILE`"},
		Says: map[string]Say{
			"shared": {Msg: Text{Zh: "编号 {id} 被 {count} 个文件使用：{files}", En: "id {id} is used by {count} files: {files}"},
				Fix: Text{Zh: "两个克隆分配了同一编号：给其中一个案件换用下一个空闲编号，并保留其记录：运行 casebook renumber {id} --file {file}", En: "two clones allocated the same id: give one case the next free id, its trail kept: casebook renumber {id} --file {file}"}},
		}},
	{ID: "id.collision", Severity: Error,
		Label: Text{Zh: "编号冲突", En: "id collision"},
		Doc: Text{Zh: "同一编号的两次独立登记进入了历史（互不为祖先的提交），无论合并保留了哪一个；列出两个提交和标题；修正：`casebook renumber`；不可确认",
			En: "two independent registrations of one id reached history (commits on lines that neither descends from the other), whatever the merge kept; names both commits and titles; fix: `casebook renumber`; not acknowledgeable"},
		Says: map[string]Say{
			"all_kept": {Msg: Text{Zh: "编号 {id} 在互不为祖先的历史线上登记了 {n} 次（多个克隆各自分配了它，工作随后合并）：{regs}；在其中一个改用新编号之前，{id} 的记录混在一起",
				En: "id {id} was registered {n} times on independent lines of history (clones allocated it, and their work was merged): by {regs}; until one has another id, the trail of {id} mixes them"},
				Fix: Text{Zh: "给其中一个换新编号，保留其记录：运行 casebook renumber {id} --file {file}", En: "give one of them a new id, its trail kept: casebook renumber {id} --file {file}"}},
			"some_dropped": {Msg: Text{Zh: "编号 {id} 在互不为祖先的历史线上登记了 {n} 次（多个克隆各自分配了它，工作随后合并）：{regs}；工作区保留了其中 {held} 个；在其中一个改用新编号之前，{id} 的记录混在一起",
				En: "id {id} was registered {n} times on independent lines of history (clones allocated it, and their work was merged): by {regs}; the tree keeps {held} of them; until one has another id, the trail of {id} mixes them"},
				Fix: Text{Zh: "用新编号找回合并时丢掉的那次登记，保留其记录：运行 casebook renumber {id}", En: "bring back the registration the merge dropped under a new id, its trail kept: casebook renumber {id}"}},
			"unresolved": {Msg: Text{Zh: "编号 {id} 在互不为祖先的历史线上登记了 {n} 次（多个克隆各自分配了它，工作随后合并）：{regs}；在其中一个改用新编号之前，{id} 的记录混在一起",
				En: "id {id} was registered {n} times on independent lines of history (clones allocated it, and their work was merged): by {regs}; until one has another id, the trail of {id} mixes them"},
				Fix: Text{Zh: "先解决合并，让每个记录各有自己的文件，再给其中一个换新编号：运行 casebook renumber {id}", En: "resolve the merge so that each record has a file of its own, then give one of them a new id: casebook renumber {id}"}},
		}},
	{ID: "transition.illegal", Severity: Error, Ack: AckAlways, Blocks: BlockForbidden,
		Label: Text{Zh: "不允许的流转", En: "illegal transition"},
		Doc: Text{Zh: "某个提交让案件走了政策不允许的流转（或未提交的改动将会如此）",
			En: "a commit moved a case along a transition the policy does not allow (or an uncommitted change would)"},
		Says: map[string]Say{
			"across_unreadable": {Msg: Text{Zh: "提交 {commit} 把案件从「{from}」改为「{to}」（中间隔着一个读不出状态的版本），《{policy}》不允许这样流转", En: "commit {commit} moved the case {from} -> {to} (across a version without a readable status), which policy {policy} does not allow"},
				Fix: Text{Zh: "这已记入历史：用一次允许的流转改回，或在 policies/acknowledged.yaml 中确认这个提交", En: "this is in history: revert with a legal move, or acknowledge the commit in policies/acknowledged.yaml"}},
			"across_unreadable_revert": {Msg: Text{Zh: "提交 {commit} 把案件从「{from}」改为「{to}」（中间隔着一个读不出状态的版本），《{policy}》不允许这样流转", En: "commit {commit} moved the case {from} -> {to} (across a version without a readable status), which policy {policy} does not allow"},
				Fix: Text{Zh: "git revert 是一次反向流转，不是更正：误做的流转要运行 casebook correct {case} --undo --reason 理由 --approved-by 批准人 撤销；这次 revert 已记入历史：在 policies/acknowledged.yaml 中确认它", En: "a git revert is a transition back, not a correction: take back a transition made by mistake with casebook correct {case} --undo --reason TEXT --approved-by NAME; this revert is in history: acknowledge it in policies/acknowledged.yaml"}},
			"created": {Msg: Text{Zh: "登记时即为「{to}」状态；新案件应从「{initial}」或由它一步可达的状态开始", En: "created in state {to}; new cases start in {initial} or a state reachable from it in one step"},
				Fix: Text{Zh: "先按「{initial}」登记，再在之后的提交中流转，或确认这个提交", En: "record the case as {initial} first and move it in a later commit, or acknowledge this commit"}},
			"readded": {Msg: Text{Zh: "案件在「{from}」状态下被删除后，提交 {commit} 又以「{to}」状态把它加回；《{policy}》不允许从「{from}」改为「{to}」", En: "commit {commit} added the case again in state {to} after it was deleted in state {from}; policy {policy} does not allow {from} -> {to}"},
				Fix: Text{Zh: "把 status 改回 {back} 并提交；删除后又加回的记录保持原来的状态", En: "set status back to {back} and commit; a record deleted and added again keeps its state"}},
			"merge": {Msg: Text{Zh: "合并提交 {commit} 把案件从「{from}」（被合并的一个分支上的状态）改为「{to}」，《{policy}》不允许这样流转：合并丢弃了那个分支的改动", En: "merge commit {commit} takes the case from {from}, as one of the merged branches had it, to {to}, which policy {policy} does not allow: the merge discarded that branch's change"},
				Fix: Text{Zh: "合并按相对每个父提交的改动判断：取回那个分支的版本（git checkout <分支> -- {file}，再提交），或运行 casebook correct {case} --undo --reason ... --approved-by ... 撤销它的改动，或在 policies/acknowledged.yaml 中确认这次合并", En: "a merge is judged like a commit against each parent: take that branch's version back (git checkout <branch> -- {file}, then commit), or undo its change with casebook correct {case} --undo --reason ... --approved-by ..., or acknowledge the merge in policies/acknowledged.yaml"}},
			"moved": {Msg: Text{Zh: "提交 {commit} 把案件从「{from}」改为「{to}」，《{policy}》不允许这样流转{uncovered}", En: "commit {commit} moved the case {from} -> {to}, which policy {policy} does not allow{uncovered}"},
				Fix: Text{Zh: "这已记入历史：用一次允许的流转改回，或在 policies/acknowledged.yaml 中确认这个提交", En: "this is in history: revert with a legal move, or acknowledge the commit in policies/acknowledged.yaml"}},
			"moved_revert": {Msg: Text{Zh: "提交 {commit} 把案件从「{from}」改为「{to}」，《{policy}》不允许这样流转{uncovered}", En: "commit {commit} moved the case {from} -> {to}, which policy {policy} does not allow{uncovered}"},
				Fix: Text{Zh: "git revert 是一次反向流转，不是更正：误做的流转要运行 casebook correct {case} --undo --reason 理由 --approved-by 批准人 撤销；这次 revert 已记入历史：在 policies/acknowledged.yaml 中确认它", En: "a git revert is a transition back, not a correction: take back a transition made by mistake with casebook correct {case} --undo --reason TEXT --approved-by NAME; this revert is in history: acknowledge it in policies/acknowledged.yaml"}},
			"uncommitted": {Msg: Text{Zh: "未提交的改动把案件从「{from}」改为「{to}」，《{policy}》不允许这样流转", En: "uncommitted change moves the case {from} -> {to}, which policy {policy} does not allow"},
				Fix: Text{Zh: "把 status 改回 {back}，或改为由它可达的状态：{reachable}", En: "set status back to {back} or to a state reachable from it: {reachable}"}},
		}},
	{ID: "deadline.overdue", Severity: Error,
		Label: Text{Zh: "已超期", En: "overdue"},
		Doc: Text{Zh: "案件未结，规则的 `due_at` 已过（报告义务：报告未记录）",
			En: "the case is open and the rule's `due_at` has passed (a reporting duty: the report is not recorded)"},
		Says: map[string]Say{
			"report": {Msg: Text{Zh: "「{rule}」{run}：报告应在 {due} 前作出，尚未记录（已超期 {late}）", En: "{rule}{run}: the report was due {due} and is not recorded ({late} late)"},
				Fix: Text{Zh: "记录报告：把「{field}」设为报告的时间（运行 casebook set <编号> {key}=<时间>）{basis}", En: "record the report: set {field} to the time it was made (casebook set <ID> {key}=<time>){basis}"}},
			"open": {Msg: Text{Zh: "「{rule}」{run}应在 {due} 前完成，案件仍{status}（已超期 {late}）", En: "{rule}{run} was due {due} and the case is still {status} ({late} late)"},
				Fix: Text{Zh: "立即办理这一步；办法不允许延长这个期限{basis}", En: "finish the step now; the policy allows no extension of this deadline{basis}"}},
			"open_extensible": {Msg: Text{Zh: "「{rule}」{run}应在 {due} 前完成，案件仍{status}（已超期 {late}）", En: "{rule}{run} was due {due} and the case is still {status} ({late} late)"},
				Fix: Text{Zh: "立即办理这一步，或在 extensions: 下记录经批准的延期{basis}", En: "finish the step now, or record an approved extension under `extensions:`{basis}"}},
			"open_extended": {Msg: Text{Zh: "「{rule}」{run}应在 {due} 前完成，案件仍{status}（已超期 {late}）", En: "{rule}{run} was due {due} and the case is still {status} ({late} late)"},
				Fix: Text{Zh: "立即办理这一步；延期已达办法的上限，不能再批准延期{basis}", En: "finish the step now; the extensions reached the policy's limit, no further one can be approved{basis}"}},
		}},
	{ID: "deadline.missed", Severity: Warning,
		Label: Text{Zh: "曾超期", En: "deadline missed"},
		Doc: Text{Zh: "规则的终止状态在 `due_at` 之后才到达，或案件结束时义务未办理（未办理）（一个事实；计入统计）",
			En: "the rule's stop state was reached after `due_at`, or the case ended without the duty done (\"was not done\", 未办理) (a fact; counted in statistics)"},
		Says: map[string]Say{
			"not_done": {Msg: Text{Zh: "「{rule}」{run}应在 {due} 前办理，但没有办理：案件于 {ended} 结束", En: "{rule}{run} was due {due} and was not done: the case ended {ended} without it"},
				Fix: Text{Zh: "这是过去的事实；在按时率统计中计为未办理", En: "a fact of the past; it counts as missed (未办理, not done) in the on-time statistics"}},
			"late": {Msg: Text{Zh: "「{rule}」{run}应在 {due} 前完成，实际于 {ended} 完成", En: "{rule}{run} was due {due} but ended {ended}"},
				Fix: Text{Zh: "这是过去的事实；计入按时率统计", En: "a fact of the past; it counts in the on-time statistics"}},
		}},
	{ID: "deadline.at_risk", Severity: Warning,
		Label: Text{Zh: "即将超期", En: "at risk"},
		Doc:   Text{Zh: "案件未结，处于规则的预警期内", En: "open, inside the rule's warning window"},
		Says: map[string]Say{
			"soon": {Msg: Text{Zh: "「{rule}」将于 {due} 到期（还剩 {left}）", En: "{rule} is due {due} ({left} left)"},
				Fix: Text{Zh: "在到期前办完这一步", En: "finish the step before the due date"}},
		}},
	{ID: "history.deleted", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "案件被删除", En: "case deleted"},
		Doc: Text{Zh: "历史中存在过的案件文件不见了：被删除、移出 `cases/`、改名到发现不到的地方、被合并丢弃，或在工作区中被删除",
			En: "a case file that existed in history is gone: deleted, moved out of `cases/`, renamed where discovery skips it, dropped by a merge, or deleted in the work tree"},
		Says: map[string]Say{
			"deleted": {Msg: Text{Zh: "案件 {case} 被提交 {commit}（{actor}，{at}）删除；记录一律不得删除", En: "case {case} was deleted by commit {commit} ({actor}, {at}); records are never deleted"},
				Fix: Text{Zh: "恢复它：运行 git checkout {commit}^ -- {path} 再提交；或在 policies/acknowledged.yaml 中确认这次删除", En: "restore it: git checkout {commit}^ -- {path}, then commit; or acknowledge the deletion in policies/acknowledged.yaml"}},
			"worktree": {Msg: Text{Zh: "案件 {case} 已从工作区删除（尚未提交）；记录一律不得删除", En: "case {case} is deleted from the work tree (not committed); records are never deleted"},
				Fix: Text{Zh: "恢复它：运行 git checkout -- {path}", En: "restore it: git checkout -- {path}"}},
			"moved": {Msg: Text{Zh: "案件 {case} 被提交 {commit}（{actor}，{at}）移到 {path}，{where}，因此既不计数也不检查；记录一律不得隐藏", En: "case {case} was moved to {path} by commit {commit} ({actor}, {at}), {where}, so it is neither counted nor judged; records are never hidden"},
				Fix: Text{Zh: "移回原处：运行 git mv {path} {from} 再提交；或在 policies/acknowledged.yaml 中确认", En: "move it back: git mv {path} {from}, then commit; or acknowledge it in policies/acknowledged.yaml"}},
			"moved_nowhere": {Msg: Text{Zh: "案件 {case} 被提交 {commit}（{actor}，{at}）移到 {path}，{where}，因此既不计数也不检查；记录一律不得隐藏", En: "case {case} was moved to {path} by commit {commit} ({actor}, {at}), {where}, so it is neither counted nor judged; records are never hidden"},
				Fix: Text{Zh: "用 git mv 把它移到 cases/<年>/<月>/<日>/{case}.md 再提交；或在 policies/acknowledged.yaml 中确认", En: "move it to cases/<YYYY>/<MM>/<DD>/{case}.md with git mv, then commit; or acknowledge it in policies/acknowledged.yaml"}},
		}},
	{ID: "history.readded", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "案件被重新加入", En: "case added again"},
		Doc: Text{Zh: "删除后又加回的案件文件（按从删除前状态的流转判断）",
			En: "a case file deleted and later added again (judged as a move from its state before the deletion)"},
		Says: map[string]Say{
			"readded": {Msg: Text{Zh: "案件 {case} 在「{from}」状态下被提交 {deleted_by}（{deleted_actor}）删除，又被提交 {commit}（{actor}）以「{to}」状态加回；加回的记录不是被删除的那份记录", En: "case {case} was deleted by commit {deleted_by} ({deleted_actor}) in state {from} and added again by commit {commit} ({actor}) in state {to}; a record added again is not the record that was deleted"},
				Fix: Text{Zh: "把文件与被删除的那份比对（git show {deleted_by}^:{deleted_path}）；如果是同一份记录，在 policies/acknowledged.yaml 中对提交 {commit} 确认 history.readded", En: "compare the file with the deleted one (git show {deleted_by}^:{deleted_path}); if it is the same record, acknowledge history.readded for commit {commit} in policies/acknowledged.yaml"}},
		}},
	{ID: "history.fact_changed", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "事实被改动", En: "fact changed"},
		Doc: Text{Zh: "启动或决定时钟的事实（`received_at`、类别、起算字段、报告时间）未经更正就被改动；时钟沿用首次记录的值",
			En: "a fact that starts or decides a clock (`received_at`, the category, a start field, a report time) changed without a correction; the clocks keep the value first recorded"},
		Says: map[string]Say{
			"committed": {Msg: Text{Zh: "提交 {commit}（{actor}）未经更正把「{field}」从 {old} 改为 {new}；{verdicts}；时钟沿用 {old}", En: "commit {commit} ({actor}) changed {field} from {old} to {new} without a correction; {verdicts}; the clocks keep {old}"},
				Fix: Text{Zh: "启动或决定时钟的事实一经记录即固定：改回 {old_value}，或把改动记为更正：运行 casebook correct {case} --set {key}={new_value} --reason ... --approved-by ...；或在 policies/acknowledged.yaml 中确认这个提交", En: "a fact that starts or decides a clock is fixed once recorded: set it back to {old_value}, or record the change as a correction: casebook correct {case} --set {key}={new_value} --reason ... --approved-by ...; or acknowledge the commit in policies/acknowledged.yaml"}},
			"uncommitted": {Msg: Text{Zh: "未提交的改动未经更正把「{field}」从 {old} 改为 {new}；{verdicts}；时钟沿用 {old}", En: "an uncommitted change changes {field} from {old} to {new} without a correction; {verdicts}; the clocks keep {old}"},
				Fix: Text{Zh: "启动或决定时钟的事实一经记录即固定：改回 {old_value}，或把改动记为更正：运行 casebook correct {case} --set {key}={new_value} --reason ... --approved-by ...", En: "a fact that starts or decides a clock is fixed once recorded: set it back to {old_value}, or record the change as a correction: casebook correct {case} --set {key}={new_value} --reason ... --approved-by ..."}},
		}},
	{ID: "history.rewritten", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "历史被改写", En: "history rewritten"},
		Doc:   Text{Zh: "`--since REV` 不是 HEAD 的祖先", En: "`--since REV` is not an ancestor of HEAD"},
		Says: map[string]Say{
			"gone": {Msg: Text{Zh: "提交 {commit} 不在本仓库中：已没有分支或标签指向它，此后历史被改写过（强制推送）", En: "commit {commit} is not in this repository: no branch or tag leads to it any more, so history was rewritten (force-push) since then"},
				Fix: Text{Zh: "从仍有这些提交的克隆（或 git 托管方的 reflog）把丢失的提交推回，或在 policies/acknowledged.yaml 中确认这次改写", En: "push the lost commits back from a clone that still has them (or the git host's reflog), or acknowledge the rewrite in policies/acknowledged.yaml"}},
			"not_ancestor": {Msg: Text{Zh: "{commit} 不是 HEAD 的祖先：此后历史被改写过（rebase、amend 或强制推送）", En: "{commit} is not an ancestor of HEAD: history was rewritten (rebase, amend or force-push) since then"},
				Fix: Text{Zh: "从克隆或 git 托管方的 reflog 恢复被改写的提交，或在 policies/acknowledged.yaml 中确认这次改写", En: "restore the rewritten commits from a clone or the git host's reflog, or acknowledge the rewrite in policies/acknowledged.yaml"}},
		}},
	{ID: "history.closed_edit", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "已结案件被修改", En: "closed case edited"},
		Doc: Text{Zh: "已结案件未经重开流转就被修改（添加 `related` 链接不算修改）",
			En: "a closed case changed without a reopening transition (adding a `related` link is not an edit)"},
		Says: map[string]Say{
			"edited": {Msg: Text{Zh: "提交 {commit} 未经重开就改动了「{state}」案件的{fields}{uncovered}", En: "commit {commit} changed {fields} of a {state} case without reopening it{uncovered}"},
				Fix: Text{Zh: "已结的记录不能再改：先用允许的流转重开，或在 policies/acknowledged.yaml 中确认这个提交", En: "a closed record is final: reopen it with a legal move first, or acknowledge the commit in policies/acknowledged.yaml"}},
			// a rekey that changed a value (pii.go)
			"rekey_changed": {Msg: Text{Zh: "提交 {commit} 声称只是重新加密个人信息（Casebook-Rekey），却在已结案件的{fields}中加密了另一个值",
				En: "commit {commit} claims to seal personal data again (Casebook-Rekey) but seals another value into {fields} of a closed case"},
				Fix: Text{Zh: "已结案件的记录不能再改：恢复原先加密的值（git show {commit}^:{file}），或在 " + AckFile + " 中确认该提交",
					En: "a closed record is final: restore the values sealed before (git show {commit}^:{file}), or acknowledge the commit in " + AckFile}},
		}},
	{ID: "history.backdated", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "时间倒填", En: "backdated"},
		Doc: Text{Zh: "HEAD 可达的任一提交比其父提交早 10 分钟以上（提交者日期）；案件的提交日期（作者或提交者日期）早于其 `received_at` 或登记、晚于 `--now`，或作者日期晚于提交",
			En: "any commit reachable from HEAD more than 10 minutes earlier than its parent (committer dates); a case's commit dated (author or committer date) before its `received_at` or registration, or later than `--now`, or authored after it was committed"},
		Says: map[string]Say{
			"committed_before_receipt": {Msg: Text{Zh: "提交 {commit} 的日期是 {at}，早于案件的受理时间（{received}）", En: "commit {commit} is dated {at}, before the case was received ({received})"},
				Fix: Text{Zh: "核对{field}；" + "如果是时钟有误，在 " + AckFile + " 中确认该提交", En: "check {field}; " + "acknowledge the commit in " + AckFile + " if the clock was wrong"}},
			"authored_before_receipt": {Msg: Text{Zh: "提交 {commit} 自称写于 {at}（作者日期），早于案件的受理时间（{received}）", En: "commit {commit} claims to be written {at} (author date), before the case was received ({received})"},
				Fix: Text{Zh: "核对{field}和作者日期；" + "如果是时钟有误，在 " + AckFile + " 中确认该提交", En: "check {field} and the author date; " + "acknowledge the commit in " + AckFile + " if the clock was wrong"}},
			"committed_before_registration": {Msg: Text{Zh: "提交 {commit} 的日期是 {at}，早于登记该案件的提交 {registered}（{registered_at}）", En: "commit {commit} is dated {at}, before the case was registered by commit {registered} ({registered_at})"},
				Fix: Text{Zh: "案件的改动不能早于它的登记；" + "如果是时钟有误，在 " + AckFile + " 中确认该提交", En: "a change of a case cannot precede its registration; " + "acknowledge the commit in " + AckFile + " if the clock was wrong"}},
			"authored_before_registration": {Msg: Text{Zh: "提交 {commit} 自称写于 {at}（作者日期），早于登记该案件的提交 {registered}（{registered_at}）", En: "commit {commit} claims to be written {at} (author date), before the case was registered by commit {registered} ({registered_at})"},
				Fix: Text{Zh: "案件的改动不能早于它的登记；" + "如果是时钟有误，在 " + AckFile + " 中确认该提交", En: "a change of a case cannot precede its registration; " + "acknowledge the commit in " + AckFile + " if the clock was wrong"}},
			"authored_after_commit": {Msg: Text{Zh: "提交 {commit} 自称写于 {at}（作者日期），晚于它被提交的时间（{committed}）", En: "commit {commit} claims to be written {at} (author date), after it was committed ({committed})"},
				Fix: Text{Zh: "核对作者电脑的时钟；" + "如果是时钟有误，在 " + AckFile + " 中确认该提交", En: "check the author's clock; " + "acknowledge the commit in " + AckFile + " if the clock was wrong"}},
			"committed_after_now": {Msg: Text{Zh: "提交 {commit} 的日期是 {at}，晚于现在（{now}）", En: "commit {commit} is dated {at}, later than now ({now})"},
				Fix: Text{Zh: "核对提交者电脑的时钟，或用 --now 给出正确的当前时间", En: "check the committer's clock, or pass the right --now"}},
			"authored_after_now": {Msg: Text{Zh: "提交 {commit} 自称写于 {at}（作者日期），晚于现在（{now}）", En: "commit {commit} claims to be written {at} (author date), later than now ({now})"},
				Fix: Text{Zh: "核对提交者电脑的时钟，或用 --now 给出正确的当前时间", En: "check the committer's clock, or pass the right --now"}},
			"before_parent": {Msg: Text{Zh: "提交 {commit} 的日期是 {at}，早于它的父提交（{parent_at}）", En: "commit {commit} is dated {at}, earlier than its parent ({parent_at})"},
				Fix: Text{Zh: "提交日期不能倒退，无论该提交是否改动案件；" + "如果是时钟有误，在 " + AckFile + " 中确认该提交", En: "commit dates must not go backwards, whether or not the commit changes a case; " + "acknowledge the commit in " + AckFile + " if the clock was wrong"}},
		}},
	{ID: "history.late_entry", Severity: Warning, Ack: AckAlways,
		Label: Text{Zh: "补录", En: "late entry"},
		Doc: Text{Zh: "提交进入此历史的时间比它声称的时刻晚于政策的 `late_entry` 窗口（默认 72 小时）：作者日期早于提交者日期，或合并带入了早得多的提交",
			En: "a commit entered this history more than the policy's `late_entry` window (default 72 hours) after the moment it claims: its author date before its committer date, or a merge bringing in commits authored that much earlier"},
		Says: map[string]Say{
			"late": {Msg: Text{Zh: "提交 {commit} 自称写于 {at}（作者日期），却在 {committed}（提交者日期）才提交，晚了 {window}以上",
				En: "commit {commit} claims the moment {at} (author date) but was committed {committed} (committer date), more than {window} later"},
				Fix: Text{Zh: "事情办完就记录；如果确有原因补录，在 " + AckFile + " 中确认该提交", En: "record work when it is done; acknowledge the commit in " + AckFile + " if it was entered late for a reason"}},
			"merge": {Msg: Text{Zh: "合并提交 {commit}（{at}）带入了 {n} 个作者日期比它早 {window}以上的提交：{commits}",
				En: "merge commit {commit} ({at}) brought into this history {n} commits authored more than {window} before it: {commits}"},
				Fix: Text{Zh: "改动到达本分支时才进入记录，但它的时钟按它自称的日期计算：如果工作确实在那时完成，在 " + AckFile + " 中确认该合并提交，并写明谁能证明",
					En: "a change enters the record when it reaches this branch, though its clocks count from the date it claims: if the work was really done then, acknowledge the merge commit in " + AckFile + " with who can vouch for it"}},
		}},
	{ID: "history.shallow", Severity: Warning,
		Label: Text{Zh: "浅克隆", En: "shallow clone"},
		Doc: Text{Zh: "在浅克隆中运行 `validate --since`：边界之前登记的案件未被判断（消息中列出）；`git fetch --unshallow`",
			En: "`validate --since` in a shallow clone: the cases registered before its boundary were not judged (named in the message); `git fetch --unshallow`"},
		Says: map[string]Say{
			"unjudged": {Msg: Text{Zh: "这是浅克隆：没有获取提交 {commit} 之前的历史；在它之前登记的 {count} 个案件未经检查：{cases}", En: "this is a shallow clone: the history before commit {commit} was not fetched; {count} cases registered before it were not judged: {cases}"},
				Fix: Text{Zh: "获取完整历史：运行 git fetch --unshallow，或在 actions/checkout 中设 fetch-depth: 0", En: "fetch the whole history: git fetch --unshallow, or fetch-depth: 0 in actions/checkout"}},
		}},
	{ID: "commit.unsigned", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "提交未签名", En: "unsigned commit"},
		Doc:   Text{Zh: "使用 `--require-signed` 时：没有签名的流转提交", En: "with `--require-signed`: a transition commit without a signature"},
		Says: map[string]Say{
			"unsigned": {Msg: Text{Zh: "流转提交 {commit}（{actor}：从「{from}」改为「{to}」）没有签名", En: "transition commit {commit} ({from} -> {to} by {actor}) is not signed"},
				Fix: Text{Zh: "用受信任的密钥给流转提交签名（casebook --sign 或 git commit -S）；旧的提交在 policies/acknowledged.yaml 中确认", En: "sign transition commits with a trusted key (casebook --sign, or git commit -S); acknowledge old ones in policies/acknowledged.yaml"}},
			"unverified": {Msg: Text{Zh: "流转提交 {commit}（{actor}：从「{from}」改为「{to}」）的签名无法验证：{reason}", En: "transition commit {commit} ({from} -> {to} by {actor}) has a signature that does not verify: {reason}"},
				Fix: Text{Zh: "用受信任的密钥给流转提交签名（casebook --sign 或 git commit -S）；旧的提交在 policies/acknowledged.yaml 中确认", En: "sign transition commits with a trusted key (casebook --sign, or git commit -S); acknowledge old ones in policies/acknowledged.yaml"}},
		}},
	{ID: "commit.no_author", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "提交无作者", En: "commit without author"},
		Doc:   Text{Zh: "作者姓名或邮箱为空的流转提交", En: "a transition commit with an empty author name or e-mail"},
		Says: map[string]Say{
			"no_author": {Msg: Text{Zh: "流转提交 {commit}（{from} → {to}）{what}：谁办理的是记录的一部分", En: "transition commit {commit} ({from} -> {to}) has {what}: who acted is part of the record"},
				Fix: Text{Zh: "设置 user.name 和 user.email 后再提交（git config user.name 张三；git config user.email ...）；在 " + AckFile + " 中确认该提交并写明是谁做的",
					En: "commit with user.name and user.email set (git config user.name 张三; git config user.email ...); acknowledge the commit in " + AckFile + " with who made it"}},
		}},
	{ID: "rekey.unchecked", Severity: Warning,
		Label: Text{Zh: "换钥未核对", En: "rekey unchecked"},
		Doc: Text{Zh: "已结案件上的 `Casebook-Rekey` 提交，`validate` 没有身份无法打开核对",
			En: "a `Casebook-Rekey` commit on a closed case that `validate` could not open without an identity"},
		Says: map[string]Say{
			"no_identity": {Msg: Text{Zh: "提交 {commit} 重新加密了已结案件的个人信息（Casebook-Rekey）；没有身份密钥，无法判断值是否不变",
				En: "commit {commit} sealed personal data of a closed case again (Casebook-Rekey); without an identity it cannot be told whether the values are the same"},
				Fix: Text{Zh: "用加密时所用的密钥运行 casebook validate --identity FILE（或设置 CASEBOOK_IDENTITY）", En: "run casebook validate --identity FILE (or CASEBOOK_IDENTITY) with a key the values were sealed for"}},
			"unopened": {Msg: Text{Zh: "提交 {commit} 重新加密了已结案件的个人信息（Casebook-Rekey）；所给的身份密钥打不开{fields}的任何一个版本",
				En: "commit {commit} sealed personal data of a closed case again (Casebook-Rekey); the identity given opens neither version of {fields}"},
				Fix: Text{Zh: "用加密时所用的身份密钥运行 casebook validate", En: "run casebook validate with an identity the values were sealed for"}},
		}},
	{ID: "recusal.conflict", Severity: Error, Blocks: BlockForbidden,
		Label: Text{Zh: "应当回避", En: "recusal conflict"},
		Doc:   Text{Zh: "承办人就是被投诉人", En: "the handler is the respondent"},
		Says: map[string]Say{
			"handler": {Msg: Text{Zh: "「{handler}」{name}同时是被投诉人（「{respondent}」）{basis}", En: "{handler} {name} is also the respondent ({respondent}){basis}"},
				Fix: Text{Zh: "改由被投诉人以外的人承办", En: "assign the case to someone who is not the person complained about"}},
		}},
	{ID: "pii.plaintext", Severity: Error,
		Label: Text{Zh: "个人信息未加密", En: "personal data in plain text"},
		Doc: Text{Zh: "仓库声明了加密接收人（`policies/recipients.txt`），而个人信息以明文保存（或形状不对）",
			En: "the repository declares encryption recipients (`policies/recipients.txt`) and personal data is in plain text (also in the wrong shape)"},
		Says: map[string]Say{
			"misshapen": {Msg: Text{Zh: "{field}以明文保存了个人信息：写成了{shape}，而政策 {policy} 规定为{declared}；网站和 cases.csv 不显示它",
				En: "{field} holds personal data in plain text, as {shape} where policy {policy} declares {declared}; the site and cases.csv withhold it"},
				Fix: Text{Zh: "按政策的规定写（例如 {example}），再用 casebook rekey {case} 加密", En: "write it as the policy declares (e.g. {example}), then seal it with casebook rekey {case}"}},
			"damaged": {Msg: Text{Zh: "{field}是个人信息，它的加密值已损坏：{err}", En: "{field} is personal data and its sealed value is damaged: {err}"},
				Fix: Text{Zh: "从 git 历史中恢复该值，或用 casebook set {case} {path}=... 重新填写（会为 {file} 中的接收人加密）",
					En: "restore the value from git history, or set it again with casebook set {case} {path}=... (it is sealed for the recipients in {file})"}},
			"plain": {Msg: Text{Zh: "{field}是个人信息，却以明文保存，而本仓库声明了加密接收人（{file}）",
				En: "{field} is personal data and is stored in plain text, but the repository declares encryption recipients ({file})"},
				Fix: Text{Zh: "用 casebook rekey {case} 加密（或用 casebook set 重新填写）；如果本仓库不加密，删除接收人文件",
					En: "seal it with casebook rekey {case} (or set it again with casebook set), or remove the recipients file if this repository does not encrypt"}},
		}},
	{ID: "calendar.no_data", Severity: Warning,
		Label: Text{Zh: "缺少节假日数据", En: "no calendar data"},
		Doc: Text{Zh: "某个日期所在年份，节假日日历（lunar-go 或 `policies/calendar.yaml`）没有数据",
			En: "a date falls in a year the holiday calendar (lunar-go, or `policies/calendar.yaml`) has no data for"},
		Says: map[string]Say{
			"year": {Msg: Text{Zh: "「{clock}」：节假日日历没有 {year} 年的数据，期限只按周末推算", En: "{clock}: the holiday calendar has no data for {year}; due date counted with weekends only"},
				Fix: Text{Zh: "按国务院通知把 {year} 年的放假安排加入 policies/calendar.yaml（运行 casebook calendar --import FEED.ics --year {year} --write，再核对），或升级 casebook（github.com/6tail/lunar-go）", En: "add {year} from the State Council's notice to policies/calendar.yaml (`casebook calendar --import FEED.ics --year {year} --write`, then check it), or upgrade casebook (github.com/6tail/lunar-go)"}},
		}},
	{ID: "volume.invalid", Severity: Error,
		Label: Text{Zh: "销量表有误", En: "invalid volume table"},
		Doc: Text{Zh: "`policies/volume.csv`（市场投诉率的分母）有一行写错了；build 也因此停下",
			En: "a row of `policies/volume.csv` (the complaint rate's denominator) is wrong; build stops on it too"}},
	{ID: "policy.invalid", Severity: Error,
		Label: Text{Zh: "政策有误", En: "invalid policy"},
		Doc:   Text{Zh: "政策文件有误（validate 也以 2 退出）", En: "a policy file is wrong (validate also exits 2)"}},
	{ID: "rule.failed", Severity: Error, Blocks: BlockForbidden,
		Label: Text{Zh: "规则不满足", En: "rule failed"},
		Doc: Text{Zh: "政策规则不成立（例如银行第十条：迟复而无延期报告）",
			En: "a policy rule does not hold (e.g. bank 第十条: a late reply without a delay report)"},
		Says: map[string]Say{
			"author": {Msg: Text{Zh: "{message}{basis}{err}", En: "{message}{basis}{err}"},
				Fix: Text{Zh: "使条件 {require} 成立", En: "make `{require}` hold"}},
			"require": {Msg: Text{Zh: "规则 {rule}：条件 {require} 不成立{basis}{err}", En: "rule {rule}: {require} does not hold{basis}{err}"},
				Fix: Text{Zh: "使条件 {require} 成立", En: "make `{require}` hold"}},
		}},
	{ID: "body.too_complex", Severity: Warning,
		Label: Text{Zh: "正文过于复杂", En: "body too complex"},
		Doc: Text{Zh: "正文超出 Markdown 限制（见 Hostile input），以纯文本显示",
			En: "the body goes over a Markdown limit (see Hostile input) and is shown as plain text"},
		Says: map[string]Say{
			"limit": {Msg: Text{Zh: "{what}；网站以纯文本显示正文", En: "{what}; the site shows the body as plain text"},
				Fix: Text{Zh: "在链接定义之间插入空行，或不要把引用和列表嵌套得这么深",
					En: "insert blank lines between link definitions, or write the text without nesting quotes and lists so deep"}},
		}},
	{ID: "ack.unused", Severity: Warning,
		Label: Text{Zh: "确认未用上", En: "unused acknowledgement"},
		Doc: Text{Zh: "`policies/acknowledged.yaml` 的某条目不匹配任何发现",
			En: "an entry of `policies/acknowledged.yaml` matches no finding"},
		Says: map[string]Say{
			"unused": {Msg: Text{Zh: "对 {code} 的确认（案件 {case}，提交 {commit}）不匹配任何发现",
				En: "acknowledgement of {code} (case {case}, commit {commit}) matches no finding"},
				Fix: Text{Zh: "核对代码、案件编号和提交前缀；如发现已消失，删除该条目",
					En: "check the code, case id and commit prefix, or remove the entry if the finding is gone"}},
		}},
	{ID: "correction.recorded", Severity: Info,
		Label: Text{Zh: "已记录的更正", En: "correction recorded"},
		Doc: Text{Zh: "已记录的更正（`casebook correct`），含改动内容、批准人和理由",
			En: "a recorded correction (`casebook correct`), with what it changed, who approved it and why"},
		Says: map[string]Say{
			"recorded": {Msg: Text{Zh: "提交 {commit}（{actor}，{at}）是经{approver}批准的更正：{what}；状态从「{from}」改为「{to}」；改动：{changed}；理由：{reason}", En: "commit {commit} ({actor}, {at}) is a correction approved by {approver}: {what}; status {from} -> {to}; changed {changed}; reason: {reason}"}},
		}},
	{ID: "correction.invalid", Severity: Error, Ack: AckAlways,
		Label: Text{Zh: "更正无效", En: "invalid correction"},
		Doc: Text{Zh: "提交带有 `Casebook-Correction`，但声明不能涵盖它（无理由或批准人、批准人不在政策名单中、另一个案件、超出更正所能做的）",
			En: "a commit carries `Casebook-Correction` but the claim does not cover it (no reason or approver, an approver the policy does not list, another case, more than a correction can do)"},
		Says: map[string]Say{
			"invalid": {Msg: Text{Zh: "提交 {commit} 声称更正 {case}（{trailer}: {what}），但{problem}；按普通提交判断", En: "commit {commit} claims to correct {case} ({trailer}: {what}), but {problem}; it is judged as an ordinary commit"},
				Fix: Text{Zh: "更正要运行 casebook correct {case}（--undo 或 --set 键=值）--reason 理由 --approved-by 批准人 来记录；历史中的这个提交，在 policies/acknowledged.yaml 中确认", En: "record corrections with casebook correct {case} (--undo | --set k=v) --reason TEXT --approved-by NAME; for this commit in history, acknowledge it in policies/acknowledged.yaml"}},
		}},
}

// byID indexes Table; built once, Table is never changed.
var byID = func() map[string]*Code {
	m := make(map[string]*Code, len(Table))
	for i := range Table {
		if _, dup := m[Table[i].ID]; dup {
			panic("validate: finding code listed twice: " + Table[i].ID)
		}
		m[Table[i].ID] = &Table[i]
	}
	return m
}()

// Lookup returns the entry of a code, or false for a code not in Table.
func Lookup(code string) (Code, bool) {
	c, ok := byID[code]
	if !ok {
		return Code{}, false
	}
	return *c, true
}

// Codes are the stable finding codes with their default severities, read
// from Table.
var Codes = func() map[string]Severity {
	m := make(map[string]Severity, len(Table))
	for _, c := range Table {
		m[c.ID] = c.Severity
	}
	return m
}()

// severityOf is the default severity of a code; a code missing from the
// table (a bug the table test catches) counts as an error.
func severityOf(code string) Severity {
	if s, ok := Codes[code]; ok {
		return s
	}
	return Error
}

// Acknowledgeable reports whether policies/acknowledged.yaml may accept
// the finding: a code about the past, or a code acknowledgeable in history
// about a version in history.
func Acknowledgeable(f Finding) bool {
	c, ok := byID[f.Code]
	if !ok {
		return false
	}
	return c.Ack == AckAlways || c.Ack == AckInHistory && f.Commit != ""
}

// AckOf says whether a code may be acknowledged; AckNever for a code not
// in Table.
func AckOf(code string) AckKind {
	if c, ok := byID[code]; ok {
		return c.Ack
	}
	return AckNever
}

// ackCodes lists, sorted, the codes that may be acknowledged for any
// finding of theirs.
func ackCodes() []string {
	var out []string
	for _, c := range Table {
		if c.Ack == AckAlways {
			out = append(out, c.ID)
		}
	}
	sort.Strings(out)
	return out
}

// says renders the variant of code's messages with args. A variant
// missing from Table is a bug that TestTable_Says catches; it renders as
// the variant's name so that nothing is lost.
func says(code, variant string, args msg.Args) (m, fix Text) {
	c, ok := byID[code]
	if !ok {
		return msg.Same(code + ": " + variant), Text{}
	}
	s, ok := c.Says[variant]
	if !ok {
		return msg.Same(code + ": " + variant), Text{}
	}
	return s.Msg.With(args), s.Fix.With(args)
}

// Say fills the finding's message and fix, in both languages, from the
// variant of its code's messages in Table.
func (f *Finding) Say(variant string, args msg.Args) {
	m, fix := says(f.Code, variant, args)
	f.SetText(m, fix)
}

// BlocksWrite says how a write command treats an error finding of code.
func BlocksWrite(code string) Block {
	if c, ok := byID[code]; ok {
		return c.Blocks
	}
	return BlockNone
}

// CodeLabel is the short name of a code in lang, or the code itself.
func CodeLabel(code, lang string) string {
	if c, ok := byID[code]; ok {
		if l := c.Label.In(lang); l != "" {
			return l
		}
	}
	return code
}

// CodesMarkdown renders the README's table of finding codes from Table,
// in English: code, severity, whether it may be acknowledged, whether it
// stops a write, meaning.
func CodesMarkdown() string {
	var b strings.Builder
	b.WriteString("| code | severity | acknowledgeable | stops a write | meaning |\n|---|---|---|---|---|\n")
	ack := map[AckKind]string{AckNever: "no", AckAlways: "yes", AckInHistory: "in history"}
	block := map[Block]string{BlockNone: "no", BlockInput: "as bad input", BlockForbidden: "as not allowed"}
	for _, c := range Table {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", c.ID, c.Severity, ack[c.Ack], block[c.Blocks], c.Doc.En)
	}
	return b.String()
}
