package fake

import (
	"slices"
	"testing"
)

// TestFifo: items leave in the order they came, keep drops in place, and
// the storage stays within about twice the live items however many pass
// through.
func TestFifo(t *testing.T) {
	var q fifo[int]
	for i := range 10_000 {
		q.push(i)
		if q.len() > 100 {
			if q.front() != i-100 {
				t.Fatalf("front %d, want %d", q.front(), i-100)
			}
			q.pop()
		}
	}
	if q.len() != 100 || q.front() != 9900 || cap(q.items) > 512 {
		t.Errorf("%d live from %d, storage %d; want 100 from 9900 in a few hundred", q.len(), q.front(), cap(q.items))
	}
	q.keep(func(v int) bool { return v%2 == 0 })
	if got := q.live(); len(got) != 50 || got[0] != 9900 || got[49] != 9998 || !slices.IsSorted(got) {
		t.Errorf("after keep: %v", got)
	}
}
