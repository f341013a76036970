#!/usr/bin/env bash
# A full media store: the `fs` store (data/media) is a 2 MiB tmpfs holding the demo's media, and
# `lantern import` (debug build; the same course service the upload page calls) is given a
# package whose lesson names a 6.7 MB PNG. The import must fail naming the lack of space, record
# nothing (no new course version, no media object), and leave the store as it found it: no partial
# file under .partial/ (before the fix, the partial file stayed and kept the store full for good).
# Then the demo course imports again once there is room, as a check that nothing was left locked.
# Through HTTP the same failure is a 503 with Retry-After (tests/tests/operations.rs covers that
# answer for an unreachable store).
#
#   tests/faults/media-full.sh        (run by .ci/run; needs root for `mount -t tmpfs`, and says
#                                      SKIPPED where it cannot mount)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}"
tmp=$(mktemp -d)
media="$tmp/data/media"
cleanup() {
  umount "$media" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

cargo build -q -p lantern
lantern="$CARGO_TARGET_DIR/debug/lantern"
mkdir -p "$media"
if ! mount -t tmpfs -o size=2m tmpfs "$media" 2>"$tmp/mount.log"; then
  # Said loudly, not failed: a machine without the privilege cannot run this fault at all.
  echo "media-full: SKIPPED, cannot mount a tmpfs here ($(cat "$tmp/mount.log")); needs root with CAP_SYS_ADMIN"
  exit 0
fi
export LANTERN_DATA_DIR="$tmp/data" RUST_LOG=error
"$lantern" import "$root/content" >/dev/null

# The demo's hand-hygiene course, version 9.0.0, with a 6.7 MB PNG (random pixels) in a lesson.
package="$tmp/hand-hygiene"
cp -r "$root/content/courses/hand-hygiene" "$package"
sed -i 's/^version = .*/version = "9.0.0"/' "$package/course.toml"
python3 - "$package/media/big.png" <<'PY'
import os, struct, sys, zlib
w = h = 1500
raw = b"".join(b"\0" + os.urandom(w * 3) for _ in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
PY
printf '\n![A large test picture](../media/big.png)\n' >>"$(ls "$package"/lessons/*.md | head -n1)"

counts() {
  python3 - "$tmp/data/lantern.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(*(db.execute(f"select count(*) from {t}").fetchone()[0] for t in ("course_version", "media_object", "lesson")))
PY
}
before_counts=$(counts)
before_used=$(df --output=used "$media" | tail -n1)

status=0
"$lantern" import "$package" >"$tmp/out.log" 2>&1 || status=$?
message=$(grep -v ' INFO ' "$tmp/out.log" || true)
echo "import into a full store: exit $status: ${message:0:160}…"
[ "$status" -ne 0 ] || { echo "media-full: the import succeeded on a full store" >&2; exit 1; }
grep -q "no storage space\|No space left" <<<"$message" ||
  { echo "media-full: the message does not say the store is full: $message" >&2; exit 1; }
[ "$(counts)" = "$before_counts" ] ||
  { echo "media-full: rows recorded: $before_counts -> $(counts)" >&2; exit 1; }
leftovers=$(find "$media/.partial" -type f | wc -l)
after_used=$(df --output=used "$media" | tail -n1)
echo "store used ${before_used} KiB before, ${after_used} KiB after; ${leftovers} partial file(s)"
[ "$leftovers" -eq 0 ] || { echo "media-full: a partial file was left in the store" >&2; exit 1; }
[ "$after_used" -le "$((before_used + 8))" ] || { echo "media-full: the store stayed fuller" >&2; exit 1; }

# Room again (the large picture removed): the same version imports, whole.
rm "$package/media/big.png"
sed -i '/A large test picture/d' "$(ls "$package"/lessons/*.md | head -n1)"
"$lantern" import "$package" >/dev/null
read -r versions_before _ _ <<<"$before_counts"
read -r versions_after _ _ <<<"$(counts)"
[ "$versions_after" -eq "$((versions_before + 1))" ] ||
  { echo "media-full: the import with room did not add the version" >&2; exit 1; }
echo "media-full: refused with a clear message, nothing recorded, nothing left in the store"
