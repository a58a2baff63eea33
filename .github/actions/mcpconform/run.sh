#!/usr/bin/env bash
# Runs mcpconform server with the action's inputs as one argument list:
# each input is one argument, and args is a JSON array of strings, so an
# argument with spaces or quotes arrives as written. Writes the exit code to
# the step's outputs and always succeeds, so the reports are uploaded before
# the last step exits with that code. mcpconform itself writes the job
# summary and the annotations (it sees GITHUB_ACTIONS=true).
set -uo pipefail

# finish records code, and a job summary line when mcpconform wrote none.
finish() {
  echo "exit-code=$1" >> "$GITHUB_OUTPUT"
  if [ "$1" -ge 2 ] && [ ! -f "$INPUT_REPORT_DIR/results.json" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    echo "## mcpconform: no results (exit $1): $2" >> "$GITHUB_STEP_SUMMARY"
  fi
  exit 0
}

args=(server --report-dir "$INPUT_REPORT_DIR")
[ -n "$INPUT_URL" ] && args+=(--url "$INPUT_URL")
if [ -n "$INPUT_IMAGE" ]; then
  args+=(--image "$INPUT_IMAGE" --path "$INPUT_PATH")
  [ -n "$INPUT_PORT" ] && args+=(--port "$INPUT_PORT")
  [ -n "$INPUT_IMAGE_BASE_URL_ENV" ] && args+=(--image-base-url-env "$INPUT_IMAGE_BASE_URL_ENV")
  while IFS= read -r item; do
    [ -n "$item" ] && args+=(--image-env "$item")
  done <<< "$INPUT_IMAGE_ENV"
fi
[ -n "$INPUT_SPEC_VERSION" ] && args+=(--spec-version "$INPUT_SPEC_VERSION")
[ -n "$INPUT_BASELINE" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "$INPUT_CONFIG" ] && args+=(--config "$INPUT_CONFIG")

if [ -n "${INPUT_ARGS//[[:space:]]/}" ]; then
  if ! command -v jq >/dev/null; then
    echo "::error title=mcpconform action::the args input needs jq on the runner (GitHub's runners have it)"
    finish 2 "the args input needs jq on the runner"
  fi
  # One NUL-terminated argument per array element. Anything but an array
  # of strings without NUL (which no argument can hold) is refused rather
  # than guessed at.
  if ! jq -e 'type == "array" and all(.[]; type == "string" and (explode | all(. != 0)))' <<< "$INPUT_ARGS" >/dev/null 2>&1; then
    echo "::error title=mcpconform action::args must be a JSON array of strings, e.g. [\"--role\", \"as\", \"--level\", \"MUST\"]"
    finish 2 "args must be a JSON array of strings"
  fi
  while IFS= read -r -d '' arg; do
    args+=("$arg")
  done < <(jq -j '.[] | (., "\u0000")' <<< "$INPUT_ARGS")
fi

code=0
"$MCPCONFORM" "${args[@]}" || code=$?
finish "$code" "see the log of the step that ran mcpconform"
