package client

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/time/rate"
)

// A Limiter paces the client's requests: the client calls Wait before every
// attempt, retries included, and sends only when it returns nil. A
// *rate.Limiter of golang.org/x/time/rate is one:
//
//	client.WithLimiter(rate.NewLimiter(10, 5)) // 10 requests a second, bursts of 5
//
// Many replicas of a service share one organization's budget; a Limiter
// kept outside the process (in Redis, say) lets them draw on it together.
// Wait must return promptly when ctx ends, and be safe for concurrent use.
type Limiter interface {
	Wait(ctx context.Context) error
}

// WithLimiter makes the client wait on l before every attempt, retries
// included. One limiter may serve many clients, which then share its
// budget. When the context ends during a wait, the call ends with the
// context's error. When l fails on its own (its store is down), the call
// fails, nothing sent, with an error that wraps l's error. A *rate.Limiter
// that cannot grant a request before the context's deadline fails at once,
// and the error matches context.DeadlineExceeded too. Before a retry,
// either error wraps the *APIError of the answer being retried as well.
// A nil l is an error. New and every call (a call may draw on another
// budget, for the organization of its [WithAPIKey], say).
func WithLimiter(l Limiter) Option {
	return Option{name: "WithLimiter", where: everywhere, call: func(cc *callConfig) error {
		if l == nil {
			return errors.New("WithLimiter: nil Limiter")
		}
		cc.limiter = l
		return nil
	}}
}

// errLimitOutlasts marks the error of a rate.Limiter whose wait cannot end
// before the context's deadline.
var errLimitOutlasts = errors.New("the client-side rate limit would outlast it")

// waitLimiter waits for the call's limiter, if it has one. The error is
// the context's when ctx ended, else the limiter's own, wrapped.
func (st *call) waitLimiter(ctx context.Context) error {
	l := st.cfg.limiter
	if l == nil {
		return nil
	}
	err := l.Wait(ctx)
	if err == nil {
		return nil
	}
	st.limiterFailed = true
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case outlastsDeadline(l):
		return fmt.Errorf("%w: %w: %w", context.DeadlineExceeded, errLimitOutlasts, err)
	}
	return fmt.Errorf("the rate limiter: %w", err)
}

// outlastsDeadline reports whether a failed Wait of l means that the wait
// would outlast the context's deadline. A *rate.Limiter fails for that
// reason, or asks for more than its burst, which a burst of 1 or more (or
// an infinite rate) rules out; it says so in prose only, not in a value
// that errors.Is could match.
func outlastsDeadline(l Limiter) bool {
	rl, ok := l.(*rate.Limiter)
	return ok && (rl.Burst() >= 1 || rl.Limit() == rate.Inf)
}
