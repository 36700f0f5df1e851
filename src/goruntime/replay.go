// The replay itself: live objects in one pre-sized slice of pointers (one entry per slot),
// noscan objects as make([]byte, n), scan objects as make([]*byte, (n+7)/8), a free drops
// the reference, realloc allocates, copies min(old, new) bytes and drops the old object.
package main

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// zerobase stands for every size-0 object: Go returns &runtime.zerobase for them, no heap.
var zerobase byte

type replayer struct {
	ev      *eventFile
	objects []unsafe.Pointer // one per slot; nil when the slot holds no object
	meter   *meter
	// Sample points: the record index after which each is taken, and its measurements.
	points    []uint64
	samples   []sample
	peakIndex int // index into points of the peak-live snapshot, -1 when none
	peak      snapshot
	peakBuf   []classObjects
	zeroSize  uint64 // size-0 objects (no heap)
	aligned   uint64 // aligned_alloc events (alignment ignored)
	// Parallel mode's pause at sample points (see pauseAt).
	mu       sync.Mutex
	cond     *sync.Cond
	arrived  []int
	released int
}

func newReplayer(ev *eventFile, m *meter) *replayer {
	r := &replayer{ev: ev, meter: m, objects: make([]unsafe.Pointer, ev.slots), peakIndex: -1}
	for i := range ev.records {
		f := ev.records[i].flags
		if f&(flagSample|flagPeakLive) == 0 {
			continue
		}
		if f&flagPeakLive != 0 {
			r.peakIndex = len(r.points)
		}
		r.points = append(r.points, uint64(i))
	}
	r.samples = make([]sample, len(r.points))
	r.arrived = make([]int, len(r.points))
	r.cond = sync.NewCond(&r.mu)
	r.peakBuf = m.classBuffer()
	return r
}

func allocate(n uint64, scan bool) unsafe.Pointer {
	if n == 0 {
		return unsafe.Pointer(&zerobase)
	}
	if scan {
		return unsafe.Pointer(&make([]*byte, (n+7)/8)[0])
	}
	return unsafe.Pointer(&make([]byte, n)[0])
}

// apply runs one event. A free or realloc of an object another replay thread began waits
// for its publication (the other thread's store into its slot).
func (r *replayer) apply(e *record) {
	switch e.op {
	case opFree, opRealloc:
		slot := &r.objects[e.slot]
		old := atomic.LoadPointer(slot)
		for old == nil && e.flags&flagCross != 0 {
			runtime.Gosched()
			old = atomic.LoadPointer(slot)
		}
		if e.op != opRealloc {
			atomic.StorePointer(slot, nil)
			return
		}
		p := allocate(e.size, e.flags&flagScan != 0)
		if n := min(e.size, e.oldSize); n > 0 {
			copy(unsafe.Slice((*byte)(p), n), unsafe.Slice((*byte)(old), n))
		}
		r.count(e.size)
		// The new object may take the old one's slot: drop the old reference first.
		atomic.StorePointer(slot, nil)
		atomic.StorePointer(&r.objects[e.newSlot], p)
	default:
		if e.op == opAlignedAlloc {
			r.aligned++
		}
		r.count(e.size)
		atomic.StorePointer(&r.objects[e.slot], allocate(e.size, e.flags&flagScan != 0))
	}
}

func (r *replayer) count(size uint64) {
	if size == 0 {
		atomic.AddUint64(&r.zeroSize, 1)
	}
}

func min(a, b uint64) uint64 {
	if a < b {
		return a
	}
	return b
}

// measure takes point k's figures: the cheap sample always, the full snapshot at peak live.
func (r *replayer) measure(k int) {
	r.samples[k] = r.meter.sample()
	if k == r.peakIndex {
		r.peak = r.meter.snapshot(r.peakBuf)
	}
}

// runSim replays every event in recorded order on this goroutine (GOMAXPROCS=1).
func (r *replayer) runSim() {
	k := 0
	for i := range r.ev.records {
		r.apply(&r.ev.records[i])
		if k < len(r.points) && r.points[k] == uint64(i) {
			r.measure(k)
			k++
		}
	}
}

// parallelRun is one goroutine per replay thread, started before the baseline and kept
// until after the final GC, so that everything the runtime allocates for them (g, m,
// sudog, the closures of the go statements) is in the baseline and stays alive: a replay
// thread's goroutine allocates only the trace's objects.
type parallelRun struct {
	r       *replayer
	wg      sync.WaitGroup
	spin    int32 // warm-up: goroutines spinning at once
	phase   int   // 0 warming up, 1 replaying, 2 may exit
	waiting int   // goroutines waiting for the next phase
}

// startParallel starts the goroutines and returns once each has spun while all the others
// did (so the runtime has started an M for every P) and waits to replay.
func (r *replayer) startParallel() *parallelRun {
	p := &parallelRun{r: r}
	n := int(r.ev.threads)
	for t := uint32(0); t < r.ev.threads; t++ {
		p.wg.Add(1)
		go p.worker(t)
	}
	r.mu.Lock()
	for p.waiting < n {
		r.cond.Wait()
	}
	r.mu.Unlock()
	return p
}

func (p *parallelRun) worker(t uint32) {
	defer p.wg.Done()
	n := int32(p.r.ev.threads)
	warmTimers() // this P's
	atomic.AddInt32(&p.spin, 1)
	for deadline := time.Now().Add(100 * time.Millisecond); atomic.LoadInt32(&p.spin) < n &&
		time.Now().Before(deadline); {
	}
	p.await(1)
	p.r.runThread(t)
	p.await(2)
}

// await counts this goroutine as waiting and sleeps until the phase is reached.
func (p *parallelRun) await(phase int) {
	p.r.mu.Lock()
	p.waiting++
	p.r.cond.Broadcast()
	for p.phase < phase {
		p.r.cond.Wait()
	}
	p.r.mu.Unlock()
}

// advance moves every goroutine to the next phase; replay then waits until all are done
// replaying.
func (p *parallelRun) advance() {
	p.r.mu.Lock()
	p.waiting = 0
	p.phase++
	p.r.cond.Broadcast()
	p.r.mu.Unlock()
}

// replay runs the replay and returns when every goroutine has finished its events.
func (p *parallelRun) replay() {
	p.advance()
	p.r.mu.Lock()
	for p.waiting < int(p.r.ev.threads) {
		p.r.cond.Wait()
	}
	p.r.mu.Unlock()
}

// finish lets the goroutines exit.
func (p *parallelRun) finish() {
	p.advance()
	p.wg.Wait()
}

func (r *replayer) runThread(t uint32) {
	k := 0
	for i := range r.ev.records {
		for k < len(r.points) && r.points[k] < uint64(i) {
			r.pauseAt(k)
			k++
		}
		if e := &r.ev.records[i]; e.thread == t {
			r.apply(e)
		}
	}
	for ; k < len(r.points); k++ {
		r.pauseAt(k)
	}
}

func (r *replayer) pauseAt(k int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.arrived[k]++
	if r.arrived[k] == int(r.ev.threads) {
		r.measure(k)
		r.released = k + 1
		r.cond.Broadcast()
		return
	}
	for r.released <= k {
		r.cond.Wait()
	}
}
