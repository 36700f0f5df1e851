// goalloc-go-runtime replays a goalloc-replay event file (events.go) inside Go's own
// runtime and answers with its measurements as one JSON object on stdout
// (docs/go-runtime.md). GOGC, GOMEMLIMIT and GOMAXPROCS come from the environment the C++
// side sets from the start. Exit status: 0 done, 2 bad input or usage.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"syscall"
	"time"
	"unsafe"
)

type result struct {
	GoVersion       string    `json:"go_version"`
	Gomaxprocs      int       `json:"gomaxprocs"`
	Baseline        snapshot  `json:"baseline"`
	BaselineSample  sample    `json:"baseline_sample"`
	BaselineRSS     uint64    `json:"baseline_rss"`
	EndRSS          uint64    `json:"end_rss"`
	Samples         []sample  `json:"samples"`
	Peak            *snapshot `json:"peak_live"`
	End             snapshot  `json:"end"`
	Final           snapshot  `json:"after_final_gc"`
	LiveTinyBlocks  uint64    `json:"live_tiny_blocks"`
	ZeroSizeObjects uint64    `json:"zero_size_objects"`
	AlignedAllocs   uint64    `json:"aligned_allocs"`
	SealedObjects   int       `json:"sealed_objects"`
	ReplaySeconds   float64   `json:"replay_seconds"`
	CPUSeconds      float64   `json:"cpu_seconds"`
}

// residentBytes reads this process's resident set from /proc/self/statm, opened before the
// baseline, into a buffer on the stack: it allocates nothing on the Go heap.
func residentBytes(statm int) uint64 {
	var buf [128]byte
	n, err := syscall.Pread(statm, buf[:], 0)
	if err != nil {
		return 0
	}
	field, pages := 0, uint64(0)
	for _, c := range buf[:n] {
		if c == ' ' {
			field++
		} else if field == 1 && c >= '0' && c <= '9' {
			pages = pages*10 + uint64(c-'0')
		}
	}
	return pages * uint64(syscall.Getpagesize())
}

// warmTimers makes this P's timer heap big enough for the runtime's own timers (sleeps of
// the scavenger and sweeper), so that adding one during the replay or the final GC does
// not allocate a larger timer slice.
func warmTimers() {
	var timers [16]*time.Timer
	for i := range timers {
		timers[i] = time.AfterFunc(time.Hour, func() {})
	}
	for _, t := range timers {
		t.Stop()
	}
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// liveTinyBlocks counts the distinct 16-byte blocks holding a live tiny object (noscan,
// 1..15 bytes), from the objects' addresses.
func liveTinyBlocks(ev *eventFile, objects []unsafe.Pointer) uint64 {
	tiny := make([]bool, len(objects))
	for i := range ev.records {
		e := &ev.records[i]
		slot, size := e.slot, e.size
		switch e.op {
		case opFree:
			continue
		case opRealloc:
			slot = e.newSlot
		}
		tiny[slot] = e.flags&flagScan == 0 && size > 0 && size < 16
	}
	var blocks []uintptr
	for slot, p := range objects {
		if p != nil && tiny[slot] {
			blocks = append(blocks, uintptr(p)&^15)
		}
	}
	sort.Slice(blocks, func(i, j int) bool { return blocks[i] < blocks[j] })
	n := uint64(0)
	for i := range blocks {
		if i == 0 || blocks[i] != blocks[i-1] {
			n++
		}
	}
	return n
}

func run() error {
	events := flag.String("events", "", "the event file to replay")
	mode := flag.String("mode", "sim", "sim: one goroutine; parallel: one per replay thread")
	sealFlag := flag.Bool("seal", false, "fill the start-up spans of the trace's classes first")
	flag.Parse()
	if *events == "" || (*mode != "sim" && *mode != "parallel") {
		return fmt.Errorf("usage: %s -events FILE [-mode sim|parallel] [-seal]", os.Args[0])
	}
	runtime.MemProfileRate = 0
	ev, err := openEvents(*events)
	if err != nil {
		return err
	}
	m := newMeter()
	r := newReplayer(ev, m)
	baseBuf, endBuf, finalBuf := m.classBuffer(), m.classBuffer(), m.classBuffer()
	keep := make([]unsafe.Pointer, 0, 8192)
	statm, err := syscall.Open("/proc/self/statm", syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	res := result{GoVersion: runtime.Version(), Gomaxprocs: runtime.GOMAXPROCS(0)}
	warmTimers()
	// Collect the runtime's start-up garbage and drop every P's tiny block, seal, collect
	// again (seal's own growth of `keep`), then measure the baseline.
	var parallel *parallelRun
	if *mode == "parallel" {
		parallel = r.startParallel()
	}
	runtime.GC()
	if *sealFlag {
		keep = seal(m, ev.seal, keep)
	}
	runtime.GC()
	res.BaselineRSS = residentBytes(statm)
	res.Baseline = m.snapshot(baseBuf)
	res.BaselineSample = m.sample()
	start, cpu := time.Now(), cpuSeconds()
	if parallel == nil {
		r.runSim()
	} else {
		parallel.replay()
	}
	res.ReplaySeconds, res.CPUSeconds = time.Since(start).Seconds(), cpuSeconds()-cpu
	res.End = m.snapshot(endBuf)
	res.EndRSS = residentBytes(statm)
	runtime.GC()
	res.Final = m.snapshot(finalBuf)
	if parallel != nil {
		parallel.finish()
	}
	// Go's collector does not move objects: the live ones are where they were allocated.
	res.LiveTinyBlocks = liveTinyBlocks(ev, r.objects)
	res.Samples, res.ZeroSizeObjects, res.AlignedAllocs = r.samples, r.zeroSize, r.aligned
	if r.peakIndex >= 0 {
		res.Peak = &r.peak
	}
	res.SealedObjects = len(keep)
	runtime.KeepAlive(r.objects)
	runtime.KeepAlive(keep)
	return json.NewEncoder(os.Stdout).Encode(&res)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(2)
	}
}
