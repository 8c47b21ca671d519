// Command historyread times history.Read on a repository, standing in for
// `casebook validate` in bench/validate.sh until that command exists.
//
//	go run ./bench/historyread -C bench/out/bank
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/history"
)

func main() {
	dir := flag.String("C", ".", "repository")
	nocache := flag.Bool("nocache", false, "do not use the cache")
	cpu := flag.String("cpuprofile", "", "write a CPU profile to this file")
	mem := flag.String("memprofile", "", "write an allocation profile to this file")
	flag.Parse()
	if *mem != "" {
		runtime.MemProfileRate = 4096
	}
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	repo, err := git.PlainOpen(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "historyread:", err)
		os.Exit(2)
	}
	opts := history.Options{Prefix: "cases/", CacheDir: filepath.Join(*dir, ".git", "casebook")}
	if *nocache {
		opts.CacheDir = ""
	}
	start := time.Now()
	h, err := history.Read(repo, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "historyread:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	if *mem != "" {
		if f, err := os.Create(*mem); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	versions, transitions, deleted := 0, 0, 0
	for _, c := range h.Cases {
		versions += len(c.Versions)
		transitions += len(c.Transitions)
		if c.Deleted != nil {
			deleted++
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println("live MiB", ms.HeapAlloc>>20, "sys MiB", ms.Sys>>20)
	fmt.Printf("commits %d cases %d versions %d transitions %d deleted %d in %.2fs\n",
		h.Commits, len(h.Cases), versions, transitions, deleted, time.Since(start).Seconds())
}
