package fake

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFifo: items leave in the order they came, across the ring's wrap
// and its growth, and the storage stays within about twice the most items
// live at once, however many pass through.
func TestFifo(t *testing.T) {
	var q fifo[int]
	for i := range 10_000 {
		q.push(i)
		if q.len() > 100 {
			if *q.front() != i-100 {
				t.Fatalf("front %d, want %d", *q.front(), i-100)
			}
			q.pop()
		}
	}
	if q.len() != 100 || *q.front() != 9900 || len(q.ring) > 256 {
		t.Errorf("%d live from %d, storage %d; want 100 from 9900 in at most 256", q.len(), *q.front(), len(q.ring))
	}
	if q.head+q.n <= len(q.ring) {
		t.Fatalf("the live items do not wrap (head %d of %d): the test checks nothing of the wrap", q.head, len(q.ring))
	}
	// Growth while wrapped keeps the order.
	for i := range 300 {
		q.push(20_000 + i)
		if i%3 == 0 {
			q.pop()
		}
	}
	want := []int{}
	for v := 9900; v < 10_000; v++ {
		want = append(want, v)
	}
	for i := range 300 {
		want = append(want, 20_000+i)
	}
	want = want[100:]
	if diff := cmp.Diff(want, items(&q)); diff != "" {
		t.Errorf("after pushes across growth (-want +got):\n%s", diff)
	}
}

// items returns q's live items, oldest first.
func items(q *fifo[int]) []int {
	out := []int{}
	for k := range q.len() {
		out = append(out, *q.item(k))
	}
	return out
}
