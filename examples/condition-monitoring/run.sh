#!/usr/bin/env bash
# The condition-monitoring example end to end (README.md): data, training, the node on the emulated
# RP2040 fed by `anne stream`, the same session on the PC's build of the node, and field fine-tuning.
#   examples/condition-monitoring/run.sh BUILD_DIR [EPOCHS]
# BUILD_DIR holds a build with the firmware (make firmware BUILD=...). The last line:
#   device decisions equal host: K/N; failure F1: X.XXX; cycles per decision: C
# Exit status 1 when a decision of the chip differs from the PC's.
set -euo pipefail
build=$(cd "$1" && pwd)
epochs=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
shared=${ANNE_SHARED_DIR:-$here/../../../shared}
anne=$build/tools/anne/anne
work=$build/condition-monitoring
mkdir -p "$work"
cd "$work"

echo "== 1. data: ai4i2020.csv, stratified 80/20 split (seed 42)"
"$build/examples/condition-monitoring/prepare_data" "$shared/data/ai4i2020/ai4i2020.csv" .

# Trains a 6-12-6-1 network on $1, tests on $2, writes $3.anne and the node's settings $3.setup.
train() {
  echo "   anne train --layers 6,12:relu,6:relu,1:sigmoid --csv $1 --test-csv $2 --label failure --standardize --oversample --choose-threshold --optimizer adam --lr 0.01 --epochs $epochs --batch 32 -o $3.anne"
  "$anne" train --layers 6,12:relu,6:relu,1:sigmoid --csv "$1" --test-csv "$2" --label failure --standardize --oversample \
    --choose-threshold --optimizer adam --lr 0.01 --epochs "$epochs" --batch 32 --quiet -o "$3.anne" > "$3.train.txt"
  sed -n '/^test rows, p > /,$p' "$3.train.txt" | grep -v '^wrote'
  {
    sed -n 's/.*(for anne eval: --mean \([^ ]*\) --std \([^)]*\)).*/mean \1\nstd \2/p' "$3.train.txt"
    sed -n 's/^decision threshold chosen on the training rows (best F1 of class 1): \(.*\)/threshold \1/p' "$3.train.txt"
    echo "debounce 2 2"
  } > "$3.setup"
  echo "   threshold chosen on the training rows: $(sed -n 's/^threshold //p' "$3.setup")"
}

# How many of the chip's decision lines ($1) equal the PC's ($2), line by line.
equal_decisions() {
  paste -d'|' <(grep -E '^d ' "$1") <(grep -E '^d ' "$2") | awk -F'|' '$1 == $2' | wc -l
}

# Session $1 on the PC's build of the node (into $2.host.txt) and on the Cortex-M0 and Cortex-M33
# in QEMU; every transcript, $2.rp2040.txt included, must equal the PC's but for the stats lines.
failed=0

# The confusion matrix anne train computed on the PC for the test rows with the chosen threshold
# ($1.train.txt) must be the one the node's decisions give (the first in $2): the host library's
# standardization and forward pass against the node's.
same_matrix_as_training() {
  local pc node
  pc=$(sed -n '/^test rows, p > /,/accuracy/p' "$1.train.txt" | awk 'NF == 3 && ($1 == "0" || $1 == "1") { m = m (m == "" ? "" : ",") "[" $2 "," $3 "]" } END { print "[" m "]" }')
  node=$(sed -n 's/.*confusion matrix \(\[\[[0-9,]*\],\[[0-9,]*\]\]\).*/\1/p' "$2" | head -1)
  if [ "$pc" = "$node" ]; then
    echo "   the node's confusion matrix $node equals anne train's on the PC"
  else
    echo "   the node's confusion matrix $node differs from anne train's $pc"; failed=1
  fi
}

# The host library's forward pass (anne predict on model $1, the node's standardization from
# $1's setup) must take every test record to the node's decision (the 4th field of the `d` lines of
# transcript $2): p > threshold.
same_decisions_as_predict() {
  local setup=${1%.anne}.setup
  local agree total
  "$anne" predict "$1" --csv test.csv --label failure --mean "$(sed -n 's/^mean //p' "$setup")" \
    --std "$(sed -n 's/^std //p' "$setup")" > "$1.predict.txt"
  agree=$(paste -d' ' <(awk -v t="$(sed -n 's/^threshold //p' "$setup")" '{ print ($1 > t) ? 1 : 0 }' "$1.predict.txt") \
    <(grep '^d ' "$2" | awk '{ print $4 }') | awk '$1 == $2' | wc -l)
  total=$(grep -c '^d ' "$2")
  echo "   anne predict $1 on the PC decides $agree of $total test records as the node did"
  [ "$agree" -eq "$total" ] || failed=1
}

same_everywhere() {
  "$build/tests/monitor_host" < "$1" > "$2.host.txt"
  "$here/../../firmware/run-qemu.sh" microbit "$build/firmware/cortex-m0/monitor.elf" --input "$1" > "$2.cortex-m0.txt"
  "$here/../../firmware/run-qemu.sh" mps2-an505 "$build/firmware/cortex-m33/monitor.elf" --input "$1" > "$2.cortex-m33.txt"
  for chip in rp2040 cortex-m0 cortex-m33; do
    if ! diff <(grep -v '^ok stats' "$2.$chip.txt") <(grep -v '^ok stats' "$2.host.txt") > diff.txt; then
      echo "   $chip: the transcript differs from the PC's:"; head diff.txt; failed=1
    else
      echo "   $chip: transcript equal to the PC's ($(grep -c '^d ' "$2.$chip.txt") decisions; $(grep '^ok stats' "$2.$chip.txt" | head -1 | sed 's/.*times, //'))"
    fi
  done
}

echo "== 2. train on the PC (train.csv), threshold on the training rows, test rows scored on the PC"
train train.csv test.csv model

echo "== 3. the node on the emulated RP2040: anne stream test.csv --to emulator"
"$anne" stream test.csv --label failure --to emulator --model model.anne --setup model.setup \
  --session test.session --transcript test.rp2040.txt | tee stream.txt
echo "   the same session on the PC's build of the node (tests/monitor_host) and on the other chips:"
same_everywhere test.session test
records=$(grep -c '^d ' test.host.txt)
equal=$(equal_decisions test.rp2040.txt test.host.txt)
echo "   RP2040 decisions equal to the PC's: $equal/$records; the alarm went on $(grep -c '^event alarm on' test.rp2040.txt) times"
same_matrix_as_training model stream.txt
same_decisions_as_predict model.anne test.rp2040.txt

echo "== 3b. the same with the int8 model: anne quantize, calibrated on the training rows"
mean=$(sed -n 's/^mean //p' model.setup)
std=$(sed -n 's/^std //p' model.setup)
echo "   anne quantize model.anne --calibrate train.csv --label failure --mean ... --std ... -o model.q.anne"
"$anne" quantize model.anne --calibrate train.csv --label failure --mean "$mean" --std "$std" -o model.q.anne > quantize.txt
grep -E '^  parameters|^  requantizers|^wrote' quantize.txt | sed 's/^ */   /'
# The int8 model's own threshold, chosen as anne train chose the float one: best F1 of class 1 on
# the training rows, now on the int8 outputs.
echo "   anne eval --model model.q.anne --csv train.csv --label failure --mean ... --std ... --choose-threshold"
"$anne" eval --model model.q.anne --csv train.csv --label failure --mean "$mean" --std "$std" --choose-threshold > int8-threshold.txt
{
  grep -E '^(mean|std) ' model.setup
  sed -n 's/^decision threshold chosen on these rows (best F1 of class 1): \(.*\)/threshold \1/p' int8-threshold.txt
  echo "debounce 2 2"
} > model.q.setup
echo "   threshold chosen on the training rows: $(sed -n 's/^threshold //p' model.q.setup) (float32: $(sed -n 's/^threshold //p' model.setup))"
echo "   anne stream test.csv --to emulator --model model.q.anne --setup model.q.setup (the float model's statistics)"
"$anne" stream test.csv --label failure --to emulator --model model.q.anne --setup model.q.setup \
  --session int8.session --transcript int8.rp2040.txt | tee int8-stream.txt
same_everywhere int8.session int8
int8_records=$(grep -c '^d ' int8.host.txt)
int8_equal=$(equal_decisions int8.rp2040.txt int8.host.txt)
echo "   RP2040 decisions equal to the PC's: $int8_equal/$int8_records"
same_decisions_as_predict model.q.anne int8.rp2040.txt

echo "== 4. fine-tuning in the field: a model that never saw product type H, then 64 labelled type-H records on the node"
train shift-train.csv shift-test.csv shift
"$anne" stream shift-test.csv --label failure --to emulator --model shift.anne --setup shift.setup --learn field.csv \
  --epochs 20 --lr 0.05 --session shift.session --transcript shift.rp2040.txt | tee shift-stream.txt
grep -E '^(ok fine-tuned|ok saved)' shift.rp2040.txt | sed 's/^/   node: /'
same_everywhere shift.session shift
shift_records=$(grep -c '^d ' shift.host.txt)
shift_equal=$(equal_decisions shift.rp2040.txt shift.host.txt)
echo "   RP2040 decisions equal to the PC's: $shift_equal/$shift_records"
same_matrix_as_training shift shift-stream.txt

echo "== the node's image for the RP2040 (arm-none-eabi-size $build/firmware/rp2040/monitor.elf)"
arm-none-eabi-size "$build/firmware/rp2040/monitor.elf" | awk 'NR == 2 { printf "   flash %d bytes (code and constants %d, initial data %d); static RAM %d bytes (data %d, bss %d)\n", $1 + $2, $1, $2, $2 + $3, $2, $3 }'

# The summary: float32 (the test records and the field demo), then int8 (the test records).
summary() {
  echo "device decisions equal host: $1/$2; failure F1: $(sed -n 's/.*F1 \([0-9.]*\)$/\1/p' "$3" | head -1); cycles per decision: $(sed -n 's/.*cycles per decision \([0-9]*\) .*/\1/p' "$3" | head -1)"
}
summary $((equal + shift_equal)) $((records + shift_records)) stream.txt
summary "$int8_equal" "$int8_records" int8-stream.txt
[ $((equal + shift_equal + int8_equal)) -eq $((records + shift_records + int8_records)) ] && [ $failed -eq 0 ]
