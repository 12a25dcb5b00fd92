package store

// An order-statistic treap of slots, newest first. Every list index of the
// store is one of these: the size kept in each node lets a page start be
// found by position in O(log n), and [slots.unionSplit] finds a position in
// the union of two trees without merging them, so a member's view (public
// agents plus their own private ones) pages in O(log n + limit) too.
//
// The nodes live in the slots themselves, as numbers rather than pointers
// (see slot), so that the garbage collector has nothing to follow in them.
// A slot is in at most three trees at once, one of each kind: its
// organization's tree of every agent, the tree of its mode, and its
// owner's tree of private agents. A tree names its kind, and the slot keeps
// one link per kind.
//
// The priority of a node is a hash of its slot's sequence number: random
// enough to keep the treap balanced in expectation, and deterministic, so a
// test that builds the same store twice gets the same shape.

// The kinds of tree, which are also the index of a slot's link for each.
const (
	inAll     uint8 = iota // the organization's every agent
	inMode                 // the agents of one mode
	inPrivate              // one owner's private agents
	kinds
)

// link is a slot's node in a tree of one kind: its children, as slot
// numbers (0 for none), and the size of the subtree it roots.
type link struct {
	left, right int32
	size        uint32
}

// tree is a treap of one kind. Its zero value is an empty tree of every
// agent; the others are made by treeOf.
type tree struct {
	root int32 // 0 when empty
	kind uint8
}

// treeOf returns an empty tree of kind.
func treeOf(kind uint8) tree { return tree{kind: kind} }

// slots is the storage every tree of a store walks: the slots by number,
// with number 0 never used, so that 0 can mean "no node".
type slots []slot

func (ss slots) link(i int32, kind uint8) *link { return &ss[i].links[kind] }

// before reports whether slot a comes before slot b in list order: newest
// createdAt first, and among equal createdAt the later creation (higher
// seq) first.
func (ss slots) before(a, b int32) bool {
	if ss[a].created != ss[b].created {
		return ss[a].created > ss[b].created
	}
	return ss[a].seq > ss[b].seq
}

func (ss slots) size(i int32, kind uint8) int {
	if i == 0 {
		return 0
	}
	return int(ss[i].links[kind].size)
}

func (ss slots) fix(i int32, kind uint8) {
	l := ss.link(i, kind)
	l.size = uint32(1 + ss.size(l.left, kind) + ss.size(l.right, kind))
}

func (ss slots) prio(i int32) uint32 { return priority(ss[i].seq) }

// priority mixes seq (splitmix64's finalizer) into a heap priority.
func priority(seq uint64) uint32 {
	z := seq + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return uint32(z ^ (z >> 31))
}

// Len returns the number of slots in t.
func (ss slots) Len(t *tree) int { return ss.size(t.root, t.kind) }

// insert adds slot i, which must not be in t already.
func (ss slots) insert(t *tree, i int32) {
	*ss.link(i, t.kind) = link{size: 1}
	t.root = ss.insertNode(t.root, i, t.kind)
}

func (ss slots) insertNode(n, x int32, kind uint8) int32 {
	if n == 0 {
		return x
	}
	if ss.prio(x) > ss.prio(n) {
		lo, hi := ss.split(n, x, kind)
		l := ss.link(x, kind)
		l.left, l.right = lo, hi
		ss.fix(x, kind)
		return x
	}
	l := ss.link(n, kind)
	if ss.before(x, n) {
		l.left = ss.insertNode(l.left, x, kind)
	} else {
		l.right = ss.insertNode(l.right, x, kind)
	}
	ss.fix(n, kind)
	return n
}

// split divides the subtree n into the slots before x and the others.
func (ss slots) split(n, x int32, kind uint8) (lo, hi int32) {
	if n == 0 {
		return 0, 0
	}
	l := ss.link(n, kind)
	if ss.before(n, x) {
		l.right, hi = ss.split(l.right, x, kind)
		ss.fix(n, kind)
		return n, hi
	}
	lo, l.left = ss.split(l.left, x, kind)
	ss.fix(n, kind)
	return lo, n
}

// join concatenates a and b, where every slot of a comes before every
// slot of b.
func (ss slots) join(a, b int32, kind uint8) int32 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	case ss.prio(a) > ss.prio(b):
		l := ss.link(a, kind)
		l.right = ss.join(l.right, b, kind)
		ss.fix(a, kind)
		return a
	}
	l := ss.link(b, kind)
	l.left = ss.join(a, l.left, kind)
	ss.fix(b, kind)
	return b
}

// remove deletes slot i from t; it does nothing when i is not there.
func (ss slots) remove(t *tree, i int32) { t.root = ss.removeNode(t.root, i, t.kind) }

func (ss slots) removeNode(n, i int32, kind uint8) int32 {
	if n == 0 {
		return 0
	}
	l := ss.link(n, kind)
	switch {
	case n == i:
		return ss.join(l.left, l.right, kind)
	case ss.before(i, n):
		l.left = ss.removeNode(l.left, i, kind)
	default:
		l.right = ss.removeNode(l.right, i, kind)
	}
	ss.fix(n, kind)
	return n
}

// cursor walks a tree in list order from a starting position. It holds the
// path of nodes still to visit, so each step costs O(1) amortized.
type cursor struct {
	ss    slots
	kind  uint8
	stack []int32
}

// from returns a cursor at position k (0 is the newest). A k at or past the
// end gives a cursor that is already done.
func (ss slots) from(t *tree, k int) cursor {
	c := cursor{ss: ss, kind: t.kind}
	for n := t.root; n != 0; {
		l := ss.link(n, t.kind)
		switch ln := ss.size(l.left, t.kind); {
		case k < ln:
			c.stack = append(c.stack, n)
			n = l.left
		case k == ln:
			c.stack = append(c.stack, n)
			return c
		default:
			k -= ln + 1
			n = l.right
		}
	}
	return c
}

// peek returns the slot at the cursor, or 0 when it is done.
func (c *cursor) peek() int32 {
	if len(c.stack) == 0 {
		return 0
	}
	return c.stack[len(c.stack)-1]
}

// next moves the cursor one slot on.
func (c *cursor) next() {
	n := c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
	for m := c.ss.link(n, c.kind).right; m != 0; m = c.ss.link(m, c.kind).left {
		c.stack = append(c.stack, m)
	}
}

// unionSplit returns how many of the first k slots of the union of a and
// b (two trees with no slot in common) come from a and how many from b.
// It descends both trees at once, dropping one subtree per step, so it costs
// O(height(a) + height(b)).
//
// At each step, with x and y the two roots and x before y: if k is at most
// the slots before y that are certainly counted (x's left, x and y's left,
// less one), the k-th lies before y, so y and its right subtree are out;
// otherwise x and its left subtree all come before the k-th and are taken.
func (ss slots) unionSplit(a, b *tree, k int) (fromA, fromB int) {
	// x is always the root that comes first, and nx its count: swapping
	// the roles lets one case serve both orders.
	x, y, kx, ky, nx, ny := a.root, b.root, a.kind, b.kind, &fromA, &fromB
	for x != 0 && y != 0 {
		if ss.before(y, x) {
			x, y, kx, ky, nx, ny = y, x, ky, kx, ny, nx
		}
		lx := ss.link(x, kx)
		if sl := ss.size(lx.left, kx); k <= sl+ss.size(ss.link(y, ky).left, ky) {
			y = ss.link(y, ky).left
		} else {
			*nx += sl + 1
			k -= sl + 1
			x = lx.right
		}
	}
	if x != 0 {
		*nx += k
	} else {
		*ny += k
	}
	return fromA, fromB
}

// page returns up to limit slots of the union of a and b (b may be nil),
// starting at position offset of their merged list order.
func (ss slots) page(a, b *tree, offset, limit int) []int32 {
	if b == nil {
		b = &tree{}
	}
	total := ss.Len(a) + ss.Len(b)
	if offset >= total {
		return nil
	}
	i, j := ss.unionSplit(a, b, offset)
	ca, cb := ss.from(a, i), ss.from(b, j)
	out := make([]int32, 0, min(limit, total-offset))
	for len(out) < limit {
		ra, rb := ca.peek(), cb.peek()
		switch {
		case ra == 0 && rb == 0:
			return out
		case rb == 0 || (ra != 0 && ss.before(ra, rb)):
			out = append(out, ra)
			ca.next()
		default:
			out = append(out, rb)
			cb.next()
		}
	}
	return out
}
