#!/usr/bin/env bash
# A scripted console session on the PC (`anne console`) and on each emulated chip: every line but
# the timing ones must be equal, character for character. The session covers every command, a
# model transfer over the serial line (a Keras IRIS model imported to .anne), refused transfers
# (a wrong CRC, a size beyond the buffer) after which the previous model still answers, bad input
# (an unknown command, bad numbers, a line longer than the console's 128 characters), and an int8
# model (`anne quantize -o`) sent the same way, run in integers, refusing float-only commands. The
# PC's transcript is also checked against facts that do not come from anne: Keras's confusion
# matrix and accuracy on the paper's test rows.
#   firmware/check-console.sh BUILD_DIR
set -uo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
anne=$build/tools/anne/anne
shared=${ANNE_SHARED_DIR:-$here/../../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$anne" import "$shared/data/keras-real/iris-keras2.13-keras/iris_model.keras" -o "$work/iris.anne" > /dev/null || exit 1
"$anne" quantize paper-8 --calibrate paper-train -o "$work/paper8.q.anne" > /dev/null || exit 1
{
  printf 'help\nlist\nselect paper-6\ninfo\neval\npredict 6.3,2.5,5.0,1.9\nexplain 6.3,2.5,5.0,1.9\n'
  printf 'act 1 tanh\npredict 6.3,2.5,5.0,1.9\nact 9 relu\nact 1 swishy\nreset\npredict 6.3,2.5,5.0,1.9\n'
  printf 'select paper-8\ntrain 3\nfine-tune 2\neval\nbench 10\n'
  "$anne" console --send "$work/iris.anne"
  printf 'info\nstandardize off\npredict 6.3,2.5,5.0,1.9\n'
  printf 'receive 999999 0\npredict 6.3,2.5,5.0,1.9\n'
  # The same file with one data byte changed: the CRC no longer matches and the model stays.
  "$anne" console --send "$work/iris.anne" | LC_ALL=C sed '2s/\(.\{200\}\)./\1X/'
  printf 'predict 6.3,2.5,5.0,1.9\nfoo\npredict 1.2.3,4,5,6\npredict 1,2,3\n'
  printf '%0200d\n' 0
  printf 'predict 6.3,2.5,5.0,1.9\n'
  "$anne" console --send "$work/paper8.q.anne"
  printf 'info\nlist\nstandardize paper\neval\npredict 6.3,2.5,5.0,1.9\nexplain 6.3,2.5,5.0,1.9\nact 1 tanh\ntrain 1\nbench 10\n'
} > "$work/session.bin"

"$anne" console < "$work/session.bin" > "$work/pc.txt"
status=$?
failed=0
if [ $status -ne 0 ]; then echo "console: anne console exited with $status" >&2; failed=1; fi
for fact in "confusion matrix [[8,2],[0,10]]" "accuracy 0.9000 (18 of 20)" "model received" \
    "error: unknown command 'foo'" "error: line longer than 128 characters" \
    "model received: 4-2-3-2-1, 30 parameters, int8" "error: train needs a float model"; do
  if ! grep -qF "$fact" "$work/pc.txt"; then echo "console: the PC transcript lacks '$fact'" >&2; failed=1; fi
done

timing=' inferences, [0-9]* [a-z]* each$'
for target in "rp2040 RP2040 in rp2040js" "cortex-m0 Cortex-M0 in QEMU microbit" "cortex-m33 Cortex-M33 in QEMU mps2-an505"; do
  name=${target%% *}
  what=${target#* }
  image=$build/firmware/$name/console.elf
  case $name in
    rp2040) timeout 300 node "$here/emulator/run-rp2040.mjs" "$image" --input "$work/session.bin" > "$work/$name.txt" ;;
    cortex-m0) timeout 120 "$here/run-qemu.sh" microbit "$image" --input "$work/session.bin" > "$work/$name.txt" ;;
    cortex-m33) timeout 120 "$here/run-qemu.sh" mps2-an505 "$image" --input "$work/session.bin" > "$work/$name.txt" ;;
  esac
  status=$?
  if [ $status -ne 0 ]; then
    echo "console: $what exited with status $status" >&2
    failed=1
  elif ! diff <(grep -v "$timing" "$work/pc.txt") <(grep -v "$timing" "$work/$name.txt") > "$work/diff.txt"; then
    echo "console: $what differs from the PC:" >&2
    cat "$work/diff.txt" >&2
    failed=1
  else
    echo "console: $what: $(wc -l < "$work/$name.txt") lines, equal to the PC's but for the timing lines ($(grep "$timing" "$work/$name.txt" | paste -sd ";" -))"
  fi
done
exit $failed
