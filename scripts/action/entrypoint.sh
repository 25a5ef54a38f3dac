#!/usr/bin/env bash
# The GitHub Action's step (action.yml at the repository root): runs `fixgate check` over the checked-out repository,
# failing on a control fixgate has already fixed there (INPUT_FAIL_ON=fixed, the default) or on every control (all),
# annotating each result's line and writing SARIF for code scanning.
#   INPUT_FAIL_ON   fixed | all
#   INPUT_BASE_REF  the pull request's base branch (default: GITHUB_BASE_REF); when set, only the files the pull
#                   request changes are reported, and "fixed" reads the base branch's history
#   INPUT_SARIF     where to write the SARIF (default: fixgate.sarif in the workspace)
#   FIXGATE_CMD     how to run fixgate; default: java -jar the jar built from the action's own checkout
# Exit status: fixgate check's (0 clean, 1 blocking results or unreadable files, 2 usage).
set -euo pipefail
workspace=${GITHUB_WORKSPACE:-$PWD}
action_path=${FIXGATE_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
fail_on=${INPUT_FAIL_ON:-fixed}
base=${INPUT_BASE_REF:-${GITHUB_BASE_REF:-}}
sarif=${INPUT_SARIF:-fixgate.sarif}
case "$sarif" in /*) ;; *) sarif="$workspace/$sarif" ;; esac

if [ -n "${FIXGATE_CMD:-}" ]; then
  read -r -a fixgate <<<"$FIXGATE_CMD"
else
  jar="$action_path/bot/app/target/fixgate.jar"
  if [ ! -f "$jar" ]; then
    echo "fixgate: building fixgate from $action_path (once per job)"
    (cd "$action_path" && ./mvn21 -q -B -DskipTests -pl bot/app -am package)
  fi
  fixgate=(java -jar "$jar")
fi

args=(check --repo "$workspace" --sarif "$sarif" --fail-on "$fail_on" --annotations github)
if [ -n "$base" ]; then
  ref=$base
  if git -C "$workspace" rev-parse --verify --quiet "origin/$base^{commit}" >/dev/null; then
    ref="origin/$base"
  fi
  args+=(--changed-since "$ref" --fixed-in "$ref")
fi

set +e
"${fixgate[@]}" "${args[@]}"
status=$?
set -e
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
fi
exit $status
