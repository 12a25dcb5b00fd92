package store

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// slotsOf makes slots 1..n (0 unused) with createdAt drawn from a small
// range, so that ties (broken by seq) are common; slot i has seq i.
func slotsOf(rng *rand.Rand, n int) slots {
	ss := make(slots, n+1)
	for i := 1; i <= n; i++ {
		ss[i] = slot{seq: uint64(i), created: rng.Int64N(int64(n/3 + 1))}
	}
	return ss
}

// sorted returns the slot numbers nums in list order, by brute force.
func sorted(ss slots, nums []int32) []int32 {
	out := slices.Clone(nums)
	slices.SortFunc(out, func(a, b int32) int {
		switch {
		case ss.before(a, b):
			return -1
		case ss.before(b, a):
			return 1
		}
		return 0
	})
	return out
}

// fill inserts nums into a new tree of kind.
func fill(ss slots, kind uint8, nums []int32) *tree {
	t := treeOf(kind)
	for _, i := range nums {
		ss.insert(&t, i)
	}
	return &t
}

// numbers returns 1..n.
func numbers(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i + 1)
	}
	return out
}

// checkTree verifies sizes and the heap and search-tree orders.
func checkTree(t *testing.T, ss slots, n int32, kind uint8) {
	t.Helper()
	if n == 0 {
		return
	}
	l := ss.link(n, kind)
	if int(l.size) != 1+ss.size(l.left, kind)+ss.size(l.right, kind) {
		t.Fatalf("node %d: size %d, children %d+%d", n, l.size, ss.size(l.left, kind), ss.size(l.right, kind))
	}
	for _, c := range []int32{l.left, l.right} {
		if c != 0 && ss.prio(c) > ss.prio(n) {
			t.Fatalf("node %d: child %d has a higher priority", n, c)
		}
	}
	if l.left != 0 && !ss.before(l.left, n) || l.right != 0 && !ss.before(n, l.right) {
		t.Fatalf("node %d: children out of order", n)
	}
	checkTree(t, ss, l.left, kind)
	checkTree(t, ss, l.right, kind)
}

func TestTreeInsertRemoveFrom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ss := slotsOf(rng, 500)
	// Two trees of different kinds over the same slots: their links must
	// not disturb each other.
	tr, other := fill(ss, inMode, numbers(500)), fill(ss, inAll, numbers(500))
	checkTree(t, ss, tr.root, tr.kind)
	// Remove every third slot, and one that is not there.
	var kept []int32
	for _, i := range numbers(500) {
		if i%3 == 0 {
			ss.remove(tr, i)
		} else {
			kept = append(kept, i)
		}
	}
	ss = append(ss, slot{seq: 9999, created: 5})
	ss.remove(tr, int32(len(ss)-1))
	checkTree(t, ss, tr.root, tr.kind)
	checkTree(t, ss, other.root, other.kind)
	if other.root == 0 || ss.Len(other) != 500 {
		t.Fatalf("the other tree holds %d, want 500", ss.Len(other))
	}
	want := sorted(ss, kept)
	if ss.Len(tr) != len(want) {
		t.Fatalf("Len = %d, want %d", ss.Len(tr), len(want))
	}
	for _, k := range []int{0, 1, 17, len(want) - 1, len(want), len(want) + 5} {
		var got []int32
		c := ss.from(tr, k)
		for i := c.peek(); i != 0; i = c.peek() {
			got = append(got, i)
			c.next()
		}
		if diff := cmp.Diff(want[min(k, len(want)):], got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("from(%d) (-want +got):\n%s", k, diff)
		}
	}
}

// TestPageUnion checks every offset and several limits of the union of two
// trees against a brute-force merge, including empty trees and one tree
// much larger than the other, and a single tree (b nil). As in the store,
// the two trees are of different kinds.
func TestPageUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sizes := range [][2]int{{0, 0}, {0, 7}, {7, 0}, {1, 1}, {40, 3}, {3, 40}, {60, 60}, {50, -1}} {
		n := sizes[0] + max(sizes[1], 0)
		ss := slotsOf(rng, n)
		all := numbers(n)
		rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		a, b := fill(ss, inMode, all[:sizes[0]]), fill(ss, inPrivate, all[sizes[0]:])
		if sizes[1] < 0 {
			b = nil
		}
		want := sorted(ss, all)
		for offset := 0; offset <= len(want)+1; offset++ {
			for _, limit := range []int{1, 3, 20} {
				got := ss.page(a, b, offset, limit)
				w := want[min(offset, len(want)):min(offset+limit, len(want))]
				if !slices.Equal(got, w) {
					t.Fatalf("sizes %v offset %d limit %d: got %v, want %v", sizes, offset, limit, got, w)
				}
			}
		}
	}
}

// TestTreeDepth guards the balance: 100,000 sequential inserts (the
// worst case of an unbalanced tree) stay shallow.
func TestTreeDepth(t *testing.T) {
	ss := make(slots, 100001)
	for i := 1; i < len(ss); i++ {
		ss[i] = slot{seq: uint64(i), created: int64(i)}
	}
	tr := fill(ss, inAll, numbers(100000))
	var depth func(n int32) int
	depth = func(n int32) int {
		if n == 0 {
			return 0
		}
		l := ss.link(n, inAll)
		return 1 + max(depth(l.left), depth(l.right))
	}
	if d := depth(tr.root); d > 60 {
		t.Errorf("depth of 100000 sequential inserts = %d, want at most 60", d)
	}
}
