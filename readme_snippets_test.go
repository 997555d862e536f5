package tqreg_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeSnippets proves README.md's tour cannot drift from code that runs: every ```go
// block of the tour is, verbatim, the body of one Example function in readme_test.go (whose
// `// Output:` go test checks), and every such Example is shown in the tour.
func TestReadmeSnippets(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := tourBlocks(t, string(readme))
	bodies := exampleBodies(t, "readme_test.go")
	if len(bodies) < 5 {
		t.Fatalf("readme_test.go has %d Example functions, want one per domain package", len(bodies))
	}
	shown := map[string]bool{}
	for i, b := range blocks {
		name := ""
		for n, body := range bodies {
			if body == b {
				name = n
			}
		}
		if name == "" {
			t.Errorf("README tour snippet %d is no Example body of readme_test.go:\n%s", i+1, b)
			continue
		}
		if !strings.Contains(b, "// Output:") {
			t.Errorf("README snippet %s shows no output", name)
		}
		shown[name] = true
	}
	for n := range bodies {
		if !shown[n] {
			t.Errorf("%s is not shown in the README tour", n)
		}
	}
}

// TestReadmeSnippetsCatchesDrift: the comparison is strict, so a changed character fails.
func TestReadmeSnippetsCatchesDrift(t *testing.T) {
	bodies := exampleBodies(t, "readme_test.go")
	readme := "# x\n\n## A tour\n\n```go\n" + strings.Replace(bodies["Example_form"], "12345", "12346", 1) + "```\n\n## Next\n"
	for _, b := range tourBlocks(t, readme) {
		for _, body := range bodies {
			if body == b {
				t.Fatal("a changed snippet still matched an Example")
			}
		}
	}
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// tourBlocks returns the ```go blocks of the README section "## A tour…".
func tourBlocks(t *testing.T, readme string) []string {
	t.Helper()
	start := strings.Index(readme, "\n## A tour")
	if start < 0 {
		t.Fatal("README has no tour section")
	}
	tour := readme[start+1:]
	if end := strings.Index(tour, "\n## "); end >= 0 {
		tour = tour[:end]
	}
	var out []string
	for _, m := range goBlock.FindAllStringSubmatch(tour, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatal("the README tour has no go snippets")
	}
	return out
}

// exampleBodies returns the Example functions of file by name, each body without its braces
// and with one level of indentation removed, as the README shows it.
func exampleBodies(t *testing.T, file string) map[string]string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || !strings.HasPrefix(fn.Name.Name, "Example") || fn.Body == nil {
			continue
		}
		body := string(src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset])
		lines := strings.Split(strings.TrimPrefix(body, "\n"), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, "\t")
		}
		out[fn.Name.Name] = strings.Join(lines, "\n")
	}
	return out
}
