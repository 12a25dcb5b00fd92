package reconcile_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/talkifai-go/talkifai/client/reconcile"
)

// FuzzLoad feeds arbitrary bytes to Load as a YAML and as a JSON spec: it
// returns a spec that the API's rules accept, or a *LoadError whose every
// problem names the file and a place inside it; it never panics.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		okText, okText + "temperature: 0.5\n", "name: [\n", `{"name":"x"}`, "- a\n", "a: &x 1\nb: *x\n",
		"name: !!str x\n", "? [a]\n: b\n", "{\"a\":1,\"a\":2}", "\xef\xbb\xbfname: x\n", "name: \"\\ud800\"\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"a.yaml", "a.json"} {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
			folder, err := reconcile.Load(dir)
			if err == nil {
				if len(folder.Specs) != 1 {
					t.Fatalf("%d specs from one file", len(folder.Specs))
				}
				if err := folder.Specs[0].Params.Validate(); err != nil {
					t.Fatalf("Load accepted %q, which the rules refuse: %v", data, err)
				}
				continue
			}
			var le *reconcile.LoadError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("Load error %v (%T) is not a non-empty *LoadError", err, err)
			}
			for _, p := range le.Problems {
				if p.File != name || p.Line < 1 || p.Column < 1 || p.Message == "" {
					t.Fatalf("problem %+v of %q has no place", p, data)
				}
			}
		}
	})
}
