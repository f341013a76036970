#!/usr/bin/env bash
# Fuzzes each parser of untrusted input for a bounded time (ARCHITECTURE.md, "Fuzzing"):
# installs cargo-fuzz if missing, builds every target of fuzz/Cargo.toml, runs each for
# ${FUZZ_SECONDS:-30} seconds from a copy of its seed corpus (fuzz/corpus/<target>, never grown
# here), and fails if any target crashed, ran out of memory or took too long on one input; the
# input that did is kept in fuzz/artifacts/<target>/. Prints each target's executions and coverage.
# Usage: bash fuzz/run.sh [target ...]   (all targets by default)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds="${FUZZ_SECONDS:-30}"
# cargo fuzz needs a nightly compiler (libFuzzer's -Z flags); this machine has one installed.
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  echo "fuzz: the $toolchain toolchain is missing (rustup toolchain install $toolchain)" >&2
  exit 1
fi
# Instrumented builds are kept apart from the main cache: other flags, other artifacts.
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/lantern/fuzz-target}"
export CARGO_TERM_COLOR=never

if ! command -v cargo-fuzz >/dev/null && [ ! -x "$HOME/.cargo/bin/cargo-fuzz" ]; then
  CARGO_TARGET_DIR="$HOME/.cache/lantern/cargo-fuzz-build" \
    cargo install --locked cargo-fuzz --version 0.13.2 --root "$HOME/.cargo"
fi
export PATH="$HOME/.cargo/bin:$PATH"

# No sanitizer (-s none): the crate forbids unsafe code (workspace lints), so AddressSanitizer
# would only watch the C libraries beneath and slow every run several times. Panics, arithmetic
# overflow (overflow-checks in fuzz/Cargo.toml), stack overflow, timeouts and memory use are
# what the targets catch.
echo "fuzz: building the targets with $(rustup run "$toolchain" rustc --version)"
cargo "+$toolchain" fuzz build -O -s none

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo "+$toolchain" fuzz list)
fi
host=$(rustup run "$toolchain" rustc -vV | sed -n 's/^host: //p')
bin_dir="$CARGO_TARGET_DIR/$host/release"

# Inputs longer than a parser's realistic input only slow the search down.
max_len() {
  case "$1" in
    package_zip | package_files | framework) echo 16384 ;;
    markdown | credential | credential_signed) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
summary=()
for target in "${targets[@]}"; do
  corpus="$work/$target"
  mkdir -p "$corpus" "fuzz/artifacts/$target"
  cp -r "fuzz/corpus/$target/." "$corpus/" 2>/dev/null || true
  log="$work/$target.log"
  echo "fuzz: $target for ${seconds}s"
  status=0
  "$bin_dir/$target" "$corpus" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len="$(max_len "$target")" -print_final_stats=1 \
    -artifact_prefix="$root/fuzz/artifacts/$target/" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2)
  features=$(grep -o 'ft: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2)
  inputs=$(find "$corpus" -type f | wc -l)
  summary+=("$(printf '%-18s %12s %9s %7s %8s %8s %7s' "$target" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${features:-?}" "$inputs" "${rss:-?}")")
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "fuzz: $target FAILED (exit $status); the end of its log:" >&2
    grep -v '^#[0-9]' "$log" | tail -n 60 >&2
    for artifact in "fuzz/artifacts/$target"/*; do
      [ -f "$artifact" ] && echo "  reproduce: cargo +$toolchain fuzz run -O -s none $target $artifact" >&2
    done
  fi
done

echo
printf '%-18s %12s %9s %7s %8s %8s %7s\n' target executions "execs/s" edges features corpus "rss MB"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no crash in ${#targets[@]} targets, ${seconds}s each"
