package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDuplicates checks the numbers the README quotes: the naive client
// stores a duplicate for every lost answer, this module's client none,
// with or without POST retries.
func TestDuplicates(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	const want = `200 creates; the answers of 100 were lost after the agent was stored.

client                                     POSTs sent  errors returned  agents stored  duplicates
naive retries (go-retryablehttp defaults)  300         0                300            100
talkifai client, default                   200         100              200            0
talkifai client, WithPOSTRetries           300         0                200            0
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}
