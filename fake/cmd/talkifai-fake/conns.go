package main

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// connWatch closes the connections that wait too long for a request: one
// whose request headers have not all arrived within the header timeout
// (counted from the connection's first byte of that request, or from its
// start for its first request), and one idle for the idle timeout between
// requests. A connection serving a request is never closed, so a fault's
// delay is served in full.
//
// net/http's ReadHeaderTimeout and IdleTimeout do the same with a read
// deadline, a runtime timer set and cleared up to four times per request:
// that cost 3% of the fake's GET throughput. Here each connection only
// notes, as its state changes, since when it waits (on a clock that the
// sweep advances, so no clock is read per request), and one sweep per tick
// closes those that waited too long. The clock lags by up to a tick, so a
// timeout is given one tick more: it fires up to two ticks late, never
// early.
type connWatch struct {
	header, idle time.Duration
	tick         time.Duration
	now          atomic.Int64 // Unix nanoseconds as of the last tick
	mu           sync.Mutex
	conns        map[*watchedConn]struct{}
	done         chan struct{}
	stopped      sync.WaitGroup
}

// newConnWatch starts the sweep of a watch with these timeouts, ticking a
// tenth of the shorter one. Stop it with stop.
func newConnWatch(header, idle time.Duration) *connWatch {
	w := &connWatch{
		header: header, idle: idle, tick: max(min(header, idle)/10, time.Millisecond),
		conns: map[*watchedConn]struct{}{}, done: make(chan struct{}),
	}
	w.now.Store(time.Now().UnixNano())
	w.stopped.Add(1)
	go w.sweepEvery()
	return w
}

// stop ends the sweep; connections are left as they are.
func (w *connWatch) stop() {
	close(w.done)
	w.stopped.Wait()
}

func (w *connWatch) sweepEvery() {
	defer w.stopped.Done()
	t := time.NewTicker(w.tick)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case now := <-t.C:
			w.now.Store(now.UnixNano())
			w.sweep(now.UnixNano())
		}
	}
}

// sweep closes every connection that has waited too long at now.
func (w *connWatch) sweep(now int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for c := range w.conns {
		if c.overdue(now) {
			c.Conn.Close() // its reader fails, and net/http drops it
			delete(w.conns, c)
		}
	}
}

// listener returns ln with each accepted connection watched.
func (w *connWatch) listener(ln net.Listener) net.Listener { return watchedListener{ln, w} }

// connState is the server's ConnState hook: it tells each connection when
// it starts and stops waiting for a request.
func (w *connWatch) connState(nc net.Conn, state http.ConnState) {
	c, ok := nc.(*watchedConn)
	if !ok {
		return
	}
	switch state {
	case http.StateActive:
		c.waiting.Store(0)
	case http.StateIdle:
		c.reading.Store(0)
		c.waiting.Store(w.now.Load())
	case http.StateHijacked, http.StateClosed:
		w.mu.Lock()
		delete(w.conns, c)
		w.mu.Unlock()
	}
}

type watchedListener struct {
	net.Listener
	w *connWatch
}

// Accept returns the next connection, watched from its start: its first
// request's headers are due within the header timeout.
func (l watchedListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c := &watchedConn{Conn: nc, w: l.w}
	now := l.w.now.Load()
	c.waiting.Store(now)
	c.reading.Store(now)
	l.w.mu.Lock()
	l.w.conns[c] = struct{}{}
	l.w.mu.Unlock()
	return c, nil
}

// watchedConn is a connection with what its watch needs: since when it
// waits for a request (0 while one is served), and since when that
// request's bytes arrive (0 before the first).
type watchedConn struct {
	net.Conn
	w       *connWatch
	waiting atomic.Int64
	reading atomic.Int64
}

// Read notes the first bytes of an awaited request.
func (c *watchedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && c.reading.Load() == 0 && c.waiting.Load() != 0 {
		c.reading.Store(c.w.now.Load())
	}
	return n, err
}

// CloseWrite half-closes the connection when it can, as net/http does
// before it closes a connection after an error answer.
func (c *watchedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// overdue reports whether c has waited too long at now: for its request's
// headers, once their first byte came (or since its start), or idle. Each
// limit has a tick more, for the lag of the times noted.
func (c *watchedConn) overdue(now int64) bool {
	waiting, reading := c.waiting.Load(), c.reading.Load()
	switch {
	case waiting == 0:
		return false
	case reading != 0:
		return time.Duration(now-reading) > c.w.header+c.w.tick
	}
	return time.Duration(now-waiting) > c.w.idle+c.w.tick
}
