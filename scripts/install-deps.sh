#!/usr/bin/env bash
# Installs what anne needs from Debian's packages (and, with --node, the pinned npm packages of the
# test oracles). Safe to run again: it installs only what is missing.
#   scripts/install-deps.sh            host build and tests
#   scripts/install-deps.sh --device   also the Arm toolchain, QEMU and the rp2040js harness
#                                      (firmware/emulator) for the device images
#   scripts/install-deps.sh --node     also Node.js and the pinned npm packages of tests/oracle
#   scripts/install-deps.sh --fuzz     also clang and its libFuzzer runtime
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake make g++ pkg-config libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libhdf5-dev libzip-dev)
# The Arm toolchain for the device images (installed without recommends: the full libstdc++
# newlib package is 1.5 GB and not needed when linking with arm-none-eabi-gcc).
device_packages=(gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)

want=("${packages[@]}")
node_projects=()
for arg in "$@"; do
  case "$arg" in
    --device) want+=("${device_packages[@]}" nodejs npm); node_projects+=(firmware/emulator) ;;
    --node) want+=(nodejs npm); node_projects+=(tests/oracle) ;;
    --fuzz) want+=(clang libclang-rt-14-dev) ;;
    *) echo "install-deps.sh: unknown option '$arg' (known: --device, --node, --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node may come from outside Debian (then the nodejs/npm packages are not needed).
if command -v node >/dev/null && command -v npm >/dev/null; then
  kept=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || kept+=("$p"); done
  missing=("${kept[@]+"${kept[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm projects: installed exactly as their package-lock.json pins them, once per lock file change.
for project in "${node_projects[@]+"${node_projects[@]}"}"; do
  stamp="$project/node_modules/.anne-lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$project/package-lock.json" "$stamp"; then
    echo "install-deps: npm ci in $project"
    (cd "$project" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$project/package-lock.json" "$stamp"
  fi
done
