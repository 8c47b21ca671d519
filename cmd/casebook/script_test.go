package main

import (
	"flag"
	"os"
	"os/exec"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/casebook/casebook/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"casebook": func() { os.Exit(cli.Main()) },
	})
}

// TestScript runs the end-to-end scripts in testdata/script. Each builds a
// small repository with plain git, with its own identity and dates.
var update = flag.Bool("update", false, "rewrite the golden files of the scripts (cmp against a file of the archive) from what the commands print")

func TestScript(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_CONFIG_GLOBAL", env.WorkDir+"/.gitconfig")
			env.Setenv("GIT_AUTHOR_NAME", "测试员")
			env.Setenv("GIT_AUTHOR_EMAIL", "tester@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "测试员")
			env.Setenv("GIT_COMMITTER_EMAIL", "tester@example.com")
			env.Setenv("TZ", "Asia/Shanghai")
			// Messages are Chinese unless the environment is English. The
			// scripts written before there were two languages read the
			// English words; the scripts about the clerk's language
			// (messages_*.txtar) clear LANG or pass --lang.
			env.Setenv("LANG", "en_US.UTF-8")
			// Every finding any script provokes must read whole in both
			// languages (validate.WordsProblem), or validate exits 3.
			env.Setenv("CASEBOOK_CHECK_WORDS", "1")
			return os.WriteFile(env.WorkDir+"/.gitconfig", []byte("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"), 0o644)
		},
	})
}
