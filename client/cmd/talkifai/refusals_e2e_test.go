//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestE2ERefusals checks the runs that apply refuses before writing, and
// that each says what to do next: a lock held by another run, and a lock
// written for another server.
func TestE2ERefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(threeSpecs)
	e.expect(0, "apply")

	// Another run holds the lock (as a concurrent CI job would).
	f, err := os.OpenFile(filepath.Join(e.dir, "agents/talkifai.lock.json.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	held := e.expect(1, "apply")
	f.Close() // releases the lock

	// The same folder pointed at another server.
	url := e.url
	e.url = strings.Replace(url, "127.0.0.1", "localhost", 1)
	other := e.expect(1, "plan")
	e.url = url
	golden(t, "refusals", strings.ReplaceAll(e.transcript(held, other), strings.Replace(url, "127.0.0.1", "localhost", 1), "$OTHER_URL"))
}
