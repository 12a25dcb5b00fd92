//go:build !unix

package reconcile

import (
	"errors"
	"fmt"
	"os"
)

// acquireFile creates path, failing when it exists. A run that dies
// leaves it: remove it by hand once no run is going.
func acquireFile(path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w: %s exists (remove it if no run is going)", ErrLockHeld, path)
	}
	if err != nil {
		return nil, fmt.Errorf("reconcile: %w", err)
	}
	f.Close()
	return func() error { return os.Remove(path) }, nil
}
