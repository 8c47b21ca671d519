#!/usr/bin/env bash
# Peak memory of casebook validate when history holds a 400 MB
# compressible version of a case file (issue 9: under 50 MiB of RSS, and a
# parse error for that version instead of inflating it).
#
#   bench/bigblob.sh                 # into /tmp/casebook-bigblob (removed at exit)
#   SIZE=100000000 bench/bigblob.sh  # a smaller blob
#   CASEBOOK=/tmp/old/casebook bench/bigblob.sh   # measure another build
#
# The office has one case; a hand commit replaces its file with SIZE bytes
# of repeated text, the next restores it. validate runs with the blob as a
# loose object, then again after git repack has packed it.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-400000000}
OUT=${OUT:-/tmp/casebook-bigblob}
BIN=$(mktemp -d)
trap 'rm -rf "$OUT" "$BIN"' EXIT
if [[ -n ${CASEBOOK:-} ]]; then
	cp "$CASEBOOK" "$BIN/casebook" # another build, for comparison
else
	go build -o "$BIN/casebook" ./cmd/casebook
fi

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=$BIN
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_AUTHOR_DATE=2026-11-03T10:00:00+08:00 GIT_COMMITTER_DATE=2026-11-03T10:00:00+08:00
NOW=2026-11-04T10:00:00+08:00
rm -rf "$OUT"
"$BIN/casebook" init "$OUT" --policy bank --now 2026-11-02T08:00:00+08:00 >/dev/null
cd "$OUT"
"$BIN/casebook" new --title 柜台服务态度差 --channel visit --category attitude --received-at 2026-11-02T09:00:00+08:00 --now 2026-11-02T09:10:00+08:00 >/dev/null 2>&1
f=$(git ls-files 'cases/*.md' | head -1)
cp "$f" "$BIN/case.md"
{ cat "$BIN/case.md"; head -c "$SIZE" < <(yes '客户反映柜台服务态度差，要求道歉。'); } >"$f"
git -c commit.gpgsign=false commit -qam "paste $SIZE bytes"
cp "$BIN/case.md" "$f"
git -c commit.gpgsign=false commit -qam "undo the paste"

# measure LABEL: validate's wall time, peak RSS and its findings on that version.
measure() {
	local log
	log=$(mktemp)
	/usr/bin/time -v "$BIN/casebook" validate --now "$NOW" >"$log.out" 2>"$log" || true
	printf '%-28s %6.2f s %6d MiB   %s\n' "$1" \
		"$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")" \
		"$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2/1024}' "$log")" \
		"$(tail -1 "$log.out")"
	grep -h 'larger than' "$log.out" "$log" | head -2 || true
	rm -f "$log" "$log.out"
}
echo "blob: $SIZE bytes, $(du -k "$(git rev-parse --git-path objects)" | tail -1 | cut -f1) KiB of objects"
rm -rf .git/casebook
measure "validate, loose blob"
git repack -a -d -q
rm -rf .git/casebook
measure "validate, packed blob"
measure "validate, warm cache"
