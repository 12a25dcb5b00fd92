package talkifai_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/talkifai-go/talkifai/fake"
	"github.com/talkifai-go/talkifai/internal/curlline"
)

// TestREADMECurlLines sends the README's curl lines, in order, to a fresh
// fake, as the standalone binary would get them, so that the README cannot
// go stale. Each line must answer the status listed here; the third must
// answer exactly the JSON the README shows.
func TestREADMECurlLines(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := curlLines(t, string(readme))
	wantStatus := []int{200, 201, 400, 200, 201, 503, 200, 200, 200}
	if len(lines) != len(wantStatus) {
		t.Fatalf("the README has %d curl lines, this test knows %d: update wantStatus", len(lines), len(wantStatus))
	}
	srv := fake.NewServer(t)
	for i, line := range lines {
		req := parseCurl(t, line, srv.URL())
		resp, err := srv.HTTPClient().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != wantStatus[i] {
			t.Errorf("%s\n answered %d, want %d: %s", line, resp.StatusCode, wantStatus[i], body)
		}
		if !json.Valid(body) {
			t.Errorf("%s\n answered a body that is not JSON: %s", line, body)
		}
		if i == 2 {
			shown := regexp.MustCompile("(?s)The third line answers every mistake at once:\n\n```json\n(.*?)```").FindStringSubmatch(string(readme))
			if shown == nil {
				t.Fatal("the README no longer shows the third line's answer")
			}
			if got, want := compact(t, body), compact(t, []byte(shown[1])); got != want {
				t.Errorf("the README shows\n%s\nbut the fake answers\n%s", want, got)
			}
		}
	}
}

// curlLines returns the curl lines of the README's standalone-fake section.
func curlLines(t *testing.T, readme string) []string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "## The standalone fake")
	if !ok {
		t.Fatal("the README has no standalone-fake section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var out []string
	for line := range strings.Lines(section) {
		if strings.HasPrefix(line, "curl ") {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

// parseCurl turns a curl line of the README's kind into a request to
// base instead of 127.0.0.1:8080.
func parseCurl(t *testing.T, line, base string) *http.Request {
	t.Helper()
	words, err := curlline.Words(line)
	if err != nil {
		t.Fatal(err)
	}
	req, err := curlline.Request(words[1:], "http://127.0.0.1:8080", base)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return req
}

func compact(t *testing.T, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(fmt.Errorf("compact %s: %w", b, err))
	}
	return buf.String()
}

// TestREADMEGenerators checks that the README's section on clients in
// other languages names the generators, at the versions, and the
// oapi-codegen configuration that CI proves with .ci/openapi-clients.sh.
func TestREADMEGenerators(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Clients in other languages")
	if !ok {
		t.Fatal("the README has no section on clients in other languages")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	script, err := os.ReadFile(".ci/openapi-clients.sh")
	if err != nil {
		t.Fatal(err)
	}
	pins := regexp.MustCompile(`(?m)^(OGEN|OAPI_CODEGEN|REDOCLY)=(\S+)$`).FindAllStringSubmatch(string(script), -1)
	if len(pins) != 3 {
		t.Fatalf("found %d of the 3 pinned tools in .ci/openapi-clients.sh", len(pins))
	}
	for _, p := range pins {
		if !strings.Contains(section, p[2]+" ") {
			t.Errorf("the README does not run %s, which CI uses", p[2])
		}
	}
	config, err := os.ReadFile(".ci/openapi/oapi/oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(section, "```yaml\n"+string(config)+"```") {
		t.Errorf("the README does not show CI's oapi-codegen.yaml:\n%s", config)
	}
}
