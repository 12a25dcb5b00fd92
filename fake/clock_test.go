package fake

import (
	"sync"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/internal/rules"
)

func TestClock(t *testing.T) {
	t.Parallel()
	c := NewClock(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Fatalf("Now() = %v, want %v", got, t0)
	}
	c.Advance(90 * time.Second)
	c.Advance(-30 * time.Second)
	if got, want := c.Now(), t0.Add(time.Minute); !got.Equal(want) {
		t.Errorf("after Advance: %v, want %v", got, want)
	}
	var zero Clock
	if !zero.Now().IsZero() {
		t.Error("the zero Clock must read the zero time")
	}
}

func TestSequentialIDs(t *testing.T) {
	t.Parallel()
	next := SequentialIDs()
	var mu sync.Mutex
	seen := make(map[string]bool)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				id := next()
				mu.Lock()
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for i := 1; i <= 200; i++ {
		if id := "agent_" + itoa(i); !seen[id] {
			t.Fatalf("%s never made; %d distinct ids", id, len(seen))
		}
	}
	if len(seen) != 200 {
		t.Errorf("%d distinct ids, want 200", len(seen))
	}
	if id := SequentialIDs()(); !rules.ValidID(id) {
		t.Errorf("%q is not a valid agent id", id)
	}
}
