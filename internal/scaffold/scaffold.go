package scaffold

import (
	"bytes"
	"fmt"
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
}

// Files returns every file of a new office repository, in a fixed order.
// Existing files are the caller's business: init never overwrites one.
func Files(o Office) ([]File, error) {
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
		{".github/workflows/casebook.yml", githubWorkflow},
		{".gitlab-ci.yml", gitlabCI},
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

## 注意

- 不要删除案件文件，也不要改写 git 历史（rebase、amend、force push）：validate 会报告。
- 个人信息（投诉人姓名、电话、证件号、住址）只在需要时查看，不要外传。
- 办结后的案件不能再改；确需重新办理的，用 move 重新转办。
`

const githubWorkflow = `# Validate every push with casebook and publish the dashboard to GitHub Pages.
name: casebook
on:
  push:
  pull_request:
permissions:
  contents: read
  pages: write
  id-token: write
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # the audit trail is the whole history
      - uses: actions/setup-go@v5
        with:
          go-version: '1.26'
      - run: go install github.com/casebook/casebook/cmd/casebook@latest
      - run: casebook validate --format github
      - run: casebook build --out site
        if: github.ref == 'refs/heads/main'
      - uses: actions/upload-pages-artifact@v3
        if: github.ref == 'refs/heads/main'
        with:
          path: site
  deploy:
    if: github.ref == 'refs/heads/main'
    needs: validate
    runs-on: ubuntu-latest
    environment:
      name: github-pages
    steps:
      - uses: actions/deploy-pages@v4
`

const gitlabCI = `# Validate every push with casebook and publish the dashboard to GitLab Pages.
variables:
  GIT_DEPTH: "0"   # the audit trail is the whole history
stages: [validate, publish]
validate:
  stage: validate
  image: golang:1.26
  script:
    - go install github.com/casebook/casebook/cmd/casebook@latest
    - casebook validate --format junit > casebook.xml || (casebook validate; exit 1)
  artifacts:
    when: always
    reports:
      junit: casebook.xml
pages:
  stage: publish
  image: golang:1.26
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - go install github.com/casebook/casebook/cmd/casebook@latest
    - casebook build --out public
  artifacts:
    paths: [public]
`
