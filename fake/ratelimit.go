package fake

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// limits are the API's rate limits: per API key, a token bucket by tier,
// refilled continuously and holding one minute's worth. Buckets run on the
// server's clock through rate's explicit-time methods, so tests on an
// injected clock are exact. It is safe for concurrent use.
type limits struct {
	perMinute map[Tier]int // nil: limits off
	mu        sync.Mutex
	buckets   map[int]*rate.Limiter // by principal.id
}

func newLimits(perMinute map[Tier]int) *limits {
	return &limits{perMinute: perMinute, buckets: make(map[int]*rate.Limiter)}
}

func (l *limits) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buckets = make(map[int]*rate.Limiter)
}

// forget drops the buckets of the principal ids.
func (l *limits) forget(ids []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		delete(l.buckets, id)
	}
}

// bucket returns p's bucket and its size, or nil when p is not limited.
func (l *limits) bucket(p *principal) (*rate.Limiter, int) {
	n := l.perMinute[p.tier]
	if n <= 0 {
		return nil, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[p.id]
	if b == nil {
		b = rate.NewLimiter(rate.Limit(float64(n)/60), n)
		l.buckets[p.id] = b
	}
	return b, n
}

// take spends one of p's tokens at now() and sets the X-RateLimit-*
// headers. It returns the 429 to answer, with Retry-After set, when the
// bucket is empty. The clock is read only for a limited key: most
// servers have no limits.
func (l *limits) take(w http.ResponseWriter, p *principal, clock func() time.Time) *apiError {
	b, n := l.bucket(p)
	if b == nil {
		return nil
	}
	now := clock()
	allowed := b.AllowN(now, 1)
	tokens := b.TokensAt(now)
	perSecond := float64(b.Limit())
	h := w.Header()
	h.Set(wire.HeaderRateLimitLimit, strconv.Itoa(n))
	h.Set(wire.HeaderRateLimitRemaining, strconv.Itoa(max(0, int(math.Floor(tokens)))))
	full := now.Add(seconds((float64(n) - tokens) / perSecond))
	h.Set(wire.HeaderRateLimitReset, strconv.FormatInt(ceilUnix(full), 10))
	if allowed {
		return nil
	}
	wait := math.Ceil((1 - tokens) / perSecond)
	h.Set(wire.HeaderRetryAfter, strconv.Itoa(max(1, int(wait))))
	return errorf(http.StatusTooManyRequests, "rate limit of %d requests a minute exceeded", n)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// ceilUnix returns t in Unix seconds, rounded up.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}
