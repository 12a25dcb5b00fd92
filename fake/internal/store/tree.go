package store

// An order-statistic treap of records, newest first. Every list index of the
// store is one of these: the size kept in each node lets a page start be
// found by position in O(log n), and [union] finds a position in the union
// of two trees without merging them, so a member's view (public agents plus
// their own private ones) pages in O(log n + limit) too.
//
// The priority of a node is a hash of its record's sequence number: random
// enough to keep the treap balanced in expectation, and deterministic, so a
// test that builds the same store twice gets the same shape.

// node is one tree node: 32 bytes, so three indexes cost about 100 bytes per
// agent.
type node struct {
	rec         *Record
	left, right *node
	size        uint32 // nodes in this subtree
	prio        uint32
}

// tree is an order-statistic treap. The zero value is empty and ready to
// use. It is not safe for concurrent use: the store's lock guards it.
type tree struct {
	root *node
}

// before reports whether a comes before b in list order: newest createdAt
// first, and among equal createdAt the later creation (higher seq) first.
func before(a, b *Record) bool {
	if a.Created != b.Created {
		return a.Created > b.Created
	}
	return a.seq > b.seq
}

func size(n *node) int {
	if n == nil {
		return 0
	}
	return int(n.size)
}

func (n *node) fix() { n.size = uint32(1 + size(n.left) + size(n.right)) }

// priority mixes seq (splitmix64's finalizer) into a heap priority.
func priority(seq uint64) uint32 {
	z := seq + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return uint32(z ^ (z >> 31))
}

// Len returns the number of records in t.
func (t *tree) Len() int { return size(t.root) }

// insert adds r, which must not be in t already.
func (t *tree) insert(r *Record) {
	t.root = insertNode(t.root, &node{rec: r, size: 1, prio: priority(r.seq)})
}

func insertNode(n, x *node) *node {
	if n == nil {
		return x
	}
	if x.prio > n.prio {
		x.left, x.right = split(n, x.rec)
		x.fix()
		return x
	}
	if before(x.rec, n.rec) {
		n.left = insertNode(n.left, x)
	} else {
		n.right = insertNode(n.right, x)
	}
	n.fix()
	return n
}

// split divides n into the records before r and the others.
func split(n *node, r *Record) (lo, hi *node) {
	if n == nil {
		return nil, nil
	}
	if before(n.rec, r) {
		n.right, hi = split(n.right, r)
		n.fix()
		return n, hi
	}
	lo, n.left = split(n.left, r)
	n.fix()
	return lo, n
}

// join concatenates a and b, where every record of a comes before every
// record of b.
func join(a, b *node) *node {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.prio > b.prio:
		a.right = join(a.right, b)
		a.fix()
		return a
	}
	b.left = join(a, b.left)
	b.fix()
	return b
}

// remove deletes r from t; it does nothing when r is not there.
func (t *tree) remove(r *Record) { t.root = removeNode(t.root, r) }

func removeNode(n *node, r *Record) *node {
	switch {
	case n == nil:
		return nil
	case n.rec == r:
		return join(n.left, n.right)
	case before(r, n.rec):
		n.left = removeNode(n.left, r)
	default:
		n.right = removeNode(n.right, r)
	}
	n.fix()
	return n
}

// cursor walks a tree in list order from a starting position. It holds the
// path of nodes still to visit, so each step costs O(1) amortized.
type cursor struct {
	stack []*node
}

// from returns a cursor at position k (0 is the newest). A k at or past the
// end gives a cursor that is already done.
func (t *tree) from(k int) cursor {
	var c cursor
	for n := t.root; n != nil; {
		switch l := size(n.left); {
		case k < l:
			c.stack = append(c.stack, n)
			n = n.left
		case k == l:
			c.stack = append(c.stack, n)
			return c
		default:
			k -= l + 1
			n = n.right
		}
	}
	return c
}

// peek returns the record at the cursor, or nil when it is done.
func (c *cursor) peek() *Record {
	if len(c.stack) == 0 {
		return nil
	}
	return c.stack[len(c.stack)-1].rec
}

// next moves the cursor one record on.
func (c *cursor) next() {
	n := c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
	for m := n.right; m != nil; m = m.left {
		c.stack = append(c.stack, m)
	}
}

// unionSplit returns how many of the first k records of the union of a and
// b (two trees with no record in common) come from a and how many from b.
// It descends both trees at once, dropping one subtree per step, so it costs
// O(height(a) + height(b)).
//
// At each step, with x and y the two roots and x before y: if k is at most
// the records before y that are certainly counted (x's left, x and y's left,
// less one), the k-th lies before y, so y and its right subtree are out;
// otherwise x and its left subtree all come before the k-th and are taken.
func unionSplit(a, b *tree, k int) (fromA, fromB int) {
	// x is always the root that comes first, and nx its count: swapping
	// the roles lets one case serve both orders.
	x, y, nx, ny := a.root, b.root, &fromA, &fromB
	for x != nil && y != nil {
		if before(y.rec, x.rec) {
			x, y, nx, ny = y, x, ny, nx
		}
		if lx := size(x.left); k <= lx+size(y.left) {
			y = y.left
		} else {
			*nx += lx + 1
			k -= lx + 1
			x = x.right
		}
	}
	if x != nil {
		*nx += k
	} else {
		*ny += k
	}
	return fromA, fromB
}

// page returns up to limit records of the union of a and b (either may be
// nil), starting at position offset of their merged list order.
func page(a, b *tree, offset, limit int) []*Record {
	if b == nil {
		b = &tree{}
	}
	if a == nil {
		a = &tree{}
	}
	if offset >= a.Len()+b.Len() {
		return nil
	}
	i, j := unionSplit(a, b, offset)
	ca, cb := a.from(i), b.from(j)
	out := make([]*Record, 0, min(limit, a.Len()+b.Len()-offset))
	for len(out) < limit {
		ra, rb := ca.peek(), cb.peek()
		switch {
		case ra == nil && rb == nil:
			return out
		case rb == nil || (ra != nil && before(ra, rb)):
			out = append(out, ra)
			ca.next()
		default:
			out = append(out, rb)
			cb.next()
		}
	}
	return out
}
