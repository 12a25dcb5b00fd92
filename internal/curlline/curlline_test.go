package curlline_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/internal/curlline"
)

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"", nil},
		{"  a  b ", []string{"a", "b"}},
		{`curl -H 'Content-Type: application/json' -d '{"a": 1}'`, []string{"curl", "-H", "Content-Type: application/json", "-d", `{"a": 1}`}},
		{"'a b'c d", []string{"a bc", "d"}},
		{"''", []string{""}},
	} {
		got, err := curlline.Words(tc.line)
		if err != nil {
			t.Errorf("Words(%q): %v", tc.line, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Words(%q) (-want +got):\n%s", tc.line, diff)
		}
	}
	if _, err := curlline.Words("a 'b"); err == nil {
		t.Error("Words took an unbalanced quote")
	}
}

// FuzzWords: without quotes, Words splits on spaces only; each word,
// quoted again, reads back as itself.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"", "a b", "'a b' c", "a''b", "'", "a\tb  c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if !utf8.ValidString(line) {
			return // a README is UTF-8
		}
		words, err := curlline.Words(line)
		if err != nil {
			if strings.Count(line, "'")%2 == 0 {
				t.Fatalf("Words(%q) failed with balanced quotes: %v", line, err)
			}
			return
		}
		if !strings.Contains(line, "'") {
			if want := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' }); !slices.Equal(words, want) {
				t.Fatalf("Words(%q) = %q, want %q", line, words, want)
			}
		}
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		again, err := curlline.Words(strings.Join(quoted, " "))
		if err != nil || !slices.Equal(again, words) {
			t.Fatalf("Words(%q) = %q, but quoted again reads %q, %v", line, words, again, err)
		}
	})
}

func TestRequest(t *testing.T) {
	const from, to = "http://127.0.0.1:8080", "http://fake.test/prefix"
	type sent struct {
		Method, URL, Body string
		Header            http.Header
	}
	for _, tc := range []struct {
		args []string
		want sent
	}{
		{[]string{"-s", from + "/v1/agents"}, sent{"GET", to + "/v1/agents", "", http.Header{}}},
		{[]string{"-s", "-o", "/dev/null", "-X", "DELETE", "-H", "Authorization: Bearer k", from + "/v1/agents/a"},
			sent{"DELETE", to + "/v1/agents/a", "", http.Header{"Authorization": {"Bearer k"}}}},
		{[]string{"-d", `{"a":1}`, from + "/v1/agents"},
			sent{"POST", to + "/v1/agents", `{"a":1}`, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}},
		{[]string{"-X", "PATCH", "-H", "Content-Type: application/json", "-d", "{}", from + "/x"},
			sent{"PATCH", to + "/x", "{}", http.Header{"Content-Type": {"application/json"}}}},
	} {
		req, err := curlline.Request(tc.args, from, to)
		if err != nil {
			t.Errorf("Request(%q): %v", tc.args, err)
			continue
		}
		body, _ := io.ReadAll(req.Body)
		got := sent{req.Method, req.URL.String(), string(body), req.Header}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Request(%q) (-want +got):\n%s", tc.args, diff)
		}
	}
	for _, args := range [][]string{
		{"-k", from},
		{"-X"},
		{"http://elsewhere/v1/agents"},
		{from + "/a", from + "/b"},
	} {
		if _, err := curlline.Request(args, from, to); err == nil {
			t.Errorf("Request(%q) took it", args)
		}
	}
}
