package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/talkifai-go/talkifai/fake"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags say.
type config struct {
	addr       string
	keysFile   string
	level      logLevel
	rateLimits bool
	stateFile  string
	ids        string    // "random" or "sequential"
	clock      time.Time // a frozen clock; zero for the real one
	maxTenants int
	// Not flags: fixed for the binary, small in tests.
	headerTimeout time.Duration // to read a request's headers
	idleTimeout   time.Duration // before a keep-alive connection is closed
	bodyTimeout   time.Duration // to read a request's body
}

// The binary's timeouts: generous for a test paused in a debugger, short
// enough that idle or dripping connections do not pile up.
const (
	headerTimeout = 10 * time.Second
	idleTimeout   = 60 * time.Second
	bodyTimeout   = 30 * time.Second
)

// usageTail follows the flags in -h: the format of -keys, and what the
// flags that make transcripts byte-stable do.
const usageTail = `
The -keys file is a JSON array of keys, each acting as one user:

  [
    {"key": "tk_test_ci_owner", "org": "org_ci", "user": "usr_ci_owner", "role": "owner", "tier": "pro"},
    {"key": "tk_test_ci_member", "org": "org_ci", "user": "usr_ci_member", "role": "member", "tier": "pro"}
  ]

role is owner, admin or member; tier is free, pro or enterprise. It replaces
the default keys (tk_test_acme_owner, tk_test_acme_admin, tk_test_acme_member,
tk_test_acme_member2 in org_acme; tk_test_globex_owner in org_globex).

-ids sequential makes agent ids agent_0000000000000001, agent_0000000000000002,
...; -clock 2024-01-15T10:30:00Z freezes the clock at that instant (updatedAt
still moves by a millisecond on each change; rate-limit buckets never refill
and idempotency memory never expires on a frozen clock). With both, the same
requests get the same answers, byte for byte, on every run.
`

func parseFlags(args []string, stderr io.Writer) (config, error) {
	c := config{headerTimeout: headerTimeout, idleTimeout: idleTimeout, bodyTimeout: bodyTimeout}
	fs := flag.NewFlagSet("talkifai-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "`HOST:PORT` to listen on")
	fs.StringVar(&c.keysFile, "keys", "", "JSON `FILE` of keys that replaces the default keys")
	fs.TextVar(&c.level, "log-level", logLevel{slog.LevelInfo}, "log `LEVEL`: debug, info, warn, error")
	fs.BoolVar(&c.rateLimits, "rate-limits", false, "enforce the rate limits of each key's tier")
	fs.StringVar(&c.stateFile, "state", "", "load agents from `FILE` at start, save them there on SIGINT and SIGTERM")
	fs.StringVar(&c.ids, "ids", "random", "`MODE` of agent ids: random or sequential")
	clock := fs.String("clock", "", "freeze the clock at `RFC3339` time, such as 2024-01-15T10:30:00Z")
	fs.IntVar(&c.maxTenants, "max-tenants", fake.DefaultMaxTenants, "most tenants (POST /_fake/tenants) held at once: `N`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: talkifai-fake [flags]\n\nServes a fake TalkifAI Agents API for tests.\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageTail)
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if c.ids != "random" && c.ids != "sequential" {
		return c, fmt.Errorf("-ids %q: want random or sequential", c.ids)
	}
	if *clock != "" {
		t, err := time.Parse(time.RFC3339, *clock)
		if err != nil {
			return c, fmt.Errorf("-clock %q is not an RFC 3339 time such as 2024-01-15T10:30:00Z", *clock)
		}
		c.clock = t
	}
	if c.maxTenants < 0 {
		return c, fmt.Errorf("-max-tenants %d: want 0 or more", c.maxTenants)
	}
	return c, nil
}

// sequentialIDs returns agent ids agent_0000000000000001, ...: sixteen
// digits, so that they sort as they were made.
func sequentialIDs() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("agent_%016d", n.Add(1)) }
}

// run is main without the exit, for tests: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0 // asked for, and given
	}
	if err != nil {
		fmt.Fprintln(stderr, "talkifai-fake:", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: c.level.Level}))
	srv, err := newFake(c, logger)
	if err != nil {
		fmt.Fprintln(stderr, "talkifai-fake:", err)
		return 2
	}
	if err := serve(c, srv, logger, stdout); err != nil {
		fmt.Fprintln(stderr, "talkifai-fake:", err)
		return 1
	}
	logger.Info("stopped")
	return 0
}

// newFake builds the fake that the flags describe, with the agents of the
// state file when there is one. It returns an error, having served
// nothing and left the state file untouched, when the key file or the
// state file is unusable.
func newFake(c config, logger *slog.Logger) (*fake.Server, error) {
	opts := []fake.Option{fake.WithLogger(logger), fake.WithBodyTimeout(c.bodyTimeout), fake.WithMaxTenants(c.maxTenants)}
	if c.ids == "sequential" {
		opts = append(opts, fake.WithIDs(sequentialIDs()))
	}
	if !c.clock.IsZero() {
		opts = append(opts, fake.WithClock(fake.NewClock(c.clock).Now))
	}
	if c.keysFile != "" {
		keys, err := readKeys(c.keysFile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, fake.WithKeys(keys...))
	}
	if c.rateLimits {
		opts = append(opts, fake.WithRateLimits(nil))
	}
	srv := fake.NewHandler(opts...) // cannot panic: readKeys checked the keys
	if c.stateFile == "" {
		return srv, nil
	}
	loaded, err := loadState(srv, c.stateFile)
	if err != nil {
		return nil, err
	}
	if loaded {
		logger.Info("state loaded", "file", c.stateFile)
	}
	return srv, prepareStateDir(c.stateFile)
}

// serve serves srv on c.addr until SIGINT or SIGTERM, then shuts down and
// saves the state file, if any. It returns an error when it cannot
// listen, when the server fails, or when the state cannot be saved.
func serve(c config, srv *fake.Server, logger *slog.Logger, stdout io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	watch := newConnWatch(c.headerTimeout, c.idleTimeout)
	defer watch.stop()
	hs := httpServer(srv, logger, watch)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(watch.listener(ln)) }()
	logger.Info("listening", "addr", ln.Addr().String())
	if !isLoopback(ln.Addr()) {
		logger.Warn("listening beyond loopback: anyone who can reach this address can use the fake, and its /_fake/ control endpoints need no key", "addr", ln.Addr().String())
	}
	fmt.Fprintf(stdout, "http://%s\n", ln.Addr())
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("stopping")
	// Requests in flight get a few seconds to finish, so that their
	// agents are in the state that is saved.
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		logger.Warn("requests still open at shutdown", "err", err)
	}
	if c.stateFile == "" {
		return nil
	}
	if err := saveState(srv, c.stateFile); err != nil {
		return err
	}
	logger.Info("state saved", "file", c.stateFile)
	return nil
}

// httpServer returns the server of srv, whose header and idle timeouts
// are watch's (see connWatch). It has no ReadTimeout or WriteTimeout: they
// would cut a delayMs fault short (a read deadline cancels the request's
// context). The fake bounds each request's body read itself
// (fake.WithBodyTimeout).
func httpServer(srv *fake.Server, logger *slog.Logger, watch *connWatch) *http.Server {
	return &http.Server{
		Handler:   srv,
		ConnState: watch.connState,
		ErrorLog:  slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
}

// isLoopback reports whether addr is on a loopback interface only; an
// unspecified address (":0", "0.0.0.0") listens on every interface.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// readKeys reads a -keys file.
func readKeys(path string) ([]fake.Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	keys, err := fake.ParseKeys(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keys, nil
}

// logLevel is a slog.Level that -h shows in lower case ("default info"),
// as the flag is documented and given.
type logLevel struct{ slog.Level }

// MarshalText returns the level's name in lower case.
func (l logLevel) MarshalText() ([]byte, error) {
	b, err := l.Level.MarshalText()
	return bytes.ToLower(b), err
}
