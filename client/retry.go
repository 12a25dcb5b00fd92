package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// checkRetry is the retry table of the package doc (what is retried, for
// which method). It runs after every attempt.
func (st *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st.attempts++
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	log := st.s.log
	if err != nil {
		retry := retryableTransportError(err, st.replaySafe)
		st.mayHaveActed = st.mayHaveActed || !neverSent(err)
		log.LogAttrs(ctx, slog.LevelDebug, "talkifai: attempt failed",
			st.logAttrs(slog.String("error", redact(err.Error(), st.cfg.apiKey)), slog.Bool("retry", retry))...)
		return retry, nil
	}
	st.status, st.header = resp.StatusCode, resp.Header
	retry := retryableStatus(resp.StatusCode, st.replaySafe)
	st.mayHaveActed = st.mayHaveActed || resp.StatusCode >= 500
	if retry {
		st.keepAnswer(resp)
	}
	if log.Enabled(ctx, slog.LevelDebug) {
		log.LogAttrs(ctx, slog.LevelDebug, "talkifai: response",
			st.logAttrs(slog.Int("status", resp.StatusCode),
				slog.String("request_id", resp.Header.Get(wire.HeaderRequestID)), slog.Bool("retry", retry))...)
	}
	return retry, nil
}

// keepAnswer reads the body of an error answer that is to be retried into
// st.lastAnswer, before go-retryablehttp drains it, and puts the bytes back
// for whoever reads resp next (do, when no retry is left).
//
// A body over MaxResponseBytes is cut off where the reading stopped: the
// body put back fails with ErrResponseTooLarge, so that no one reads on
// into the rest and takes it for an answer.
func (st *call) keepAnswer(resp *http.Response) {
	data, err := readBody(resp)
	resp.Body.Close()
	if err != nil {
		resp.Body = io.NopCloser(failingReader{err})
		return
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	st.lastAnswer = newAPIError(resp.StatusCode, resp.Header, data, st.cfg.apiKey)
}

// failingReader fails every Read with its error.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

// retryableStatus: 429 always; 500, 502, 503, 504 when a replay is safe.
func retryableStatus(status int, replaySafe bool) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return replaySafe
	}
	return false
}

// retryableTransportError: a request that never left (dial, DNS) is always
// safe to send again; one that may have reached the server only when a
// replay is safe; a TLS verification failure never heals by itself.
func retryableTransportError(err error, replaySafe bool) bool {
	if isCertError(err) {
		return false
	}
	return neverSent(err) || replaySafe
}

// neverSent reports whether err means that no connection was made, so no
// byte of the request reached the server: a failed dial, DNS lookup
// included. Anything else (reset, EOF, timeout while awaiting headers) may
// have come after the server read the request.
func neverSent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

func isCertError(err error) bool {
	var verify *tls.CertificateVerificationError
	var authority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &authority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// backoff returns the wait before retry attemptNum+1: the server's
// Retry-After when it sent one, capped at maxWait, else exponential backoff
// with jitter.
func backoff(minWait, maxWait time.Duration, attemptNum int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get(wire.HeaderRetryAfter), time.Now()); ok {
			return min(d, maxWait)
		}
	}
	return jitteredBackoff(minWait, maxWait, attemptNum)
}

// jitteredBackoff is exponential backoff with "equal jitter": for attempt
// n (from 0) the ceiling is minWait·2^(n+1) capped at maxWait, and the wait
// is drawn uniformly from the upper half of [0, ceiling], never below
// minWait. So it lies in [minWait, maxWait], roughly doubles per attempt,
// and concurrent clients spread out.
func jitteredBackoff(minWait, maxWait time.Duration, n int) time.Duration {
	n = max(n, 0)
	ceiling := maxWait
	if minWait <= maxWait>>(n+1) { // minWait<<(n+1) <= maxWait, without overflow
		ceiling = minWait << (n + 1)
	}
	floor := max(ceiling/2, minWait)
	if ceiling <= floor {
		return ceiling
	}
	return floor + rand.N(ceiling-floor+1)
}

// parseRetryAfter reads a Retry-After value: whole seconds ("2") or an
// HTTP-date, which counts from now (a date in the past is 0). ok is false
// when v is empty or neither form.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil { // out of range: as good as forever, and capped later
			secs = math.MaxUint64
		}
		const maxSecs = uint64(math.MaxInt64) / uint64(time.Second)
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// prepareRetry runs after the backoff, before each retry: it waits for the
// limiter and stamps the retry count.
func (st *call) prepareRetry(req *http.Request) error {
	ctx := req.Context()
	if err := st.waitLimiter(ctx); err != nil {
		return err
	}
	st.retries++
	st.s.log.LogAttrs(ctx, slog.LevelInfo, "talkifai: retrying", st.logAttrs()...)
	// The previous attempt's request shares this header map; a fresh one
	// keeps its transport from seeing the new count mid-write.
	req.Header = req.Header.Clone()
	req.Header.Set(wire.HeaderRetryCount, strconv.Itoa(st.retries))
	return nil
}

// keepLastResponse is go-retryablehttp's ErrorHandler: on giving up it
// returns the last response unread, so that do can turn its body into an
// *APIError (the default drains it and returns "giving up after N
// attempts", hashicorp/go-retryablehttp#212).
func keepLastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	return resp, err
}
