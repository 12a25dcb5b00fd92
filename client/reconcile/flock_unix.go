//go:build unix

package reconcile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// acquireFile locks path (creating it), without waiting. The system
// releases the lock when the process ends, however it ends, so a killed
// run never leaves the folder locked.
func acquireFile(path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("reconcile: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", ErrLockHeld, path)
		}
		return nil, fmt.Errorf("reconcile: locking %s: %w", path, err)
	}
	return func() error {
		// Closing the file releases the lock.
		return f.Close()
	}, nil
}
