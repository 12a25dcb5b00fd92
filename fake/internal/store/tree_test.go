package store

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// recs makes n records with createdAt drawn from a small range, so that ties
// (broken by seq) are common.
func recs(rng *rand.Rand, n int) []*Record {
	out := make([]*Record, n)
	for i := range out {
		out[i] = &Record{seq: uint64(i + 1), Created: rng.Int64N(int64(n/3 + 1))}
	}
	return out
}

// sorted returns rs in list order, by brute force.
func sorted(rs []*Record) []*Record {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(a, b *Record) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	})
	return out
}

// treeOf returns a tree holding rs.
func treeOf(rs []*Record) *tree {
	var t tree
	for _, r := range rs {
		t.insert(r)
	}
	return &t
}

func seqs(rs []*Record) []uint64 {
	out := make([]uint64, len(rs))
	for i, r := range rs {
		out[i] = r.seq
	}
	return out
}

// checkTree verifies sizes and the heap and search-tree orders.
func checkTree(t *testing.T, n *node) {
	t.Helper()
	if n == nil {
		return
	}
	if int(n.size) != 1+size(n.left)+size(n.right) {
		t.Fatalf("node %d: size %d, children %d+%d", n.rec.seq, n.size, size(n.left), size(n.right))
	}
	for _, c := range []*node{n.left, n.right} {
		if c != nil && c.prio > n.prio {
			t.Fatalf("node %d: child %d has a higher priority", n.rec.seq, c.rec.seq)
		}
	}
	if n.left != nil && !before(n.left.rec, n.rec) || n.right != nil && !before(n.rec, n.right.rec) {
		t.Fatalf("node %d: children out of order", n.rec.seq)
	}
	checkTree(t, n.left)
	checkTree(t, n.right)
}

func TestTreeInsertRemoveFrom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	all := recs(rng, 500)
	tr := treeOf(all)
	checkTree(t, tr.root)
	// Remove every third record, and one that is not there.
	var kept []*Record
	for i, r := range all {
		if i%3 == 0 {
			tr.remove(r)
		} else {
			kept = append(kept, r)
		}
	}
	tr.remove(&Record{seq: 9999, Created: 5})
	checkTree(t, tr.root)
	want := seqs(sorted(kept))
	if tr.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", tr.Len(), len(want))
	}
	for _, k := range []int{0, 1, 17, len(want) - 1, len(want), len(want) + 5} {
		var got []uint64
		c := tr.from(k)
		for r := c.peek(); r != nil; r = c.peek() {
			got = append(got, r.seq)
			c.next()
		}
		if diff := cmp.Diff(want[min(k, len(want)):], got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("from(%d) (-want +got):\n%s", k, diff)
		}
	}
}

// TestPageUnion checks every offset and several limits of the union of two
// trees against a brute-force merge, including empty trees and one tree
// much larger than the other, and a single tree (b nil).
func TestPageUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sizes := range [][2]int{{0, 0}, {0, 7}, {7, 0}, {1, 1}, {40, 3}, {3, 40}, {60, 60}, {50, -1}} {
		all := recs(rng, sizes[0]+max(sizes[1], 0))
		rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		a, b := treeOf(all[:sizes[0]]), treeOf(all[sizes[0]:])
		if sizes[1] < 0 {
			b = nil
		}
		want := seqs(sorted(all))
		for offset := 0; offset <= len(want)+1; offset++ {
			for _, limit := range []int{1, 3, 20} {
				got := seqs(page(a, b, offset, limit))
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
	var tr tree
	for i := range 100000 {
		tr.insert(&Record{seq: uint64(i + 1), Created: int64(i)})
	}
	var depth func(n *node) int
	depth = func(n *node) int {
		if n == nil {
			return 0
		}
		return 1 + max(depth(n.left), depth(n.right))
	}
	if d := depth(tr.root); d > 60 {
		t.Errorf("depth of 100000 sequential inserts = %d, want at most 60", d)
	}
}
