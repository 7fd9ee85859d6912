#!/usr/bin/env bash
# The device half of `make demo`: the same console session on the PC (`anne console`) and on the
# emulated Raspberry Pi Pico (the console image in rp2040js, the default target when no board is
# attached), side by side: confusion matrix, accuracy, time per inference, and whether every
# output of the device equals the PC's.
#   firmware/demo-device.sh BUILD_DIR
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf 'select paper-8\neval\nbench 1000\nselect paper-6\neval\nbench 1000\n' > "$work/session.txt"
"$build/tools/anne/anne" console < "$work/session.txt" > "$work/pc.txt"
node "$here/emulator/run-rp2040.mjs" "$build/firmware/rp2040/console.elf" --input "$work/session.txt" > "$work/rp2040.txt"

# The n-th ($2) line of transcript $1 that starts with $3.
nth() { grep "^$3" "$1" | sed -n "$2p"; }
echo
echo "The paper's networks on this PC and on the emulated Raspberry Pi Pico (RP2040 in rp2040js):"
printf '  %-8s %-7s %-16s %-9s %s\n' network where "confusion" accuracy "time per inference"
for n in 1 2; do
  network=$(nth "$work/pc.txt" $n "selected " | awk '{print $2}' | tr -d :)
  for where in pc rp2040; do
    file=$work/$where.txt
    matrix=$(nth "$file" $n "confusion matrix " | awk '{print $3}')
    accuracy=$(nth "$file" $n "accuracy " | awk '{print $2}')
    time=$(nth "$file" $n "1000 inferences, " | sed 's/^1000 inferences, \([0-9]*\) \([a-z]*\) each$/\1 \2/')
    label=PC; [ "$where" = pc ] || label=RP2040
    printf '  %-8s %-7s %-16s %-9s %s\n' "$network" "$label" "$matrix" "$accuracy" "$time"
  done
done
# Everything but the timing lines must be equal, character for character.
if diff <(grep -v ' inferences, ' "$work/pc.txt") <(grep -v ' inferences, ' "$work/rp2040.txt") > /dev/null; then
  echo "  every output the RP2040 printed equals the PC's ($(grep -c '^ *[0-9]\+ \+[0-9]\+ \+[0-9.]\+ ' "$work/pc.txt") rows)"
else
  echo "  the RP2040's transcript differs from the PC's:" >&2
  diff <(grep -v ' inferences, ' "$work/pc.txt") <(grep -v ' inferences, ' "$work/rp2040.txt") >&2
  exit 1
fi
