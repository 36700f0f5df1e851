// --seal: fill the free slots of the runtime's partly used start-up spans of each class the
// trace uses, so that an alloc-only replay starts from empty spans like the model.
package main

import "unsafe"

// seal allocates objects of the class until one starts a fresh span (HeapInuse grows),
// then fills that span too, and keeps them all: the next object of the class begins a
// span of its own. Returns the objects to keep alive.
func seal(m *meter, classes []sealClass, keep []unsafe.Pointer) []unsafe.Pointer {
	for _, c := range classes {
		size, scan := uint64(c.size), c.scan != 0
		for {
			before := m.heapInuse()
			keep = append(keep, allocate(size, scan))
			grown := m.heapInuse() - before
			if grown == 0 {
				continue
			}
			for n := grown / size; n > 1; n-- {
				keep = append(keep, allocate(size, scan))
			}
			break
		}
	}
	return keep
}
