package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPagination checks the whole transcript: every agent once, one page
// fetched when the loop breaks early, and the mode filter's count.
func TestPagination(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 2,500 agents")
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	const want = `Created 2500 agents: every 5th public, every 7th commercial, the rest private.
All:          2500 agents (2500 distinct) in 25 pages of 100
With break:   the newest 3 are ["agent 2499" "agent 2498" "agent 2497"], in 1 page
Mode public:  500 agents in 25 pages of 20 (the default limit)
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
}
