package fake

// fifo is a first-in, first-out queue for the journal and the idempotency
// memory, which drop their oldest items on every add once full. It is a
// ring: an item is written once where it stays until it is dropped, so a
// full queue costs the same on every add, with no slide of the items
// behind it. The ring doubles when full and never shrinks, so it holds at
// most about twice the most items ever live at once. The zero fifo is
// empty. It is not safe for concurrent use: its owner's lock guards it.
type fifo[T any] struct {
	ring []T // used as a circle
	head int // where the oldest item is
	n    int // how many items are live
}

// push adds v at the back.
func (q *fifo[T]) push(v T) {
	if q.n == len(q.ring) {
		bigger := make([]T, max(8, 2*len(q.ring)))
		q.copyTo(bigger)
		q.ring, q.head = bigger, 0
	}
	q.ring[q.at(q.n)] = v
	q.n++
}

// at returns where the item k places behind the oldest is.
func (q *fifo[T]) at(k int) int {
	i := q.head + k
	if i >= len(q.ring) {
		i -= len(q.ring)
	}
	return i
}

// item returns the k-th live item, the oldest being 0.
func (q *fifo[T]) item(k int) *T { return &q.ring[q.at(k)] }

// len returns how many items are live.
func (q *fifo[T]) len() int { return q.n }

// front returns the oldest item; the queue must not be empty.
func (q *fifo[T]) front() *T { return &q.ring[q.head] }

// pop drops the oldest item; the queue must not be empty.
func (q *fifo[T]) pop() {
	var zero T
	q.ring[q.head] = zero // let what it holds be collected
	q.head = q.at(1)
	q.n--
}

// copyTo copies the live items, oldest first, to dst, which must have
// room for them.
func (q *fifo[T]) copyTo(dst []T) {
	k := copy(dst, q.ring[q.head:min(q.head+q.n, len(q.ring))])
	copy(dst[k:q.n], q.ring)
}
