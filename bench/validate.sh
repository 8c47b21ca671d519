#!/usr/bin/env bash
# Times casebook's history walk on a production-size office repository,
# side by side with git itself.
#
#   bench/validate.sh            # 20,000 cases into bench/out/bank (kept between runs)
#   CASES=5000 bench/validate.sh
#   REGEN=1 bench/validate.sh    # regenerate the fixture
#   OUT=/work/bench-val/bank bench/validate.sh   # another fixture (kept as it is)
#   MESSY=0.6 OUT=bench/out/messy bench/validate.sh   # 60 % of cases lack required fields (about five findings each)
#
# Prints wall time, user CPU (what to compare on a shared machine) and
# peak RSS for: git log -p over cases/ (the yardstick),
# history.Read cold and warm (bench/historyread), and casebook validate cold
# and warm when the binary has that command. "warm" means: cache present,
# then one more commit, as in CI after a push. The warm run's output, text
# and JSON, must equal a --no-cache run's: the script fails otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${CASES:-20000}
MESSY=${MESSY:-0}
OUT=${OUT:-bench/out/bank}
BIN=${BIN:-bench/out/bin}
mkdir -p "$BIN"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_AUTHOR_DATE=2027-01-02T10:00:00+08:00 GIT_COMMITTER_DATE=2027-01-02T10:00:00+08:00

if [[ ${REGEN:-} == 1 || ! -d $OUT/.git ]] || [[ $(git -C "$OUT" rev-list --count HEAD 2>/dev/null || echo 0) -lt $((CASES * 3)) ]]; then
	rm -rf "$OUT"
	echo "generating $CASES cases into $OUT ..." >&2
	go run ./bench/genrepo -out "$OUT" -cases "$CASES" -seed 1 -messy "$MESSY"
fi
go build -o "$BIN/historyread" ./bench/historyread
HAVE_CASEBOOK=0
if go build -o "$BIN/casebook" ./cmd/casebook 2>/dev/null && "$BIN/casebook" validate --help >/dev/null 2>&1; then
	HAVE_CASEBOOK=1
fi
ABS_BIN=$(cd "$BIN" && pwd)

# measure LABEL CMD...: runs CMD in the fixture, records wall seconds and peak RSS.
ROWS=()
measure() {
	local label=$1
	shift
	local log
	log=$(mktemp)
	(cd "$OUT" && /usr/bin/time -v "$@" >/dev/null 2>"$log") || true
	local wall user rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$log")
	user=$(awk -F': ' '/User time \(seconds\)/ {printf "%.2f", $2}' "$log")
	rss=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2/1024}' "$log")
	rm -f "$log"
	ROWS+=("$(printf '%-34s %8s s %8s s %8s MiB' "$label" "$wall" "$user" "$rss")")
}

# add_commit: one more transition, as casebook would commit it.
add_commit() {
	local f to=assigned
	f=$(git -C "$OUT" ls-files cases | tail -1)
	grep -q '^status: assigned' "$OUT/$f" && to=replied
	sed -i "s/^status: .*/status: $to/" "$OUT/$f"
	git -C "$OUT" -c commit.gpgsign=false commit -qam "bench: one more commit"
}

# same_as_no_cache: the cached run prints what --no-cache prints, in text
# and JSON, or the script stops.
same_as_no_cache() {
	local f a b
	for f in text json; do
		a=$(mktemp) b=$(mktemp)
		(cd "$OUT" && "$ABS_BIN/casebook" validate --now 2027-01-02T12:00:00+08:00 --format $f --max-findings 0 >"$a" || true)
		(cd "$OUT" && "$ABS_BIN/casebook" validate --now 2027-01-02T12:00:00+08:00 --format $f --max-findings 0 --no-cache >"$b" || true)
		if ! cmp -s "$a" "$b"; then
			echo "FAIL: warm validate --format $f differs from --no-cache:" >&2
			diff "$a" "$b" | head -20 >&2
			git -C "$OUT" reset -q --hard HEAD~1
			exit 1
		fi
		rm -f "$a" "$b"
	done
	ROWS+=("$(printf '%-34s %s' "warm output = --no-cache output" "yes (text and json)")")
}

commits=$(git -C "$OUT" rev-list --count HEAD)
measure "git log -p --no-renames -- cases" git log -p --no-renames -- cases
rm -rf "$OUT/.git/casebook"
measure "history.Read cold" "$ABS_BIN/historyread" -C .
add_commit
measure "history.Read warm (+1 commit)" "$ABS_BIN/historyread" -C .
git -C "$OUT" reset -q --hard HEAD~1
if [[ $HAVE_CASEBOOK == 1 ]]; then
	rm -rf "$OUT/.git/casebook"
	measure "casebook validate cold" "$ABS_BIN/casebook" validate --now 2027-01-02T12:00:00+08:00
	add_commit
	measure "casebook validate warm (+1 commit)" "$ABS_BIN/casebook" validate --now 2027-01-02T12:00:00+08:00
	same_as_no_cache
	git -C "$OUT" reset -q --hard HEAD~1
else
	ROWS+=("casebook validate                  (not built yet: skipped)")
fi

echo "fixture: $OUT, $commits commits, $(nproc) cores"
printf '%-34s %10s %10s %12s\n' "what" "wall" "user CPU" "peak RSS"
printf '%s\n' "${ROWS[@]}"
