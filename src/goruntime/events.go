// The replay's input: the decoded trace as a flat file of fixed-size little-endian
// records, written by the C++ side (src/replay/go_runtime_events.h, docs/go-runtime.md)
// and mapped read-only here, so that the events never count in Go's heap or its pacer.
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

const (
	fileMagic  = "GAREVT01"
	headerSize = 64
	recordSize = 32
	sealSize   = 8
)

// Ops, as in the file.
const (
	opMalloc       = 0
	opCalloc       = 1
	opRealloc      = 2
	opFree         = 3
	opAlignedAlloc = 4
)

// Record flags.
const (
	flagScan     = 1 << 0
	flagSample   = 1 << 1 // a timeline sample point: measure after this event
	flagPeakLive = 1 << 2 // the exact peak-live event: full snapshot after it
	flagCross    = 1 << 3 // free/realloc of an object another replay thread began
)

// record is one event; its layout is the file's (little-endian on amd64).
type record struct {
	op      uint8
	flags   uint8
	_       uint16
	thread  uint32 // replay thread
	slot    uint32 // the object that begins (malloc, calloc, aligned_alloc) or ends
	newSlot uint32 // realloc: the new object's slot
	size    uint64 // the requested bytes of the object that begins (free: that ends)
	oldSize uint64 // realloc: the old object's requested bytes
}

// sealClass is one span class the trace uses: the class's object size and whether scan.
type sealClass struct {
	size uint32
	scan uint32
}

type eventFile struct {
	mapping []byte
	records []record
	seal    []sealClass
	slots   uint64
	threads uint32
}

func openEvents(path string) (*eventFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() < headerSize {
		return nil, fmt.Errorf("%s: %d bytes, shorter than the %d-byte header", path, st.Size(), headerSize)
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("%s: mmap: %v", path, err)
	}
	if string(m[0:8]) != fileMagic {
		return nil, fmt.Errorf("%s: not a goalloc-replay event file (magic %q)", path, m[0:8])
	}
	le := binary.LittleEndian
	if rs := le.Uint32(m[8:]); rs != recordSize {
		return nil, fmt.Errorf("%s: record size %d, expected %d", path, rs, recordSize)
	}
	nrec := le.Uint64(m[16:])
	ev := &eventFile{mapping: m, slots: le.Uint64(m[24:]), threads: le.Uint32(m[12:])}
	nseal := le.Uint64(m[32:])
	want := uint64(headerSize) + nrec*recordSize + nseal*sealSize
	if uint64(len(m)) != want {
		return nil, fmt.Errorf("%s: %d bytes, the header announces %d", path, len(m), want)
	}
	if nrec > 0 {
		ev.records = unsafe.Slice((*record)(unsafe.Pointer(&m[headerSize])), nrec)
	}
	if nseal > 0 {
		ev.seal = unsafe.Slice((*sealClass)(unsafe.Pointer(&m[headerSize+nrec*recordSize])), nseal)
	}
	return ev, nil
}
