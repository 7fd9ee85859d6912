#!/usr/bin/env bash
# Installs anne from BUILD_DIR into a temporary prefix, builds tests/package against it with
# find_package(anne), then again with add_subdirectory, and runs both: each must print Keras's
# 0.22 for the paper's first test row.
set -euo pipefail
source_dir=$1
build_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/tests/package" -B "$work/installed" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/installed" >/dev/null
cmake -S "$source_dir/tests/package" -B "$work/subdir" -DANNE_SOURCE_DIR="$source_dir" >/dev/null
cmake --build "$work/subdir" >/dev/null
for mode in installed subdir; do
  got=$("$work/$mode/consumer")
  if [ "$got" != "0.22" ]; then
    echo "$mode: printed '$got', expected 0.22" >&2
    exit 1
  fi
  echo "$mode: $got"
done
