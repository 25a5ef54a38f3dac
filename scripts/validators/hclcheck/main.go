// Copied from the fixgate shared tools (tools/hclcheck/main.go); built by install.sh --with-go.
// hclcheck: syntax-checks HCL/Terraform files with HashiCorp hcl/v2 (Debian golang-github-hashicorp-hcl-v2-dev).
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o hclcheck .
// Output: one JSON line per file {"file":..,"ok":bool,"blocks":n,"diagnostics":[..]}; exit 1 if any file fails.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

type diag struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

func main() {
	failed := 0
	for _, f := range os.Args[1:] {
		src, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed++
			continue
		}
		file, diags := hclsyntax.ParseConfig(src, f, hcl.Pos{Line: 1, Column: 1})
		out := map[string]interface{}{"file": f, "ok": !diags.HasErrors()}
		if file != nil {
			if body, ok := file.Body.(*hclsyntax.Body); ok {
				out["blocks"] = len(body.Blocks)
			}
		}
		ds := []diag{}
		for _, d := range diags {
			x := diag{Summary: d.Summary, Detail: d.Detail, Severity: "warning"}
			if d.Severity == hcl.DiagError {
				x.Severity = "error"
			}
			if d.Subject != nil {
				x.Line, x.Column = d.Subject.Start.Line, d.Subject.Start.Column
			}
			ds = append(ds, x)
		}
		out["diagnostics"] = ds
		if diags.HasErrors() {
			failed++
		}
		b, _ := json.Marshal(out)
		fmt.Println(string(b))
	}
	if failed > 0 {
		os.Exit(1)
	}
}
