// hclfmt: reports whether HCL/Terraform files are already in canonical `terraform fmt` layout, using HashiCorp
// hcl/v2's hclwrite.Format — the formatter `terraform fmt` is built on — from Debian's
// golang-github-hashicorp-hcl-v2-dev (no download of its own). Built by install.sh --with-go.
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o hclfmt .
// Usage: hclfmt FILE...      one JSON line per file {"file":..,"formatted":bool,"line":first differing line}
//        hclfmt -w FILE...   also writes the formatted text back (used to make test inputs, never by tests)
// Closing line: "N passed, M failed"; exit 1 if any file is not formatted (or does not parse).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

func firstDiff(a, b []byte) int {
	line := 1
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return line
		}
		if a[i] == '\n' {
			line++
		}
	}
	return line
}

func main() {
	write := false
	passed, failed := 0, 0
	for _, f := range os.Args[1:] {
		if f == "-w" {
			write = true
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed++
			continue
		}
		out := map[string]interface{}{"file": f}
		if _, diags := hclsyntax.ParseConfig(src, f, hcl.Pos{Line: 1, Column: 1}); diags.HasErrors() {
			out["formatted"] = false
			out["error"] = diags.Error()
			failed++
		} else {
			formatted := hclwrite.Format(src)
			ok := bytes.Equal(formatted, src)
			out["formatted"] = ok
			if !ok {
				out["line"] = firstDiff(src, formatted)
				failed++
				if write {
					os.WriteFile(f, formatted, 0644)
				}
			} else {
				passed++
			}
		}
		b, _ := json.Marshal(out)
		fmt.Println(string(b))
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
