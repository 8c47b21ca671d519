package scaffold

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"text/template"
)

// File is one file init writes, with a slash path relative to the root.
type File struct {
	Path string
	Data []byte
}

// Office describes the office being set up.
type Office struct {
	PolicyID   string
	PolicyName string // Chinese name of the procedure
	Prefix     string // case id prefix
	PolicyYAML []byte // the policy file, copied so the office can edit it
	// OfficeName, when set, is written into the policy copy as office:
	// (see WithOffice) and heads the README.
	OfficeName string
	// Example is the README's example of the daily commands (ExampleOf).
	Example Example
	// CasebookVersion is the version the CI files install with go install
	// ("v1.2.0"): the casebook that runs init, so CI judges as it does.
	CasebookVersion string
	// GoVersion is the Go release the CI files build casebook with ("1.26"):
	// the one that built the casebook running init.
	GoVersion string
}

// The CI files, as templates with [[ ]] delimiters: GitHub's own ${{ }}
// expressions pass through.
var (
	//go:embed ci/github.yml
	githubWorkflow string
	//go:embed ci/gitlab.yml
	gitlabCI string
)

// What the CI files accept as casebook's version (what go install takes
// after @) and as Go's.
var (
	moduleVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
	goRelease     = regexp.MustCompile(`^[0-9]+\.[0-9]+(\.[0-9]+)?$`)
)

// CI files, by their path in the office repository.
const (
	GitHubWorkflowPath = ".github/workflows/casebook.yml"
	GitLabCIPath       = ".gitlab-ci.yml"
)

// Files returns every file of a new office repository, in a fixed order.
// Existing files are the caller's business: init never overwrites one.
func Files(o Office) ([]File, error) {
	if !moduleVersion.MatchString(o.CasebookVersion) {
		return nil, fmt.Errorf("casebook version %q for the CI files is not a module version like v1.2.0", o.CasebookVersion)
	}
	if !goRelease.MatchString(o.GoVersion) {
		return nil, fmt.Errorf("go version %q for the CI files is not a release like 1.26", o.GoVersion)
	}
	var out []File
	add := func(path string, data []byte) { out = append(out, File{Path: path, Data: data}) }
	add("cases/.gitkeep", nil)
	add("templates/.gitkeep", nil)
	add("site/.gitkeep", nil)
	pol, err := WithOffice(o.PolicyYAML, o.OfficeName)
	if err != nil {
		return nil, fmt.Errorf("policies/%s.yaml: %w", o.PolicyID, err)
	}
	add("policies/"+o.PolicyID+".yaml", pol)
	add(".gitignore", []byte(gitignore))
	for _, f := range []struct{ path, tmpl string }{
		{"README.md", readme},
		{GitHubWorkflowPath, githubWorkflow},
		{GitLabCIPath, gitlabCI},
	} {
		t, err := template.New(f.path).Delims("[[", "]]").Parse(f.tmpl)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", f.path, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, o); err != nil {
			return nil, fmt.Errorf("template %s: %w", f.path, err)
		}
		add(f.path, b.Bytes())
	}
	return out, nil
}

// GitignoreLines are the lines .gitignore must hold: the generated site.
var GitignoreLines = []string{"/site/*", "!/site/.gitkeep"}

const gitignore = `# casebook build writes the dashboard here; it is published by CI, not committed.
/site/*
!/site/.gitkeep
`

const readme = `# [[with .OfficeName]][[.]] · [[end]][[.PolicyName]]

本仓库用 casebook 办理投诉、信访和举报。每一件都是 cases/ 下的一个 Markdown 文件，
每一次办理都是一次 git 提交：git 历史就是办理记录，任何人不能悄悄删改。

办理程序写在 policies/[[.PolicyID]].yaml 里（状态、时限、必填事项、升级和回避规则），
可以按本单位的办法修改，改后运行 ` + "`casebook policy check`" + ` 检查。

## 日常办理

    casebook new --title "柜台服务态度差" --channel [[.Example.Channel]] --category [[.Example.Category]] \
        --received-at 2026-10-08T08:30:00+08:00 --set complainant.name=王某 --set complainant.phone=13800000000
[[- with .Example.Move]]
    casebook move [[$.Prefix]]-2026-0001 [[.]][[range $.Example.MoveSets]] --set [[.]][[end]]
[[- end]]
    casebook set [[.Prefix]]-2026-0001 department=办公室
[[- with .Example.ExtendRule]]
[[- with $.Example.ExtendSets]]
    casebook set [[$.Prefix]]-2026-0001[[range .]] [[.]][[end]]
[[- end]]
    casebook extend [[$.Prefix]]-2026-0001 --rule [[.]] --until 2026-11-20 --approved-by 王局长 --reason "情况复杂"
[[- end]]
    casebook new --title "再次反映柜台服务态度差" --channel [[.Example.Channel]] --category [[.Example.Category]] \
        --received-at 2026-10-09T09:00:00+08:00
    casebook link [[.Prefix]]-2026-0002 [[.Prefix]]-2026-0001 --as repeat
[[- if .Example.Withdraw]]
    casebook withdraw [[.Prefix]]-2026-0001 --reason "投诉人表示问题已解决" --voluntary yes[[range .Example.WithdrawSets]] --set [[.]][[end]]
[[- end]]

每条命令都会检查办法并生成一次提交，提交人就是办理人（git config user.name，或 --actor）。

## 每天看一看

    casebook list --overdue              超期未办的
    casebook list --due-within 2         两个工作日内到期的
    casebook validate                    全面检查，CI 每次推送也会运行
    casebook stats --by month            按月统计和按时率
    casebook calendar --from 2026-09-28 --to 2026-10-12   核对节假日和调休

## 多人协作

每位办理人在自己的电脑上克隆本单位的共享仓库（` + "`git clone 共享仓库地址`" + `），
在克隆里办理。上班开始和下班之前各运行一次：

    casebook sync                        取回同事的办理记录，推送自己的

- 两人各自登记、编号撞车时，sync 把本机登记的那一件改用下一个空号（文件名和 id 一并改，
  提交里写明 Casebook-Renumbered: 旧编号 -> 新编号），并在屏幕上提示。请把新编号告知投诉人；
  用旧编号查询（casebook show 旧编号）会说明改到了哪里。
- 两人改了同一件案件时，sync 停下，什么也不推送，本机也不变。按提示用 git 合并
  （` + "`git pull --no-rebase`" + `，保留双方的修改后提交），再运行 casebook sync。
- 编号冲突已经进了历史（有人用 git 直接合并），validate 报 id.collision：
  用 ` + "`casebook renumber 编号`" + ` 给其中一件改号，原来的记录都保留。
- 没有网络、密码不对或推送被拒时，sync 报错退出，本机的提交都在，问题解决后再运行即可。
- 共享仓库用 SSH 地址时，先把密钥加入 ssh-agent（ssh-add）；用 HTTPS 地址时，用 git 的
  凭据助手保存账号（git config --global credential.helper store，或 Windows 的 manager），
  也可以设置环境变量 CASEBOOK_GIT_USERNAME 和 CASEBOOK_GIT_PASSWORD（或 CASEBOOK_GIT_TOKEN）。

## 发布看板（CI）

本仓库带有 GitHub 和 GitLab 的 CI 文件（.github/workflows/casebook.yml 和 .gitlab-ci.yml），
用哪一家就留哪一家的。

- 推送到 main、每天早上 8 点（北京时间）：运行 casebook validate --strict 检查全部案件和历史，
  同时生成看板，发布到 Pages。检查发现问题（例如有超期案件）时，检查任务报错
  （GitLab 上流水线显示为带警告通过），看板照常发布。
- 合并请求：只检查，不发布。
- GitHub：在 Settings → Pages → Build and deployment → Source 选 GitHub Actions。每天的运行
  已写在文件里（cron 按 UTC 计：0 0 * * *，就是北京时间 8 点）。
- GitLab：定时运行不能写在文件里，请在 Build → Pipeline schedules 新建一个：
  间隔 0 8 * * *，时区 Asia/Shanghai，目标分支 main。
- 发布的是公开版（--audience public）：只有统计数字，没有案件页面、正文和姓名。内部版
  （internal）有全部案件，只能发布到有访问控制的网站：把 CI 文件里的 CASEBOOK_AUDIENCE 改成 internal。
- 每次发布都在网站上留下 published-commit.txt（发布的是哪一次提交），下一次运行用
  validate --since 检查这之后历史有没有被改写。网站需要登录时 CI 读不到它：请把
  CASEBOOK_SINCE 设成 CI 能找到的标签或提交。
- casebook 的版本写在 CI 文件的 CASEBOOK_VERSION 里，升级时改这个值。

## 注意

- 不要删除案件文件，也不要改写 git 历史（rebase、amend、force push）：validate 会报告。
- 个人信息（投诉人姓名、电话、证件号、住址）只在需要时查看，不要外传。
- 办结后的案件不能再改；确需重新办理的，用 move 重新转办。
`
