package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The end-to-end tests build this command and the standalone fake, start
// the fake on a free port, and run the command against it as a user
// would: arguments, environment, a working folder, exit status and both
// streams. Human output is compared with golden files in testdata/;
// `go test -run E2E ./client/cmd/talkifai -update` rewrites them.

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// wait bounds every wait on a child process; reached only when broken.
const wait = 60 * time.Second

// fakeClock is the fake's start time when it takes -clock.
const fakeClock = "2026-03-01T09:00:00Z"

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
	fakeFlags []string // -ids and -clock, when the fake has them
)

// binaries builds talkifai and talkifai-fake once per test process and
// returns their paths.
func binaries(t *testing.T) (cli, fakeBin string) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "talkifai-e2e-")
		if buildErr != nil {
			return
		}
		for _, b := range []struct{ out, pkg string }{
			{"talkifai", "."},
			{"talkifai-fake", "../../../fake/cmd/talkifai-fake"},
		} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, b.out), b.pkg).CombinedOutput()
			if err != nil {
				buildErr = fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
				return
			}
		}
		help, _ := exec.Command(filepath.Join(binDir, "talkifai-fake"), "-h").CombinedOutput()
		if bytes.Contains(help, []byte("-ids")) && bytes.Contains(help, []byte("-clock")) {
			fakeFlags = []string{"-ids", "sequential", "-clock", fakeClock}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "talkifai"), filepath.Join(binDir, "talkifai-fake")
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// env is one end-to-end scene: a running fake, a working folder, and the
// command.
type env struct {
	t   *testing.T
	cli string
	url string // the fake's base URL
	dir string // the working folder; specs go in dir/agents
	key string // TALKIFAI_API_KEY for the next runs
}

// newEnv starts a fake and makes an empty working folder.
func newEnv(t *testing.T) *env {
	t.Helper()
	cli, fakeBin := binaries(t)
	e := &env{t: t, cli: cli, dir: t.TempDir(), key: "tk_test_acme_owner"}
	e.url = startFake(t, fakeBin)
	return e
}

// startFake runs the fake on a free port and returns its URL once it
// has printed it. The fake is killed when the test ends.
func startFake(t *testing.T, bin string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0", "-log-level", "error"}, fakeFlags...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	url := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			url <- strings.TrimSpace(sc.Text())
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case u := <-url:
		return u
	case <-done:
		t.Fatalf("the fake exited before listening: %s", stderr.String())
	case <-time.After(wait):
		t.Fatal("the fake did not print its URL")
	}
	return ""
}

// result is what one run of the command did.
type result struct {
	code        int
	stdout      string
	stderr      string
	commandLine string
}

// run runs talkifai with args in the working folder.
func (e *env) run(args ...string) result {
	e.t.Helper()
	cmd := exec.Command(e.cli, args...)
	cmd.Dir = e.dir
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + e.dir,
		"TALKIFAI_API_KEY=" + e.key,
		"TALKIFAI_BASE_URL=" + e.url,
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("talkifai %s: %v", strings.Join(args, " "), err)
	}
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String(), commandLine: "talkifai " + strings.Join(args, " ")}
	// The goldens are realigned, which trims line ends: check them here.
	for line := range strings.Lines(r.stdout + r.stderr) {
		if l := strings.TrimSuffix(line, "\n"); strings.TrimRight(l, " \t") != l {
			e.t.Errorf("%s: a line ends with white space: %q", r.commandLine, l)
		}
	}
	return r
}

// ok runs talkifai and fails the test unless it exits with want.
func (e *env) expect(want int, args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != want {
		e.t.Fatalf("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.commandLine, r.code, want, r.stdout, r.stderr)
	}
	return r
}

// write writes files under the working folder, making folders as needed.
func (e *env) write(files map[string]string) {
	e.t.Helper()
	for name, content := range files {
		p := filepath.Join(e.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			e.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			e.t.Fatal(err)
		}
	}
}

// read returns a file of the working folder.
func (e *env) read(name string) string {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, name))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

// api sends one request to the fake as the owner and decodes the answer's
// data into out (when not nil).
func (e *env) api(method, path, body string, out any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tk_test_acme_owner")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		e.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		var env struct{ Data json.RawMessage }
		if err := json.Unmarshal(raw, &env); err != nil {
			e.t.Fatal(err)
		}
		if err := json.Unmarshal(env.Data, out); err != nil {
			e.t.Fatal(err)
		}
	}
}

// journalEntry is one request of the fake's journal.
type journalEntry struct {
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
	// IdempotencyKey is the request's Idempotency-Key, or "".
	IdempotencyKey string `json:"idempotencyKey"`
}

// journal returns the requests the fake has served so far.
func (e *env) journal() []journalEntry {
	e.t.Helper()
	var out []journalEntry
	e.api("GET", "/_fake/requests", "", &out)
	return out
}

// writes returns the POST, PATCH and DELETE requests of the journal.
func (e *env) writes() []journalEntry {
	var out []journalEntry
	for _, r := range e.journal() {
		if r.Method != "GET" {
			out = append(out, r)
		}
	}
	return out
}

var (
	timeRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)
	idRE   = regexp.MustCompile(`agent_(?:[A-Za-z0-9]*[0-9][A-Za-z0-9]*|[A-Za-z]{12,})`) // not agent_nope
	reqRE  = regexp.MustCompile(`req_[A-Za-z0-9]+`)
	colsRE = regexp.MustCompile(`  +`)
)

// normalize makes output the same from run to run, whether or not the
// fake has -ids and -clock: the fake's URL becomes $URL, ids become
// agent_1, agent_2... in order of first appearance, times become TIME,
// request ids req_ID, and columns are aligned again for the new widths.
func (e *env) normalize(s string) string {
	s = strings.ReplaceAll(s, e.url, "$URL")
	s = timeRE.ReplaceAllString(s, "TIME")
	s = reqRE.ReplaceAllString(s, "req_ID")
	seen := map[string]string{}
	s = idRE.ReplaceAllStringFunc(s, func(id string) string {
		if n, ok := seen[id]; ok {
			return n
		}
		seen[id] = fmt.Sprintf("agent_%d", len(seen)+1)
		return seen[id]
	})
	return realign(s)
}

// realign aligns the columns of tables again: runs of two or more spaces
// inside a line separate cells, and consecutive lines with cells form one
// table.
func realign(s string) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for line := range strings.Lines(s) {
		lead := len(line) - len(strings.TrimLeft(line, " "))
		body := colsRE.ReplaceAllString(strings.TrimRight(line[lead:], " \n"), "\t")
		tw.Write([]byte(line[:lead] + body + "\n"))
	}
	tw.Flush()
	return b.String()
}

// golden compares got with testdata/NAME.golden, or rewrites the file
// with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got; -update rewrites it):\n%s", path, diff)
	}
}

// transcript renders runs as a terminal session: the command line, then
// what it printed on both streams, then the exit status when not 0.
func (e *env) transcript(rs ...result) string {
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("$ " + r.commandLine + "\n")
		b.WriteString(r.stdout)
		b.WriteString(r.stderr)
		if r.code != 0 {
			fmt.Fprintf(&b, "[exit status %d]\n", r.code)
		}
	}
	return e.normalize(b.String())
}
