# anne: the two commands of the README, and the pieces they are made of.
#   make demo    install what is missing, build, run the paper's networks on the PC and the emulated Pico
#   make test    install what is missing, build, run every test (also under ASan and UBSan)
#   make bench   host benchmarks (nanoseconds per inference)
#   make fuzz    libFuzzer on every parser for FUZZ_SECONDS each (default 60)
#   make test-device   parity and console images on the RP2040 (rp2040js), Cortex-M0 and Cortex-M33 (QEMU)
#   make bench-device  cycles, instructions, flash and RAM on the emulated chips (docs/device.md)
#   make example-condition-monitoring   examples/condition-monitoring end to end, with its figures

JOBS ?= $(shell nproc)
BUILD ?= build
BUILD_SANITIZE ?= build-sanitize
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 60
ANNE := $(BUILD)/tools/anne/anne
CMAKE_FLAGS ?=
MAKEFLAGS += --no-print-directory

.PHONY: all deps build build-sanitize build-fuzz demo test test-host test-sanitize test-fuzz test-device bench bench-device firmware fuzz clean example-condition-monitoring

all: build

deps:
	@scripts/install-deps.sh --node

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-sanitize: deps
	@cmake -S . -B $(BUILD_SANITIZE) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DANNE_SANITIZE=ON -DANNE_BUILD_BENCH=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_SANITIZE) -j $(JOBS)

demo: firmware
	@$(ANNE) demo
	@firmware/demo-device.sh $(BUILD)

test: test-host test-sanitize test-fuzz test-device

test-host: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize: build-sanitize
	@cd $(BUILD_SANITIZE) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

build-fuzz:
	@scripts/install-deps.sh --fuzz
	@CC=clang CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DANNE_FUZZ=ON -DANNE_BUILD_TESTS=OFF -DANNE_BUILD_BENCH=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_FUZZ) -j $(JOBS)

fuzz: build-fuzz
	@fuzz/run.sh $(BUILD_FUZZ) $(FUZZ_SECONDS)

# The short pass CI runs on every change.
test-fuzz: build-fuzz
	@fuzz/run.sh $(BUILD_FUZZ) 10

# The core on emulated chips (Cortex-M0 and Cortex-M33 in QEMU), bit-identical to the host.
firmware: build
	@scripts/install-deps.sh --device
	@$(MAKE) -C firmware OUT=$(abspath $(BUILD))/firmware

test-device: firmware
	@firmware/check-softfloat.sh $(BUILD)
	@firmware/check-parity.sh $(BUILD)
	@firmware/check-console.sh $(BUILD)
	@examples/condition-monitoring/run.sh $(BUILD) 5 > $(BUILD)/condition-monitoring.log || { cat $(BUILD)/condition-monitoring.log; exit 1; }
	@tail -2 $(BUILD)/condition-monitoring.log

# The condition-monitoring example (examples/condition-monitoring/README.md): train, stream the
# test records through the emulated RP2040, compare with the PC, fine-tune on the node.
example-condition-monitoring: firmware
	@examples/condition-monitoring/run.sh $(BUILD)

bench-device: firmware
	@firmware/bench-device.sh $(BUILD)

bench: build
	@$(BUILD)/bench/anne_bench
	@$(ANNE) bench --model paper-8
	@$(ANNE) bench --model paper-6

clean:
	rm -rf $(BUILD) $(BUILD_SANITIZE) $(BUILD_FUZZ)
