#!/usr/bin/env bash
# Runs the parity image on each emulated chip and compares its transcript with the same program
# built for the host (every output as float bits, the confusion matrices): they must be equal.
#   firmware/check-parity.sh BUILD_DIR
set -uo pipefail
build=$1
host_transcript=$("$build/tests/device_parity_host") || { echo "device parity: the host program failed" >&2; exit 1; }
failed=0
for target in "cortex-m0 microbit" "cortex-m33 mps2-an505"; do
  set -- $target
  image="$build/firmware/$1/parity.elf"
  transcript=$(timeout 60 qemu-system-arm -M "$2" -nographic -monitor none -serial none \
    -semihosting-config enable=on,target=native,chardev=out -chardev stdio,id=out -kernel "$image")
  status=$?
  if [ $status -ne 0 ]; then
    echo "device parity: $1 (QEMU $2) exited with status $status" >&2
    failed=1
  elif [ "$transcript" != "$host_transcript" ]; then
    echo "device parity: $1 (QEMU $2) differs from the host:" >&2
    diff <(echo "$host_transcript") <(echo "$transcript") >&2
    failed=1
  else
    echo "device parity: $1 (QEMU $2): $(echo "$transcript" | wc -l) lines, bit-identical to the host ($(echo "$transcript" | grep -c '^  [0-9a-f]\{8\}$') outputs)"
  fi
done
exit $failed
