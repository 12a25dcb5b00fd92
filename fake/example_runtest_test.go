package fake_test

import (
	"context"
	"fmt"
	"testing"
)

// runTest stands for go test in the examples of helpers that take a
// test's t: it runs body as a test function, with a t whose Error and
// Fatal print the failure (so that the example's output shows it), whose
// Context ends when body returns, and whose cleanups run then, last
// registered first. In a test file, body is the test function itself.
func runTest(body func(t testing.TB)) {
	t := &exampleT{}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	defer func() {
		t.cancel()
		for i := len(t.cleanups) - 1; i >= 0; i-- {
			t.cleanups[i]()
		}
		if v := recover(); v != nil && v != errFatal {
			panic(v)
		}
	}()
	body(t)
}

// errFatal unwinds an example's body on Fatal.
var errFatal = fmt.Errorf("example: test failed")

// exampleT is the t of runTest. It implements the methods the test kit
// and the examples call; any other panics, on the nil testing.TB it
// embeds only to satisfy the interface.
type exampleT struct {
	testing.TB
	ctx      context.Context
	cancel   context.CancelFunc
	cleanups []func()
}

func (t *exampleT) Helper()                           {}
func (t *exampleT) Context() context.Context          { return t.ctx }
func (t *exampleT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Error(args ...any)                 { fmt.Println("FAIL:", fmt.Sprint(args...)) }
func (t *exampleT) Errorf(format string, args ...any) { t.Error(fmt.Sprintf(format, args...)) }
func (t *exampleT) Fatal(args ...any) {
	t.Error(args...)
	panic(errFatal)
}
func (t *exampleT) Fatalf(format string, args ...any) { t.Fatal(fmt.Sprintf(format, args...)) }
