package fake

// fifo is a first-in, first-out queue for the journal and the idempotency
// memory, which drop their oldest items on every add once full. It drops
// from the front without moving the rest, and slides the rest back once
// half of its slice is dropped items, so that it never holds more than
// about twice what is live. The zero fifo is empty. It is not safe for
// concurrent use: its owner's lock guards it.
type fifo[T any] struct {
	items []T
	head  int // items[head:] are live
}

// push adds v at the back.
func (q *fifo[T]) push(v T) { q.items = append(q.items, v) }

// len returns how many items are live.
func (q *fifo[T]) len() int { return len(q.items) - q.head }

// front returns the oldest item; the queue must not be empty.
func (q *fifo[T]) front() T { return q.items[q.head] }

// pop drops the oldest item; the queue must not be empty.
func (q *fifo[T]) pop() {
	var zero T
	q.items[q.head] = zero // let what it holds be collected
	q.head++
	if q.head > 32 && q.head*2 >= len(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
}

// live returns the live items, oldest first, in the queue's own storage.
func (q *fifo[T]) live() []T { return q.items[q.head:] }

// keep drops every item for which f is false, keeping the order.
func (q *fifo[T]) keep(f func(T) bool) {
	kept := q.items[:0]
	for _, v := range q.items[q.head:] {
		if f(v) {
			kept = append(kept, v)
		}
	}
	clear(q.items[len(kept):])
	q.items, q.head = kept, 0
}
