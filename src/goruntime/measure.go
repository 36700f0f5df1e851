// What the replay measures, and how: runtime/metrics at timeline samples (no stop of the
// world, no mcache flush, so the replay's allocation pattern is not disturbed), and
// runtime.ReadMemStats (stops the world, flushes every mcache) at the two full snapshots.
package main

import (
	"runtime"
	"runtime/metrics"
)

// sample is one timeline point, read from runtime/metrics.
type sample struct {
	HeapInuse     uint64 `json:"heap_inuse"`     // objects + unused: bytes in in-use spans
	HeapObjects   uint64 `json:"heap_objects"`   // /memory/classes/heap/objects:bytes
	HeapFootprint uint64 `json:"heap_footprint"` // in-use + free spans not released
	Cycles        uint64 `json:"cycles"`         // completed GC cycles
	HeapGoal      uint64 `json:"heap_goal"`
}

// classObjects is one size class of /gc/heap/{allocs,frees}-by-size (exact after a flush).
type classObjects struct {
	ObjectSize uint64 `json:"object_size"` // 0: large objects
	Mallocs    uint64 `json:"mallocs"`
	Frees      uint64 `json:"frees"`
}

// snapshot is a full ReadMemStats, with the per-class counts read right after its flush.
type snapshot struct {
	HeapInuse    uint64         `json:"heap_inuse"`
	HeapAlloc    uint64         `json:"heap_alloc"`
	HeapSys      uint64         `json:"heap_sys"`
	HeapReleased uint64         `json:"heap_released"`
	HeapObjects  uint64         `json:"heap_objects"`
	Mallocs      uint64         `json:"mallocs"`
	Frees        uint64         `json:"frees"`
	NumGC        uint32         `json:"num_gc"`
	NextGC       uint64         `json:"next_gc"`
	Classes      []classObjects `json:"classes,omitempty"`
}

// meter holds every buffer a measurement needs, allocated before the baseline, so that
// measuring during the replay allocates nothing on the Go heap.
type meter struct {
	scalars []metrics.Sample
	hists   []metrics.Sample
	stats   runtime.MemStats
}

const (
	mObjects = iota
	mUnused
	mFree
	mCycles
	mGoal
)

func newMeter() *meter {
	m := &meter{
		scalars: []metrics.Sample{
			{Name: "/memory/classes/heap/objects:bytes"},
			{Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/memory/classes/heap/free:bytes"},
			{Name: "/gc/cycles/total:gc-cycles"},
			{Name: "/gc/heap/goal:bytes"},
		},
		hists: []metrics.Sample{
			{Name: "/gc/heap/allocs-by-size:bytes"},
			{Name: "/gc/heap/frees-by-size:bytes"},
		},
	}
	// The first read allocates the histograms; later reads reuse them.
	metrics.Read(m.scalars)
	metrics.Read(m.hists)
	return m
}

func (m *meter) sample() sample {
	metrics.Read(m.scalars)
	v := func(i int) uint64 { return m.scalars[i].Value.Uint64() }
	return sample{
		HeapInuse:     v(mObjects) + v(mUnused),
		HeapObjects:   v(mObjects),
		HeapFootprint: v(mObjects) + v(mUnused) + v(mFree),
		Cycles:        v(mCycles),
		HeapGoal:      v(mGoal),
	}
}

// heapInuse is the cheap read the seal uses to see a fresh span start.
func (m *meter) heapInuse() uint64 {
	metrics.Read(m.scalars[:2])
	return m.scalars[mObjects].Value.Uint64() + m.scalars[mUnused].Value.Uint64()
}

// snapshot stops the world; withClasses also reads the per-class counts (allocates the
// result slice, so only where allocation no longer matters or is accounted for).
func (m *meter) snapshot(classes []classObjects) snapshot {
	runtime.ReadMemStats(&m.stats)
	s := snapshot{
		HeapInuse: m.stats.HeapInuse, HeapAlloc: m.stats.HeapAlloc, HeapSys: m.stats.HeapSys,
		HeapReleased: m.stats.HeapReleased, HeapObjects: m.stats.HeapObjects,
		Mallocs: m.stats.Mallocs, Frees: m.stats.Frees, NumGC: m.stats.NumGC, NextGC: m.stats.NextGC,
	}
	if classes != nil {
		metrics.Read(m.hists)
		allocs, frees := m.hists[0].Value.Float64Histogram(), m.hists[1].Value.Float64Histogram()
		for i := range allocs.Counts {
			size := uint64(0) // the last bucket: large objects
			if i+1 < len(allocs.Counts) {
				size = uint64(allocs.Buckets[i+1]) - 1 // buckets are [size+1 of class i, ...)
			}
			classes[i] = classObjects{ObjectSize: size, Mallocs: allocs.Counts[i], Frees: frees.Counts[i]}
		}
		s.Classes = classes[:len(allocs.Counts)]
	}
	return s
}

// classBuffer returns a slice long enough for snapshot's per-class counts.
func (m *meter) classBuffer() []classObjects {
	return make([]classObjects, len(m.hists[0].Value.Float64Histogram().Counts))
}
