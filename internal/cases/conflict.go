package cases

import "github.com/casebook/casebook/internal/msg"

// conflictError is the parse error of a file holding conflict markers: it
// says what happened instead of what YAML makes of the markers.
func conflictError(file string, line int) *msg.FileError {
	return &msg.FileError{File: file, Line: line,
		Msg: msg.T("未解决的合并冲突：git 在文件里留下了冲突标记（<<<<<<< ======= >>>>>>>）",
			"unresolved merge conflict: git left its conflict markers (<<<<<<< ======= >>>>>>>) in the file"),
		Fix: msg.T("解决冲突：保留正确的内容，删除标记行；如果两边都用这个编号登记了案件，两份记录都要保留，各放一个文件，并运行 casebook renumber 给其中一份换一个新编号",
			"resolve the conflict: keep the right text and delete the marker lines; if both sides registered a case under this id, keep both records, each in its own file, and give one of them a new id with casebook renumber")}
}
