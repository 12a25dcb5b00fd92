package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/fake"
)

// TestServerTimeouts: the binary's server closes a keep-alive connection
// left idle and one whose request headers do not all arrive, never one
// whose request is being served (a delay fault longer than both
// timeouts), and has no net/http timeout of its own: its connection watch
// sets no deadline per request.
func TestServerTimeouts(t *testing.T) {
	srv := fake.NewHandler()
	watch := newConnWatch(100*time.Millisecond, 50*time.Millisecond)
	t.Cleanup(watch.stop)
	hs := httpServer(srv, slog.New(slog.DiscardHandler), watch)
	if hs.IdleTimeout != 0 || hs.ReadHeaderTimeout != 0 || hs.ReadTimeout != 0 || hs.WriteTimeout != 0 || hs.ConnState == nil {
		t.Errorf("idle %v, header %v, read %v, write %v, ConnState set %v; want the watch's hook and no timeout",
			hs.IdleTimeout, hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.ConnState != nil)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(watch.listener(ln))
	t.Cleanup(func() { hs.Close() })
	dial := func() (net.Conn, *bufio.Reader) {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		conn.SetDeadline(time.Now().Add(time.Minute)) // a safety net only
		return conn, bufio.NewReader(conn)
	}
	get := func(conn net.Conn, br *bufio.Reader, path string) int {
		t.Helper()
		io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+fake.KeyAcmeOwner+"\r\n\r\n")
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	closed := func(br *bufio.Reader, what string) {
		t.Helper()
		if _, err := br.ReadByte(); err != io.EOF {
			t.Errorf("%s: %v, want it closed by the server (EOF)", what, err)
		}
	}

	conn, br := dial()
	if code := get(conn, br, "/openapi.json"); code != 200 {
		t.Fatalf("first request: %d", code)
	}
	closed(br, "a keep-alive connection left idle")

	conn, br = dial()
	io.WriteString(conn, "GET /openapi.json HTTP/1.1\r\nHost: x\r\n") // never ends
	closed(br, "a connection whose headers never end")

	// Served longer than both timeouts, twice on one connection.
	srv.AddFault(t, fake.Fault{Method: "GET", Path: "/v1/agents", Delay: 300 * time.Millisecond, Times: 2})
	conn, br = dial()
	for i := range 2 {
		if code := get(conn, br, "/v1/agents"); code != 200 {
			t.Errorf("delayed request %d: %d, want 200", i+1, code)
		}
	}
}

// TestConnOverdue: which waits the watch ends, at the edges of each
// timeout (one tick more than the timeout itself).
func TestConnOverdue(t *testing.T) {
	w := &connWatch{header: 10 * time.Second, idle: 60 * time.Second, tick: time.Second}
	const s = int64(time.Second)
	for _, tc := range []struct {
		name             string
		waiting, reading int64
		now              int64
		want             bool
	}{
		{"serving a request, however long", 0, 1 * s, 1000 * s, false},
		{"headers coming, within the timeout", 100 * s, 100 * s, 111 * s, false},
		{"headers coming, past it", 100 * s, 100 * s, 111*s + 1, true},
		{"headers begun after an idle wait", 100 * s, 150 * s, 161*s + 1, true},
		{"idle, within the timeout", 100 * s, 0, 161 * s, false},
		{"idle, past it", 100 * s, 0, 161*s + 1, true},
	} {
		c := &watchedConn{w: w}
		c.waiting.Store(tc.waiting)
		c.reading.Store(tc.reading)
		if got := c.overdue(tc.now); got != tc.want {
			t.Errorf("%s: overdue %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestNonLoopbackWarning: listening beyond loopback logs a warning at
// start, since the control endpoints need no key; loopback does not.
func TestNonLoopbackWarning(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true}, {"::1", true}, {"0.0.0.0", false}, {"::", false}, {"192.0.2.1", false},
	} {
		if got := isLoopback(&net.TCPAddr{IP: net.ParseIP(tc.addr)}); got != tc.want {
			t.Errorf("isLoopback(%s) = %v, want %v", tc.addr, got, tc.want)
		}
	}
	bin := build(t)
	for _, addr := range []string{"0.0.0.0:0", "127.0.0.1:0"} {
		p := start(t, bin, "-addr", addr)
		get(t, strings.Replace(p.addr, "0.0.0.0", "127.0.0.1", 1), "/v1/agents") // the log is written by now
		p.signal(t, syscall.SIGTERM)
		warned := strings.Contains(p.output(), "level=WARN msg=\"listening beyond loopback")
		if warned != (addr == "0.0.0.0:0") {
			t.Errorf("-addr %s: warned %v\n%s", addr, warned, p.output())
		}
	}
}

// TestStateDirChecked: a state file whose directory cannot be written
// stops the start (exit 2) instead of losing every agent at shutdown, and
// temporary files that a killed save left behind are removed at start.
func TestStateDirChecked(t *testing.T) {
	var dirs []string
	readOnly := t.TempDir()
	if err := os.Chmod(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(readOnly, 0o700) })
	if f, err := os.CreateTemp(readOnly, "probe"); err == nil {
		f.Close()
		os.Remove(f.Name()) // root writes anyway: try a read-only file system
	} else {
		dirs = append(dirs, readOnly)
	}
	if info, err := os.Stat("/sys"); err == nil && info.IsDir() {
		if f, err := os.CreateTemp("/sys", "probe"); err != nil {
			dirs = append(dirs, "/sys")
		} else {
			f.Close()
			os.Remove(f.Name())
		}
	}
	if len(dirs) == 0 {
		t.Skip("no directory that this user cannot write")
	}
	for _, dir := range dirs {
		var stderr bytes.Buffer
		path := filepath.Join(dir, "state.json")
		code := run([]string{"-addr", "127.0.0.1:0", "-state", path}, io.Discard, &stderr)
		if want := "state file " + path + " could never be saved: its directory cannot be written"; code != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", dir, code, stderr.String(), want)
		}
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "st[1].json")
	orphan := filepath.Join(dir, ".st[1].json.123456.tmp")
	keep := []string{"st[1].json", ".other.json.1.tmp", ".st[1].json.notes"}
	for _, name := range append(keep, filepath.Base(orphan)) {
		content := "{}"
		if name == "st[1].json" {
			content = `{"version":1,"agents":[]}`
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := prepareStateDir(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(orphan); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the orphan of a killed save is still there: %v", err)
	}
	for _, name := range keep {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(keep) {
		t.Errorf("the directory holds %d files, want %d: the probe was left behind?", len(entries), len(keep))
	}
}
