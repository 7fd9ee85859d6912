#!/usr/bin/env bash
# make bench-device: runs the benchmark image on every emulated chip and measures what one paper-8
# inference adds to a program, then prints the tables docs/device.md and the README quote.
#   firmware/bench-device.sh BUILD_DIR
# RP2040 figures are cycles from rp2040js (BKPT markers around the loops, cycle-approximate
# Cortex-M0+ timings); QEMU has no cycle model, so its figures are executed instructions.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
images=$build/firmware
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

node "$here/emulator/run-rp2040.mjs" "$images/rp2040/anne-bench.elf" --markers "$work/rp2040.json" > "$work/rp2040.txt"
"$here/run-qemu.sh" microbit "$images/cortex-m0/anne-bench.elf" > "$work/cortex-m0.txt"
"$here/run-qemu.sh" mps2-an505 "$images/cortex-m33/anne-bench.elf" > "$work/cortex-m33.txt"

# The per-run figure of marker pair $2 in transcript $1 (SysTick), and the rp2040js BKPT figure.
systick() { sed -n "s/^marker $2: .*, \([0-9]*\) runs, \([0-9]*\) .* per run (SysTick)$/\2/p" "$1"; }
bkpt() {
  local runs
  runs=$(sed -n "s/^marker $1: .*, \([0-9]*\) runs, .*/\1/p" "$work/rp2040.txt")
  node -e "const m = require('$work/rp2040.json').markers['$1']; console.log(Math.round(m / $runs))"
}
label() { sed -n "s/^marker $1: \(.*\), [0-9]* runs, .*/\1/p" "$work/rp2040.txt"; }

echo "Cost per run on the emulated chips (firmware/bench-device.sh, \`make bench-device\`):"
echo
echo "| what | RP2040 cycles (rp2040js) | Cortex-M0 instructions (QEMU microbit) | Cortex-M33 instructions (QEMU mps2-an505) |"
echo "|---|---:|---:|---:|"
for pair in 1-2 5-6 7-8 9-10 13-14 3-4 15-16 11-12; do
  echo "| $(label $pair) | $(bkpt $pair) | $(systick "$work/cortex-m0.txt" $pair) | $(systick "$work/cortex-m33.txt" $pair) |"
done

# int8 against float32: the same network's cost per run, float32 divided by int8, on each chip.
ratio() { node -e "console.log(($1 / $2).toFixed(1))"; }
speedup() {  # float pair, int8 pair
  printf '| %s | %sx | %sx | %sx |\n' "$(label "$2")" "$(ratio "$(bkpt "$1")" "$(bkpt "$2")")" \
    "$(ratio "$(systick "$work/cortex-m0.txt" "$1")" "$(systick "$work/cortex-m0.txt" "$2")")" \
    "$(ratio "$(systick "$work/cortex-m33.txt" "$1")" "$(systick "$work/cortex-m33.txt" "$2")")"
}
echo
echo "int8 speed-up over float32 (float32 cost / int8 cost, from the table above):"
echo
echo "| what | RP2040 | Cortex-M0 | Cortex-M33 |"
echo "|---|---:|---:|---:|"
speedup 1-2 3-4
speedup 1-2 15-16
speedup 7-8 11-12

# Flash and RAM: size-paper-8 (one inference, only relu and sigmoid linked) minus size-empty.
section_sum() { arm-none-eabi-size -A "$1" | awk -v want="$2" '$1 ~ want { s += $2 } END { print s + 0 }'; }
model_bytes() { arm-none-eabi-nm -S -C --radix=d "$1" | awk '/ anne::paper::paper8::/ { s += $2 } END { print s + 0 }'; }
echo
echo "What one paper-8 float32 inference adds to an empty program (firmware/size):"
echo
echo "| | RP2040 (Cortex-M0+) | Cortex-M33 with FPU |"
echo "|---|---:|---:|"
row() {
  local what=$1; shift
  printf '| %s |' "$what"
  for target in rp2040 cortex-m33; do printf ' %s |' "$("$@" "$target")"; done
  echo
}
flash_added() { echo $(( $(section_sum "$images/$1/size-paper-8.elf" '^\\.text') - $(section_sum "$images/$1/size-empty.elf" '^\\.text') )); }
model_data() { model_bytes "$images/$1/size-paper-8.elf"; }
code_added() { echo $(( $(flash_added "$1") - $(model_data "$1") )); }
ram_added() {
  local with without
  with=$(section_sum "$images/$1/size-paper-8.elf" '^\\.(data|bss)')
  without=$(section_sum "$images/$1/size-empty.elf" '^\\.(data|bss)')
  echo $(( with - without ))
}
stack() {
  local file=$work/$1.txt
  sed -n 's/^paper-8 float32: peak stack of one inference \([0-9]*\) bytes.*/\1/p' "$file"
}
row "flash: code, including the float routines it pulls in (bytes)" code_added
row "flash: the model (weights, biases, layer table) (bytes)" model_data
row "static RAM (scratch buffers) (bytes)" ram_added
row "peak stack of one inference (bytes)" stack

# The same for one paper-8 int8 inference (quantized_forward_fixed): size-paper-8-int8 minus
# size-empty-int8, its baseline with 16-bit input and output.
int8_flash() { echo $(( $(section_sum "$images/$1/size-paper-8-int8.elf" '^\\.text') - $(section_sum "$images/$1/size-empty-int8.elf" '^\\.text') )); }
int8_model() { arm-none-eabi-nm -S -C --radix=d "$images/$1/size-paper-8-int8.elf" | awk '/ paper8_q::/ { s += $2 } END { print s + 0 }'; }
int8_code() { echo $(( $(int8_flash "$1") - $(int8_model "$1") )); }
echo
echo "What one paper-8 int8 inference adds to a program with 16-bit input and output (firmware/size):"
echo
echo "| | RP2040 (Cortex-M0+) | Cortex-M33 with FPU |"
echo "|---|---:|---:|"
row "flash in all (bytes)" int8_flash
row "of which code, weights and requantizers as immediates (bytes)" int8_code
row "of which the two sigmoid tables (bytes)" int8_model

# The same paper-8 figures with the dense layers in C++ (firmware/Makefile SOFTFLOAT_DOT=0).
nodot=$work/nodot
make -s -C "$here" OUT="$nodot" EXPORTED="$(cd "$build" && pwd)/tests/exported" SOFTFLOAT_DOT=0 \
  "$nodot/rp2040/anne-bench.elf" "$nodot/rp2040/size-paper-8.elf" "$nodot/rp2040/size-empty.elf" > /dev/null
node "$here/emulator/run-rp2040.mjs" "$nodot/rp2040/anne-bench.elf" --markers "$work/nodot.json" > /dev/null
nodot_cycles=$(node -e "console.log(Math.round(require('$work/nodot.json').markers['1-2'] / $(sed -n 's/^inferences: //p' "$work/rp2040.txt")))")
nodot_code=$(( $(section_sum "$nodot/rp2040/size-paper-8.elf" '^\\.text') - $(section_sum "$nodot/rp2040/size-empty.elf" '^\\.text') - $(model_bytes "$nodot/rp2040/size-paper-8.elf") ))
echo
echo "RP2040 built with SOFTFLOAT_DOT=0 (the dense layers in C++, not dot.S): paper-8 float32 $nodot_cycles cycles, $nodot_code bytes of code added."
echo
echo "image for other harnesses: $images/rp2040/anne-bench.elf (BKPT #1/#2 around $(sed -n 's/^inferences: //p' "$work/rp2040.txt") paper-8 float32 inferences, BKPT #3/#4 around as many paper-8 int8 ones)"
