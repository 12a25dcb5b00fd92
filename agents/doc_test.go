package agents_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryExportedNameHasDoc keeps `go doc` a guide: every exported
// constant, variable, function, type and method of the package has a doc
// comment (a group comment counts for the names of its group).
func TestEveryExportedNameHasDoc(t *testing.T) {
	t.Parallel()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/talkifai-go/talkifai/agents")
	if err != nil {
		t.Fatal(err)
	}
	check := func(name, text string) {
		if strings.TrimSpace(text) == "" {
			t.Errorf("%s has no doc comment", name)
		}
	}
	checkValues := func(vs []*doc.Value) {
		for _, v := range vs {
			check(strings.Join(v.Names, ", "), v.Doc)
		}
	}
	checkValues(p.Consts)
	checkValues(p.Vars)
	for _, f := range p.Funcs {
		check(f.Name, f.Doc)
	}
	for _, typ := range p.Types {
		check(typ.Name, typ.Doc)
		checkValues(typ.Consts)
		checkValues(typ.Vars)
		for _, f := range append(typ.Funcs, typ.Methods...) {
			check(typ.Name+"."+f.Name, f.Doc)
		}
	}
	if len(p.Types) == 0 {
		t.Fatal("no exported types found: the check is broken")
	}
}
