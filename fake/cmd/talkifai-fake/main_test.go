package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/fake"
)

// wait bounds every wait on the child process: generous for a loaded
// machine, and only ever reached when something is broken.
const wait = 60 * time.Second

// build compiles the binary into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "talkifai-fake")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is a running talkifai-fake.
type proc struct {
	cmd  *exec.Cmd
	addr string
	mu   sync.Mutex
	log  bytes.Buffer  // everything written to stderr so far
	done chan struct{} // closed when the process has exited
}

// start runs bin with args, listening on a port of its choosing, and
// returns once it has printed its URL.
func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...), done: make(chan struct{})}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	addr := make(chan string, 1)
	var readers sync.WaitGroup
	readers.Go(func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			addr <- strings.TrimPrefix(sc.Text(), "http://")
		}
		io.Copy(io.Discard, stdout)
	})
	readers.Go(func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.log.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
	})
	go func() {
		readers.Wait() // Wait closes the pipes: read them to the end first
		p.cmd.Wait()
		close(p.done)
	}()
	select {
	case p.addr = <-addr:
	case <-p.done:
		t.Fatalf("talkifai-fake exited before listening: %v\n%s", p.cmd.ProcessState, p.output())
	case <-time.After(wait):
		t.Fatalf("talkifai-fake did not listen within %v\n%s", wait, p.output())
	}
	return p
}

// field returns the value of key=value in a slog text line.
func field(line, key string) string {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v
		}
	}
	return ""
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// signal sends sig and returns the exit status.
func (p *proc) signal(t *testing.T, sig os.Signal) int {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(wait):
		t.Fatalf("talkifai-fake did not stop within %v", wait)
	}
	return p.cmd.ProcessState.ExitCode()
}

// get sends GET path with the owner key and returns status and body.
func get(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	resp, body := send(t, "GET", addr, path, "tk_test_acme_owner", "")
	return resp.StatusCode, body
}

// send makes one request with key and returns the response and its body.
func send(t *testing.T, method, addr, path, key, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestBinaryServesAndStops(t *testing.T) {
	bin := build(t)
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		p := start(t, bin)
		status, body := get(t, p.addr, "/v1/agents")
		want := `{"success":true,"data":[],"pagination":{"page":1,"limit":20,"total":0,"hasNext":false,"hasPrev":false}}`
		if status != 200 || body != want {
			t.Errorf("GET /v1/agents: %d %s", status, body)
		}
		if code := p.signal(t, sig); code != 0 {
			t.Errorf("exit status after %v: %d\n%s", sig, code, p.output())
		}
		log := p.output()
		var requests []string
		for line := range strings.Lines(log) {
			if strings.Contains(line, "msg=request") {
				requests = append(requests, line)
			}
		}
		if len(requests) != 1 {
			t.Fatalf("want one request line, got %d:\n%s", len(requests), log)
		}
		for k, v := range map[string]string{"method": "GET", "path": "/v1/agents", "status": "200"} {
			if got := field(requests[0], k); got != v {
				t.Errorf("request line %s=%q, want %q", k, got, v)
			}
		}
		for _, k := range []string{"duration", "request_id"} {
			if field(requests[0], k) == "" {
				t.Errorf("request line lacks %s: %s", k, requests[0])
			}
		}
		if strings.Contains(log, "tk_test_") {
			t.Errorf("the log holds an API key:\n%s", log)
		}
	}
}

func TestBinaryKeysFile(t *testing.T) {
	bin := build(t)
	keys := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(keys, []byte(`[{"key":"k_other","org":"org_x","user":"usr_x","role":"owner","tier":"pro"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, bin, "-keys", keys, "-log-level", "warn")
	if status, _ := get(t, p.addr, "/v1/agents"); status != 401 {
		t.Errorf("default key after -keys: status %d, want 401", status)
	}
	if code := p.signal(t, syscall.SIGTERM); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if log := p.output(); strings.Contains(log, "msg=request") {
		t.Errorf("-log-level warn logged requests:\n%s", log)
	}
}

// TestDefaultFlags: without flags the fake listens on loopback only, at
// info level, with no rate limits, key file or state file.
func TestDefaultFlags(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	want := config{addr: "127.0.0.1:8080", level: logLevel{slog.LevelInfo}, headerTimeout: 10 * time.Second, idleTimeout: time.Minute, bodyTimeout: 30 * time.Second,
		ids: "random", maxTenants: fake.DefaultMaxTenants}
	if err != nil || c != want {
		t.Errorf("parseFlags() = %+v, %v; want %+v", c, err, want)
	}
}

// TestRunRefusesBadConfig runs main in process: a bad flag or key file
// exits 2 with a message that never quotes a key.
func TestRunRefusesBadConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-port", "1"}, "flag provided but not defined: -port"},
		{"bad log level", []string{"-log-level", "loud"}, `invalid value "loud" for flag -log-level`},
		{"extra argument", []string{"serve"}, `unexpected arguments: ["serve"]`},
		{"missing keys file", []string{"-keys", filepath.Join(dir, "nope.json")}, "no such file or directory"},
		{"keys not JSON", []string{"-keys", write("bad.json", `[{"key":"k_secret"`)}, "key list: unexpected EOF"},
		{"unknown key field", []string{"-keys", write("field.json", `[{"key":"k_secret","org":"o","user":"u","role":"owner","tier":"pro","plan":"x"}]`)}, `unknown field "plan"`},
		{"unknown role", []string{"-keys", write("role.json", `[{"key":"k_secret","org":"o","user":"u","role":"boss","tier":"pro"}]`)}, `role "boss" is not owner, admin or member`},
		{"duplicate key", []string{"-keys", write("dup.json", `[{"key":"k_secret","org":"o","user":"u","role":"owner","tier":"pro"},{"key":"k_secret","org":"o","user":"v","role":"owner","tier":"pro"}]`)}, "the same key is given twice"},
		{"empty key list", []string{"-keys", write("empty.json", `[]`)}, "no keys"},
		{"unknown ids", []string{"-ids", "uuid"}, `-ids "uuid": want random or sequential`},
		{"bad clock", []string{"-clock", "2024-01-15"}, `-clock "2024-01-15" is not an RFC 3339 time such as 2024-01-15T10:30:00Z`},
		{"negative tenants", []string{"-max-tenants", "-1"}, "-max-tenants -1: want 0 or more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(tc.args, io.Discard, &stderr); code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tc.want)
			}
			if strings.Contains(stderr.String(), "k_secret") {
				t.Errorf("stderr quotes the key: %s", stderr.String())
			}
		})
	}
}

// TestBinaryState: agents created in one run are there in the next, for
// every key, after SIGTERM and SIGINT; the file is replaced atomically,
// leaving no temporary file behind.
func TestBinaryState(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	p := start(t, bin, "-state", state)
	for _, c := range []struct{ key, name, mode string }{
		{"tk_test_acme_owner", "Public Bot", "public"}, {"tk_test_acme_member", "Draft", "private"}, {"tk_test_globex_owner", "Globex", "commercial"},
	} {
		body := `{"name":"` + c.name + `","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"p","mode":"` + c.mode + `"}`
		if resp, b := send(t, "POST", p.addr, "/v1/agents", c.key, body); resp.StatusCode != 201 {
			t.Fatalf("create: %d %s", resp.StatusCode, b)
		}
	}
	views := func(addr string) []string {
		var out []string
		for _, key := range []string{"tk_test_acme_owner", "tk_test_acme_member", "tk_test_acme_member2", "tk_test_globex_owner"} {
			_, b := send(t, "GET", addr, "/v1/agents", key, "")
			out = append(out, b)
		}
		return out
	}
	before := views(p.addr)
	if code := p.signal(t, syscall.SIGTERM); code != 0 {
		t.Fatalf("exit status %d\n%s", code, p.output())
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		p = start(t, bin, "-state", state)
		if diff := cmp.Diff(before, views(p.addr)); diff != "" {
			t.Errorf("after a restart (-before +after):\n%s", diff)
		}
		if code := p.signal(t, sig); code != 0 {
			t.Fatalf("exit status %d\n%s", code, p.output())
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Errorf("the state directory holds %v (%v), want only state.json", entries, err)
	}
	// The binary itself refuses a corrupt file, and leaves it as it was,
	// and a file it could never save.
	corrupt := []byte(`{"version":1,"agents":[`)
	if err := os.WriteFile(state, corrupt, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := refuse(t, bin, "-state", state); !strings.Contains(out, "is not a saved state") {
		t.Errorf("a corrupt state file: %s", out)
	}
	if got, _ := os.ReadFile(state); !bytes.Equal(got, corrupt) {
		t.Errorf("the corrupt state file was changed to %q", got)
	}
	if out := refuse(t, bin, "-state", filepath.Join(dir, "nowhere", "state.json")); !strings.Contains(out, "its directory does not exist") {
		t.Errorf("a state file in a missing directory: %s", out)
	}
}

// refuse runs bin with args and returns what it wrote, failing the test
// unless it exits with status 2 (before serving) within the wait.
func refuse(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("talkifai-fake %v: %v, want exit status 2", args, err)
	}
	return string(out)
}

// TestBadStateFile: a state file that cannot be read, or is not a saved
// state, stops the start with a clear message and exit status 2, and is
// left exactly as it was.
func TestBadStateFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"corrupt", `{"version":1,"agents":[{"org":`, "is not a saved state (left as it is; fix or remove it): fake: state: agent 0: unexpected EOF"},
		{"not a state", `{"agents":{}}`, "is not a saved state"},
		{"empty", ``, "is not a saved state (left as it is; fix or remove it): fake: state: EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".json")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			info, _ := os.Stat(path)
			var stderr bytes.Buffer
			if code := run([]string{"-addr", "127.0.0.1:0", "-state", path}, io.Discard, &stderr); code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if want := "talkifai-fake: state file " + path + " " + tc.want; !strings.Contains(stderr.String(), want) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), want)
			}
			got, err := os.ReadFile(path)
			after, _ := os.Stat(path)
			if err != nil || string(got) != tc.content || !after.ModTime().Equal(info.ModTime()) {
				t.Errorf("the state file changed: %q (%v)", got, err)
			}
		})
	}
	var stderr bytes.Buffer
	if code := run([]string{"-addr", "127.0.0.1:0", "-state", dir}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "cannot be read") {
		t.Errorf("a directory as state file: exit %d, %q", code, stderr.String())
	}
}

// TestBinaryRateLimits: -rate-limits turns the tiers on; without it no
// X-RateLimit-* header is sent.
func TestBinaryRateLimits(t *testing.T) {
	bin := build(t)
	for _, on := range []bool{true, false} {
		var args []string
		if on {
			args = append(args, "-rate-limits")
		}
		p := start(t, bin, args...)
		resp, _ := send(t, "GET", p.addr, "/v1/agents", "tk_test_globex_owner", "")
		want := ""
		if on {
			want = "60"
		}
		if got := resp.Header.Get("X-RateLimit-Limit"); got != want {
			t.Errorf("-rate-limits=%v: X-RateLimit-Limit %q, want %q", on, got, want)
		}
		p.signal(t, syscall.SIGTERM)
	}
}

// TestHelpShowsKeysFormat: -h exits 0 and shows every flag and the format
// of the -keys file, whose example is itself a valid key list.
func TestHelpShowsKeysFormat(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-h"}, io.Discard, &stderr); code != 0 {
		t.Errorf("-h: exit status %d, want 0", code)
	}
	help := stderr.String()
	for _, flag := range []string{"-addr", "-clock", "-ids", "-keys", "-log-level", "-max-tenants", "-rate-limits", "-state"} {
		if !strings.Contains(help, "  "+flag+" ") && !strings.Contains(help, "  "+flag+"\n") {
			t.Errorf("-h does not show %s", flag)
		}
	}
	// The defaults as the flags are documented and given.
	for _, def := range []string{`(default "127.0.0.1:8080")`, `(default "random")`, "(default info)", "(default 1000)"} {
		if !strings.Contains(help, def) {
			t.Errorf("-h does not show %s", def)
		}
	}
	start, end := strings.Index(help, "  ["), strings.Index(help, "  ]")
	if start < 0 || end < start {
		t.Fatalf("-h shows no example key list:\n%s", help)
	}
	keys, err := fake.ParseKeys([]byte(help[start : end+3]))
	if err != nil || len(keys) != 2 {
		t.Errorf("the example key list of -h: %v, %d keys", err, len(keys))
	}
}

// TestBinaryDeterministic: with -ids sequential and -clock, the same
// requests get the same bytes on every run.
func TestBinaryDeterministic(t *testing.T) {
	bin := build(t)
	var runs []string
	for range 2 {
		p := start(t, bin, "-ids", "sequential", "-clock", "2024-01-15T10:30:00Z", "-log-level", "warn")
		var transcript strings.Builder
		for _, body := range []string{`{"name":"One","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"p"}`, `{"name":"Two","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"p"}`} {
			_, b := send(t, "POST", p.addr, "/v1/agents", "tk_test_acme_owner", body)
			transcript.WriteString(b + "\n")
		}
		_, b := send(t, "PATCH", p.addr, "/v1/agents/agent_0000000000000001", "tk_test_acme_owner", `{"active":true}`)
		transcript.WriteString(b + "\n")
		runs = append(runs, transcript.String())
		p.signal(t, syscall.SIGTERM)
	}
	want := `{"success":true,"data":{"id":"agent_0000000000000001","name":"One","agentArchitecture":"text","active":false,"createdAt":"2024-01-15T10:30:00.000Z"}}
{"success":true,"data":{"id":"agent_0000000000000002","name":"Two","agentArchitecture":"text","active":false,"createdAt":"2024-01-15T10:30:00.000Z"}}
{"success":true,"data":{"id":"agent_0000000000000001","name":"One","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"p","language":"en","mode":"private","active":true,"enabledFunctions":[],"enabledCustomFunctions":[],"createdAt":"2024-01-15T10:30:00.000Z","updatedAt":"2024-01-15T10:30:00.001Z"}}
`
	for i, got := range runs {
		if got != want {
			t.Errorf("run %d:\n%s\nwant\n%s", i+1, got, want)
		}
	}
}
