#!/usr/bin/env bash
# Runs every libFuzzer target built in BUILD_DIR for SECONDS each, starting from the committed
# seed corpus, and reports executions and crashes. A crash leaves its input in
# BUILD_DIR/fuzz-crashes/TARGET/ (add it to fuzz/regressions/TARGET/ once fixed) and fails the run.
# Usage: run.sh BUILD_DIR SECONDS [TARGET...]   (no TARGET: every target built)
set -uo pipefail
build_dir=$1
seconds=$2
shift 2
programs=()
if [ $# -eq 0 ]; then
  programs=("$build_dir"/fuzz/fuzz_*)
else
  for target in "$@"; do programs+=("$build_dir/fuzz/fuzz_$target"); done
fi
source_dir=$(cd "$(dirname "$0")" && pwd)
# A request for terabytes gets a null pointer, as from the system's malloc (libhdf5, in its reading
# process, asks for what a corrupt header declares and handles the refusal).
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1}
failed=0
for program in "${programs[@]}"; do
  target=${program##*/fuzz_}
  work="$build_dir/fuzz-corpus/$target"
  crashes="$build_dir/fuzz-crashes/$target"
  mkdir -p "$work" "$crashes"
  log="$build_dir/fuzz-$target.log"
  # FUZZ_FLAGS: more libFuzzer flags, e.g. "-fork=1 -ignore_crashes=1" to go on past a crash.
  # shellcheck disable=SC2086
  "$program" ${FUZZ_FLAGS:-} -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$work" "$source_dir/corpus/$target" >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  found=$(find "$crashes" -type f | wc -l)
  printf 'fuzz %-10s %8s executions in %ss, %s crashing inputs\n' "$target" "${runs:-?}" "$seconds" "$found"
  if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
    failed=1
    tail -30 "$log"
  fi
done
exit $failed
