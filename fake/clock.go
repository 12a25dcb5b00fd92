package fake

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Clock is a clock for [WithClock] that stands still until a test moves it,
// so that createdAt, updatedAt, idempotency expiry and rate-limit refills
// are exact. The zero Clock reads the zero time. It is safe for concurrent
// use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that reads t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time; pass c.Now to [WithClock].
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock d forward (or back, for a negative d).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// SequentialIDs returns an id source for [WithIDs] that makes agent_1,
// agent_2, ... in order. It is safe for concurrent use.
func SequentialIDs() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("agent_%d", n.Add(1)) }
}
