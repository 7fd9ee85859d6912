// Runs a bare-metal RP2040 image of anne in the rp2040js emulator (a cycle-approximate Cortex-M0+
// model of the Raspberry Pi Pico; flash counts as zero-wait).
//
//   node run-rp2040.mjs IMAGE.elf [--input FILE] [--markers FILE] [--max-cycles N] [--profile N-M]
//
// - The ELF's loadable segments go to flash (0x10000000) or SRAM (0x20000000) by physical address.
//   rp2040js has no bootrom, so nothing runs boot2: the vector table sits at 0x10000100, right
//   after the 256-byte boot2 slot, as in a Pico SDK image, and the core starts from it.
// - UART0 is the console: what the image writes goes to stdout; the bytes of --input (a file, or -
//   for stdin) are fed to its receive FIFO one at a time as the image takes them. When all are
//   taken, GPIO 28 goes high: the end of the input, out of band (a model transfer carries any byte).
// - Measurement protocol: BKPT #n with n < 0xEE is a marker. The cycles between an odd marker n and
//   the next marker n+1 are one measurement; with --markers FILE they are written there as JSON
//   ({"1-2": cycles, ...}), else to stderr. BKPT #0xEE ends the run with the status in r0.
// - A run that exceeds --max-cycles (default 4e9, half a minute of Pico time) is stopped: status 124.
// - --profile N-M: where the cycles between markers N and M go, by function (arm-none-eabi-nm
//   names the addresses), printed to stderr.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { RP2040 } from 'rp2040js';

const kFlash = 0x10000000;
const kSram = 0x20000000;
const kVectorTable = 0x10000100;
const kExitMarker = 0xee;
const kEndOfInputPin = 28;

function usage(message) {
  process.stderr.write(`run-rp2040: ${message}\nusage: node run-rp2040.mjs IMAGE.elf [--input FILE] [--markers FILE] [--max-cycles N] [--profile N-M]\n`);
  process.exit(2);
}

function parseArguments(argv) {
  const options = { image: null, input: null, markers: null, maxCycles: 4e9, profile: null };
  for (let i = 0; i < argv.length; ++i) {
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${argv[i]} needs a value`));
    switch (argv[i]) {
      case '--input': options.input = value(); break;
      case '--markers': options.markers = value(); break;
      case '--max-cycles': options.maxCycles = Number(value()); break;
      case '--profile': options.profile = value(); break;
      default:
        if (argv[i].startsWith('-') || options.image) usage(`unexpected argument '${argv[i]}'`);
        options.image = argv[i];
    }
  }
  if (!options.image) usage('no image given');
  if (!(options.maxCycles > 0)) usage('--max-cycles must be a positive number');
  if (options.profile !== null && !/^\d+-\d+$/.test(options.profile)) usage('--profile takes a marker pair such as 1-2');
  return options;
}

/// Copies every PT_LOAD segment of a 32-bit little-endian ARM ELF into the chip's memories.
function loadElf(mcu, path) {
  const elf = readFileSync(path);
  const fail = (what) => { process.stderr.write(`run-rp2040: ${path}: ${what}\n`); process.exit(1); };
  if (elf.length < 52 || elf.readUInt32BE(0) !== 0x7f454c46) fail('not an ELF file');
  if (elf[4] !== 1 || elf[5] !== 1 || elf.readUInt16LE(18) !== 40) fail('not a 32-bit little-endian ARM ELF');
  const phoff = elf.readUInt32LE(28);
  const phentsize = elf.readUInt16LE(42);
  const phnum = elf.readUInt16LE(44);
  if (phoff + phnum * phentsize > elf.length) fail('program headers run past the end of the file');
  for (let i = 0; i < phnum; ++i) {
    const at = phoff + i * phentsize;
    if (elf.readUInt32LE(at) !== 1) continue;  // PT_LOAD only
    const offset = elf.readUInt32LE(at + 4);
    const paddr = elf.readUInt32LE(at + 12);
    const filesz = elf.readUInt32LE(at + 16);
    if (filesz === 0) continue;
    if (offset + filesz > elf.length) fail(`segment ${i} runs past the end of the file`);
    const bytes = elf.subarray(offset, offset + filesz);
    if (paddr >= kFlash && paddr + filesz <= kFlash + mcu.flash.length) mcu.flash.set(bytes, paddr - kFlash);
    else if (paddr >= kSram && paddr + filesz <= kSram + mcu.sram.length) mcu.sram.set(bytes, paddr - kSram);
    else fail(`segment ${i} at 0x${paddr.toString(16)} (${filesz} bytes) is outside flash and SRAM`);
  }
}

/// Cycles per function: each sampled address is charged to the nearest symbol at or below it.
function printProfile(image, cyclesAt, pair) {
  const nm = spawnSync('arm-none-eabi-nm', ['-n', '-C', image], { encoding: 'utf8' });
  if (nm.status !== 0) { process.stderr.write('run-rp2040: --profile needs arm-none-eabi-nm\n'); return; }
  const symbols = nm.stdout.split('\n').map((line) => line.match(/^([0-9a-f]{8}) [tTwW] (.*)$/))
    .filter(Boolean).map((m) => ({ address: parseInt(m[1], 16), name: m[2] }));
  const byName = new Map();
  let total = 0;
  for (const [address, cycles] of cyclesAt) {
    let low = 0, high = symbols.length - 1, found = null;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (symbols[mid].address <= address) { found = symbols[mid]; low = mid + 1; } else high = mid - 1;
    }
    const name = found ? found.name : '?';
    byName.set(name, (byName.get(name) || 0) + cycles);
    total += cycles;
  }
  process.stderr.write(`run-rp2040: profile of markers ${pair}, ${total} cycles\n`);
  for (const [name, cycles] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    process.stderr.write(`${(100 * cycles / total).toFixed(1).padStart(6)}%  ${String(cycles).padStart(10)}  ${name}\n`);
  }
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  const mcu = new RP2040();
  loadElf(mcu, options.image);
  const input = options.input === null ? Buffer.alloc(0) : readFileSync(options.input === '-' ? 0 : options.input);
  let inputAt = 0;
  let inputEnded = options.input === null;

  const output = [];
  mcu.uart[0].onByte = (byte) => output.push(byte);
  const flushOutput = () => {
    if (output.length) process.stdout.write(Buffer.from(output.splice(0)));
  };

  const markers = {};
  let openMarker = null;
  const profileStart = options.profile === null ? -1 : Number(options.profile.split('-')[0]);
  let profiling = false;
  const cyclesAt = new Map();
  let exitStatus = null;
  mcu.onBreak = (code) => {
    const core = mcu.core;
    if (code === kExitMarker) {
      exitStatus = core.registers[0] | 0;
    } else if (code % 2 === 1) {
      openMarker = { code, cycles: core.cycles };
      profiling = code === profileStart;
    } else if (openMarker && openMarker.code === code - 1) {
      markers[`${code - 1}-${code}`] = core.cycles - openMarker.cycles;
      openMarker = null;
      profiling = false;
    } else {
      process.stderr.write(`run-rp2040: marker BKPT #${code} without BKPT #${code - 1} before it\n`);
      exitStatus = 3;
    }
  };

  const core = mcu.core;
  core.VTOR = kVectorTable;
  core.SP = mcu.readUint32(kVectorTable);
  core.PC = mcu.readUint32(kVectorTable + 4) & ~1;
  const nanosPerCycle = 1e9 / mcu.clkSys;
  const uart = mcu.uart[0];
  while (exitStatus === null) {
    // Feed the next input byte once the image has taken the previous one.
    if (!inputEnded && uart.rxFIFO.empty) {
      if (inputAt < input.length) uart.feedByte(input[inputAt++]);
      else { mcu.gpio[kEndOfInputPin].setInputValue(true); inputEnded = true; }
    }
    for (let i = 0; i < 1000 && exitStatus === null; ++i) {
      const pc = core.PC;
      const cycles = core.executeInstruction();
      mcu.clock.tick(cycles * nanosPerCycle);
      if (profiling) cyclesAt.set(pc, (cyclesAt.get(pc) || 0) + cycles);
    }
    if (output.length > 4096) flushOutput();
    if (core.cycles > options.maxCycles) {
      flushOutput();
      process.stderr.write(`run-rp2040: stopped after ${core.cycles} cycles (--max-cycles ${options.maxCycles})\n`);
      process.exit(124);
    }
  }
  flushOutput();
  if (options.profile !== null) printProfile(options.image, cyclesAt, options.profile);
  const report = JSON.stringify({ markers, cycles: core.cycles, status: exitStatus });
  if (options.markers) writeFileSync(options.markers, report + '\n');
  else if (Object.keys(markers).length) process.stderr.write(`run-rp2040: ${report}\n`);
  process.exitCode = exitStatus & 0xff;
}

main();
