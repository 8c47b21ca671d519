#!/usr/bin/env bash
# Times `casebook demo --cases N` (the issue's target: 10,000 cases in under 60 s) and
# `casebook validate` on the result, cold (no cache under .git/casebook) and warm.
#
#   bench/demo.sh               # 10,000 cases into bench/out/demo (rebuilt every run)
#   CASES=2000 bench/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${CASES:-10000}
OUT=bench/out/demo
BIN=bench/out/bin
mkdir -p "$BIN"
go build -o "$BIN/casebook" ./cmd/casebook
rm -rf "$OUT"
NOW=2026-11-30T18:00:00+08:00

timed() {
	local label=$1
	shift
	local start end
	start=$(date +%s.%N)
	"$@" >/dev/null || [[ $? == 1 ]] # validate exits 1 on overdue cases
	end=$(date +%s.%N)
	printf '%-34s %8.2f s\n' "$label" "$(echo "$end - $start" | bc)"
}

timed "casebook demo --cases $CASES" "$BIN/casebook" demo "$OUT" --cases "$CASES"
echo "  $(git -C "$OUT" rev-list --count HEAD) commits, pack $(git -C "$OUT" count-objects -vH | sed -n 's/size-pack: //p')"
timed "casebook validate (cold)" "$BIN/casebook" -C "$OUT" validate --now "$NOW"
timed "casebook validate (warm)" "$BIN/casebook" -C "$OUT" validate --now "$NOW"
"$BIN/casebook" -C "$OUT" validate --now "$NOW" | tail -1 || true
