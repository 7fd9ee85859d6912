#!/usr/bin/env bash
# Runs a bare-metal image on a QEMU machine with its semihosting console on stdin/stdout; QEMU
# exits with the image's status. -icount makes every instruction take 2^8 ns of virtual time, so
# SysTick counts executed instructions deterministically (board_qemu.cpp).
#   firmware/run-qemu.sh MACHINE IMAGE.elf
set -euo pipefail
exec qemu-system-arm -M "$1" -nographic -monitor none -serial none -icount shift=8,sleep=off \
  -semihosting-config enable=on,target=native,chardev=console -chardev stdio,id=console,signal=off -kernel "$2"
