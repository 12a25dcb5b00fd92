package talkifai_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsStandOnTheirOwn keeps the Go sources that users read free of
// references they cannot follow: the project's internal API contract (say
// the behaviour, or point at docs/api.md) and other libraries named for
// comparison (the README may compare).
func TestDocsStandOnTheirOwn(t *testing.T) {
	t.Parallel()
	banned := regexp.MustCompile(`(?i)API contract|contract,? sections? \d|contract's sections? \d|\(ext\)|stripe-mock|pstest|fake-gcs-server|NoListener`)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := banned.FindString(line); m != "" {
				t.Errorf("%s:%d: %q: say the behaviour instead", path, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
