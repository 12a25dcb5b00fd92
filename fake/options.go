package fake

import (
	"log/slog"
	"math/rand/v2"
	"time"
)

// Option configures a [Server]; pass options to [NewServer] or
// [NewHandler].
type Option func(*config)

// config is what the options set.
type config struct {
	keys   []Key
	now    func() time.Time
	nextID func() string
	logger *slog.Logger
}

func newConfig(opts []Option) config {
	c := config{
		keys:   DefaultKeys(),
		now:    time.Now,
		nextID: randomID,
		logger: slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithKeys replaces the default keys ([DefaultKeys]) by keys. Every key must
// have all five fields set, with a known role and tier; [NewServer] fails
// the test and [NewHandler] panics otherwise.
func WithKeys(keys ...Key) Option {
	return func(c *config) { c.keys = append([]Key(nil), keys...) }
}

// WithClock sets the server's clock: it stamps createdAt and updatedAt, and
// it times idempotency memory and rate-limit refills. The default is
// time.Now. Times are kept in UTC to the millisecond, as the API writes
// them. Delays of injected faults use real timers, not this clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithIDs sets the source of new agent ids. The default makes "agent_" and
// 16 random lowercase letters and digits. next must return ids the API
// allows ("agent_" and 1 to 64 letters or digits), different each time; a
// create whose new id is taken answers 500.
func WithIDs(next func() string) Option {
	return func(c *config) { c.nextID = next }
}

// WithLogger logs one line per request to l: method, path, status,
// duration and request id, never the API key. The default is silent.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// randomID returns "agent_" and 16 random lowercase letters and digits.
func randomID() string { return "agent_" + randomText(16) }

// randomText returns n random lowercase letters and digits.
func randomText(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}
