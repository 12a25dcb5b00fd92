package fake

import (
	"log/slog"
	"maps"
	"math/rand/v2"
	"time"
)

// DefaultJournalSize is how many requests the journal keeps unless
// [WithJournalSize] says otherwise.
const DefaultJournalSize = 10000

// apiRateLimits returns the API's requests a minute for each tier.
func apiRateLimits() map[Tier]int {
	return map[Tier]int{TierFree: 60, TierPro: 300, TierEnterprise: 1000}
}

// Option configures a [Server]; pass options to [NewServer] or
// [NewHandler].
type Option func(*config)

// config is what the options set.
type config struct {
	keys         []Key
	now          func() time.Time
	nextID       func() string
	logger       *slog.Logger
	rateLimits   map[Tier]int // nil: limits off
	journalSize  int
	journalBytes int
	idemEntries  int
	idemBytes    int
	bodyTimeout  time.Duration
	maxTenants   int
}

func newConfig(opts []Option) config {
	c := config{
		keys:         DefaultKeys(),
		now:          time.Now,
		nextID:       randomID,
		logger:       slog.New(slog.DiscardHandler),
		journalSize:  DefaultJournalSize,
		journalBytes: DefaultJournalBytes,
		idemEntries:  DefaultIdempotencyEntries,
		idemBytes:    DefaultIdempotencyBytes,
		bodyTimeout:  DefaultBodyTimeout,
		maxTenants:   DefaultMaxTenants,
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithKeys replaces the default keys ([DefaultKeys]) by keys. Every key must
// have all five fields set, with a known role and tier; [NewServer] fails
// the test and [NewHandler] panics otherwise.
//
// [Server.Client] acts as [KeyAcmeOwner] unless told otherwise: when keys
// leave that key out, it still makes a client, whose every request is
// 401 UNAUTHORIZED. Pass it client.WithAPIKey with one of keys.
func WithKeys(keys ...Key) Option {
	return func(c *config) { c.keys = append([]Key(nil), keys...) }
}

// WithClock sets the server's clock: it stamps createdAt and updatedAt, and
// it times idempotency memory and rate-limit refills. The default is
// time.Now. Times are kept in UTC to the millisecond, as the API writes
// them. A change stamps updatedAt with the clock, or one millisecond after
// the agent's previous updatedAt when the clock has not passed it, so that
// updatedAt moves on every change even on a clock that stands still.
// Delays of injected faults use real timers, not this clock. A nil now
// keeps the default.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithIDs sets the source of new agent ids. The default makes "agent_" and
// 16 random lowercase letters and digits. next must return ids the API
// allows ("agent_" and 1 to 64 letters or digits), different each time: a
// create answers 500 when next makes an id the API does not allow, or
// keeps making ids that are taken. A nil next keeps the default.
func WithIDs(next func() string) Option {
	return func(c *config) {
		if next != nil {
			c.nextID = next
		}
	}
}

// WithLogger logs one line per request to l: method, path, status,
// duration and request id, never the API key. The default, and a nil l,
// is silent.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithRateLimits turns rate limiting on, per API key, with perMinute
// requests a minute for each tier. Limits are off without this option, so
// that tests are not flaky by default.
//
// A nil map means the API's figures: free 60, pro 300, enterprise 1000. A
// tier missing from the map keeps the API's figure. Zero or less means no
// limit for that tier.
func WithRateLimits(perMinute map[Tier]int) Option {
	return func(c *config) {
		c.rateLimits = apiRateLimits()
		maps.Copy(c.rateLimits, perMinute)
	}
}

// WithJournalSize sets how many requests the journal keeps: when it is
// full, the oldest is dropped for each new one. The default is
// [DefaultJournalSize]; n below 1 is taken as 1.
func WithJournalSize(n int) Option {
	return func(c *config) { c.journalSize = max(n, 1) }
}

// WithJournalBytes sets how many bytes the journal's entries may hold in
// all (bodies as sent, paths, queries and keys, plus a fixed cost per
// entry): the oldest are dropped until a new one fits, but the newest is
// always kept. The default is [DefaultJournalBytes]. Bodies over
// [JournalBodyCap] bytes, or over n, are recorded as null with
// BodyTruncated set. n below 1 KiB is taken as 1 KiB.
func WithJournalBytes(n int) Option {
	return func(c *config) { c.journalBytes = max(n, 1<<10) }
}

// The idempotency memory's bounds, for all organizations together,
// unless [WithIdempotencyLimits] says otherwise.
const (
	DefaultIdempotencyEntries = 200_000
	DefaultIdempotencyBytes   = 64 << 20
)

// WithIdempotencyLimits bounds the memory of Idempotency-Key answers to
// entries answers and bytes bytes (keys, answer bodies, and a fixed cost
// per answer) in all, for every organization and tenant together. When a
// new answer would pass either bound, the organization using the largest
// share of that memory loses its oldest answers first: a flood of keys
// evicts the flooder's own answers, and an organization that uses less
// than another never loses one to it. A key whose answer was forgotten is
// new again, and a request still in flight is never forgotten. Values
// below 1 are taken as 1.
func WithIdempotencyLimits(entries, bytes int) Option {
	return func(c *config) { c.idemEntries, c.idemBytes = max(entries, 1), max(bytes, 1) }
}

// DefaultBodyTimeout is how long a request's body may take to arrive
// unless [WithBodyTimeout] says otherwise.
const DefaultBodyTimeout = 30 * time.Second

// WithBodyTimeout bounds how long the server waits for one request's body
// to arrive, from the moment its handler starts: a client that sends a
// byte now and then cannot hold a connection open for ever. A body cut
// short this way is answered 400 INVALID_JSON, and the connection is
// closed. It applies where the connection allows deadlines (a server from
// [NewServer], or net/http serving [NewHandler]); d of 0 or less means no
// bound. The default is [DefaultBodyTimeout]. Only the body read is
// bounded: a fault's delay and the answer's write are not.
func WithBodyTimeout(d time.Duration) Option {
	return func(c *config) { c.bodyTimeout = d }
}

// WithMaxTenants sets how many tenants ([Server.NewTenant], POST
// /_fake/tenants) the server holds at once; making one more fails until
// one is removed. The default is [DefaultMaxTenants]; n below 0 is taken
// as 0, which turns tenants off.
func WithMaxTenants(n int) Option {
	return func(c *config) { c.maxTenants = max(n, 0) }
}

// randomID returns "agent_" and 16 random lowercase letters and digits.
func randomID() string { return randomText("agent_", 16) }

// randomText returns prefix and n random lowercase letters and digits,
// in one allocation: every request gets an id made here.
func randomText(prefix string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var small [32]byte // made on the stack: the string is the one allocation
	b := small[:0]
	if len(prefix)+n > len(small) {
		b = make([]byte, 0, len(prefix)+n)
	}
	b = append(b, prefix...)
	// Ten characters from each 64-bit draw: 36^10 < 2^52, and taking
	// each digit in base 36 of a uniform number below 36^10 keeps every
	// character uniform.
	const per, span = 10, 3656158440062976 // 36^10
	for i := 0; i < n; i += per {
		v := rand.Uint64N(span)
		for range min(per, n-i) {
			b = append(b, alphabet[v%36])
			v /= 36
		}
	}
	return string(b)
}
