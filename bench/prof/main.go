// Command prof runs one casebook command under the CPU and heap profilers,
// for finding where validate spends its time on the benchmark fixture.
//
//	go run ./bench/prof -cpu cpu.out -mem mem.out -- -C bench/out/bank validate --now 2027-01-01
package main

import (
	"flag"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/casebook/casebook/internal/cli"
)

func main() {
	cpu := flag.String("cpu", "cpu.out", "write the CPU profile to `FILE`")
	mem := flag.String("mem", "mem.out", "write the heap profile to `FILE`")
	heapAt := flag.Duration("heap-at", 0, "write the heap profile after `D` instead of at the end, to see what a long run holds at its peak")
	flag.Parse()
	if *heapAt > 0 {
		go func() {
			time.Sleep(*heapAt)
			writeHeap(*mem)
		}()
	}
	f, err := os.Create(*cpu)
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	code := cli.Run(flag.Args(), os.Stdin, io.Discard, os.Stderr)
	pprof.StopCPUProfile()
	if *heapAt == 0 {
		writeHeap(*mem)
	}
	os.Exit(code)
}

func writeHeap(file string) {
	m, err := os.Create(file)
	if err != nil {
		panic(err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(m); err != nil {
		panic(err)
	}
	m.Close()
}
