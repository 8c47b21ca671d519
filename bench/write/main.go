// Command write profiles casebook's write path in-process: it registers
// (and then moves) fresh cases in an office repository through the same
// clerk.Desk the CLI uses, timing each operation and optionally writing a
// CPU or heap profile, to find where `new` and `move` spend their time on a
// large repository (bench/write.sh gives the end-to-end figures).
//
//	go run ./bench/write -C bench/out/bank100k -n 5 -cpuprofile /tmp/new.prof
//	go tool pprof -top bench/out/bin/write /tmp/new.prof
//
// It commits to the repository; reset it afterwards (bench/write.sh does).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
)

func main() {
	dir := flag.String("C", "bench/out/bank100k", "the office repository")
	n := flag.Int("n", 5, "cases to register, then move")
	op := flag.String("op", "both", "new, move (moves the cases it registers) or both")
	cpu := flag.String("cpuprofile", "", "write a CPU profile of the timed operations to `FILE`")
	mem := flag.String("memprofile", "", "write a heap profile after the operations to `FILE`")
	flag.Parse()
	if err := run(*dir, *n, *op, *cpu, *mem); err != nil {
		fmt.Fprintln(os.Stderr, "write:", err)
		os.Exit(1)
	}
}

func run(dir string, n int, op, cpuFile, memFile string) error {
	root, r, err := office.FindRoot(dir)
	if err != nil {
		return err
	}
	set, err := policy.LoadSet(root)
	if err != nil {
		return err
	}
	bank, ok := set.Get("bank")
	if !ok {
		return fmt.Errorf("no bank policy")
	}
	now := time.Date(2027, 1, 2, 10, 0, 0, 0, bank.Location)
	d := &clerk.Desk{Root: root, Repo: r, Policies: set, Actor: repo.Identity{Name: "基准测试", Email: "bench@example.com"},
		Now: func() time.Time { return now }}
	if cpuFile != "" {
		f, err := os.Create(cpuFile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var ids []string
	for i := 0; i < n; i++ {
		start := time.Now()
		done, err := d.New(clerk.NewCase{Policy: "bank", Title: fmt.Sprintf("基准测试投诉 %d", i+1), Channel: "visit", Category: "attitude",
			ReceivedAt: time.Date(2026, 12, 31, 16, 0, 0, 0, bank.Location),
			Sets:       []cases.Set{{Path: "complainant.name", Value: "测试客户"}, {Path: "complainant.phone", Value: "13800000000"}}})
		if err != nil {
			return err
		}
		if op != "move" {
			fmt.Printf("new  %s %6.3f s\n", done.ID, time.Since(start).Seconds())
		}
		ids = append(ids, done.ID)
	}
	if op == "new" {
		return writeHeap(memFile)
	}
	for _, id := range ids {
		start := time.Now()
		_, err := d.Move(id, "assigned", []cases.Set{{Path: "assignee", Value: "赵敏"}, {Path: "department", Value: "监察室"},
			{Path: "leader_opinion.by", Value: "孙行长"}, {Path: "leader_opinion.opinion", Value: "请三日内答复"}}, "基准测试")
		if err != nil {
			return err
		}
		fmt.Printf("move %s %6.3f s\n", id, time.Since(start).Seconds())
	}
	return writeHeap(memFile)
}

func writeHeap(file string) error {
	if file == "" {
		return nil
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}
