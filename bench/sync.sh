#!/usr/bin/env bash
# Times `casebook sync` against a local bare remote of production size, and `new`,
# `move` and `correct` in a clone of it.
#
#   bash bench/sync.sh                  # 20,000 cases (~72,000 commits), fixture kept in bench/out/bank
#   CASES=100000 OUT=bench/out/bank100k bash bench/sync.sh
#
# Rows: sync of one new case when the remote has nothing new (a push), sync when the other
# clerk pushed a registration of the same id first (fetch, replay with a renumbering, push),
# and new / move / correct in the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${CASES:-20000}
OUT=${OUT:-bench/out/bank}
BIN=bench/out/bin
WORK=$(pwd)/bench/out/sync
mkdir -p "$BIN"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
if [[ ! -d $OUT/.git ]] || [[ $(git -C "$OUT" rev-list --count HEAD) -lt $((CASES * 3)) ]]; then
	rm -rf "$OUT"
	echo "generating $CASES cases into $OUT ..." >&2
	go run ./bench/genrepo -out "$OUT" -cases "$CASES" -seed 1
fi
go build -o "$BIN/casebook" ./cmd/casebook
CB=$(cd "$BIN" && pwd)/casebook
rm -rf "$WORK" && mkdir -p "$WORK"
git clone -q --bare "$OUT" "$WORK/remote.git"
git clone -q "$WORK/remote.git" "$WORK/a"
git clone -q "$WORK/remote.git" "$WORK/b"
echo "commits: $(git -C "$WORK/remote.git" rev-list --count main), cases: $CASES" >&2

# t LABEL CMD...: wall seconds of CMD, run in the current folder.
t() {
	local label=$1
	shift
	local s e
	s=$(date +%s.%N)
	"$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
	e=$(date +%s.%N)
	printf '%-58s %6.2f s\n' "$label" "$(echo "$e - $s" | bc)"
}
NOW=2027-01-04T10:00:00+08:00
new() { "$CB" new --policy bank --title 柜台服务态度差 --channel visit --category attitude --received-at 2027-01-04T09:00:00+08:00 --now "$NOW"; }
cd "$WORK/a"
new >/dev/null 2>&1 # first run: the id cache is built
t "a: new (one more case)" new
ID=$(new 2>/dev/null)
t "a: move $ID assigned" "$CB" move "$ID" assigned --set assignee=钱某 --set department=监察室 --set leader_opinion.by=孙行长 --set leader_opinion.opinion=请三日内答复 --now "$NOW"
t "a: correct $ID --undo" "$CB" correct "$ID" --undo --reason 误转办 --approved-by 孙主任 --now "$NOW"
t "a: sync (push 5 commits, remote unchanged)" "$CB" sync --now "$NOW"
cd "../b"
new >/dev/null 2>&1
t "b: sync (fetch 5, replay 1 with a renumbering, push)" "$CB" sync --now "$NOW"
new >/dev/null 2>&1
t "b: sync (push 1, remote unchanged)" "$CB" sync --now "$NOW"
cd "../a"
t "a: sync (fetch 2, nothing to push)" "$CB" sync --now "$NOW"
new >/dev/null 2>&1
t "a: sync (push 1, remote unchanged)" "$CB" sync --now "$NOW"
git -C ../remote.git fsck --strict --no-dangling 2>&1 | tail -1
