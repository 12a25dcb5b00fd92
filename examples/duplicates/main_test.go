package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDuplicates checks that the program prints what the README quotes:
// the naive client stores a duplicate for every lost answer, this module's
// client none, with or without POST retries.
func TestDuplicates(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	// The README quotes this output: it must be what the program prints.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const intro = "Its output, checked by a test:\n\n```\n"
	_, after, ok := strings.Cut(string(readme), intro)
	want, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatal("the README no longer quotes the output of examples/duplicates")
	}
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}
