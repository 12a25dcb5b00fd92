package client

import (
	"context"
	"fmt"
)

type idempotencyKeyKey struct{}

// WithIdempotencyKey returns a copy of ctx that makes [AgentsService.Create]
// send key as its Idempotency-Key instead of a fresh random one.
//
// The client retries a POST whose answer was lost only with
// [WithPOSTRetries]; a caller who retries a Create itself after an error
// can pass contexts with the same key to every call, and a server that
// honours the key (the fake does) replays the first call's answer instead
// of creating a second agent. The same key with another body is refused
// with an error matching [ErrIdempotencyConflict].
//
// key must be 1 to 255 printable ASCII characters (space to tilde); Create
// refuses any other, without sending, with an error matching
// [ErrInvalidParameter]. Other calls ignore the key.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyKey{}, key)
}

// idempotencyKey returns the key WithIdempotencyKey put in ctx, if any.
func idempotencyKey(ctx context.Context) (key string, ok bool) {
	key, ok = ctx.Value(idempotencyKeyKey{}).(string)
	return key, ok
}

// checkIdempotencyKey refuses a key the header cannot carry as given. The
// key is not quoted: it could be anything, a secret included.
func checkIdempotencyKey(key string) error {
	if len(key) < 1 || len(key) > 255 {
		return fmt.Errorf("client: %w: idempotency key of %d bytes: it must have 1 to 255", ErrInvalidParameter, len(key))
	}
	for i := range len(key) {
		if key[i] < 0x20 || key[i] > 0x7e {
			return fmt.Errorf("client: %w: idempotency key: byte %d is not printable ASCII", ErrInvalidParameter, i)
		}
	}
	return nil
}
