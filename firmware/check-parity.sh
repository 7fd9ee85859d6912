#!/usr/bin/env bash
# Runs the parity image on each emulated chip and compares its transcript with the same program
# built for the host (every output as float bits, the confusion matrices, a short training run,
# the quantized networks' 16-bit output codes):
# they must be equal character for character.
#   firmware/check-parity.sh BUILD_DIR
set -uo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
host_transcript=$("$build/tests/device_parity_host") || { echo "device parity: the host program failed" >&2; exit 1; }

run_image() {  # target image
  case $1 in
    rp2040) timeout 120 node "$here/emulator/run-rp2040.mjs" "$2" ;;
    cortex-m0) timeout 60 "$here/run-qemu.sh" microbit "$2" ;;
    cortex-m33) timeout 60 "$here/run-qemu.sh" mps2-an505 "$2" ;;
  esac
}

failed=0
for target in "rp2040 RP2040 in rp2040js" "cortex-m0 Cortex-M0 in QEMU microbit" "cortex-m33 Cortex-M33 in QEMU mps2-an505"; do
  name=${target%% *}
  what=${target#* }
  transcript=$(run_image "$name" "$build/firmware/$name/parity.elf")
  status=$?
  if [ $status -ne 0 ]; then
    echo "device parity: $what exited with status $status" >&2
    failed=1
  elif [ "$transcript" != "$host_transcript" ]; then
    echo "device parity: $what differs from the host:" >&2
    diff <(echo "$host_transcript") <(echo "$transcript") >&2
    failed=1
  else
    echo "device parity: $what: $(echo "$transcript" | wc -l) lines, bit-identical to the host ($(echo "$transcript" | grep -o '[0-9a-f]\{8\}' | wc -l) numbers: float bits and 16-bit codes)"
  fi
done
exit $failed
