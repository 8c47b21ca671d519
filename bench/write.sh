#!/usr/bin/env bash
# Times the write path, `casebook new` and `casebook move`, on a 100,000-case
# bank office (issue 3's target: under 0.5 s each). Each run registers or
# moves a fresh case and makes one commit, as a clerk would.
#
#   bench/write.sh              # fixture bench/out/bank100k, generated once and kept
#   RUNS=10 bench/write.sh
#   REGEN=1 bench/write.sh      # regenerate the fixture
#   CASES=20000 OUT=bench/out/bank bench/write.sh   # another size
#
# Prints, per command, the wall time and peak RSS of every run
# (/usr/bin/time -f '%e s %M KB'), then min / median / max. The fixture is
# reset to its generated HEAD afterwards, so runs are comparable.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${CASES:-100000}
OUT=${OUT:-bench/out/bank100k}
RUNS=${RUNS:-5}
BIN=bench/out/bin
mkdir -p "$BIN"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
# The identity of the clerk who acts (casebook's own resolution, first match).
export CASEBOOK_ACTOR="基准测试 <bench@example.com>"
unset CASEBOOK_TEST_FAILPOINT

if [[ ${REGEN:-} == 1 || ! -d $OUT/.git ]]; then
	rm -rf "$OUT"
	echo "generating $CASES cases into $OUT (git fast-import) ..." >&2
	start=$(date +%s)
	go run ./bench/genrepo -out "$OUT" -cases "$CASES" -seed 1
	echo "generated in $(($(date +%s) - start)) s" >&2
fi
go build -o "$BIN/casebook" ./cmd/casebook
CB=$(cd "$BIN" && pwd)/casebook

cd "$OUT"
base=$(git rev-parse HEAD)
files=$(git ls-files cases | wc -l)
commits=$(git rev-list --count HEAD)
# Put the fixture back however the script ends.
cleanup() {
	git reset -q --hard "$base"
	rm -f .git/casebook/lock .git/index.lock
}
trap cleanup EXIT
# A refreshed index, as a clerk's repository normally has: the first git
# command after the checkout would otherwise pay for it inside the timing.
git update-index -q --refresh >/dev/null || true

# The newest cases are in 2026, the fixture's busiest year (~50,000 cases):
# id allocation and lookup have the most to look through there. The clock
# is after the fixture's last commit, so commit times stay ordered.
NOW=2027-01-02T10:00:00+08:00
RECEIVED=2026-12-31T16:00:00+08:00

declare -a NEW_T MOVE_T
timed() { # timed ARRAY CMD...: runs CMD, appends "wall s rss KB" to ARRAY
	local var=$1
	shift
	local log
	log=$(mktemp)
	if ! /usr/bin/time -f '%e s %M KB' -o "$log" "$@" >/dev/null 2>"$log.err"; then
		echo "failed: $*" >&2
		cat "$log.err" >&2
		rm -f "$log" "$log.err"
		exit 1
	fi
	eval "$var+=(\"\$(tail -1 "$log")\")"
	rm -f "$log" "$log.err"
}

ids=()
for i in $(seq "$RUNS"); do
	timed NEW_T "$CB" new --policy bank --title "基准测试投诉 $i" --channel visit --category attitude \
		--received-at "$RECEIVED" --set complainant.name=测试客户 --set complainant.phone=13800000000 --now "$NOW"
	ids+=("$(git log -1 --format=%s | cut -d: -f1)")
done
for id in "${ids[@]}"; do
	timed MOVE_T "$CB" move "$id" assigned --set assignee=赵敏 --set department=监察室 \
		--set leader_opinion.by=孙行长 --set leader_opinion.opinion=请三日内答复 --note 基准测试 --now "$NOW"
done

# Sanity: every run made exactly one commit, git accepts the result, the
# work tree is clean.
made=$(git rev-list --count "$base"..HEAD)
if [[ $made != $((2 * RUNS)) ]]; then
	echo "expected $((2 * RUNS)) commits, found $made" >&2
	exit 1
fi
if [[ -n $(git status --porcelain) ]]; then
	echo "git status is not clean after the runs:" >&2
	git status --porcelain | head >&2
	exit 1
fi

summary() { # summary LABEL ROWS...
	local label=$1
	shift
	printf '%-16s' "$label"
	printf ' %s |' "$@"
	printf '\n%-16s min %s  median %s  max %s (s)\n' "" \
		"$(printf '%s\n' "$@" | awk '{print $1}' | sort -n | head -1)" \
		"$(printf '%s\n' "$@" | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
		"$(printf '%s\n' "$@" | awk '{print $1}' | sort -n | tail -1)"
}
echo "fixture: $OUT, $files case files, $commits commits; $(nproc) cores; target < 0.5 s"
summary "casebook new" "${NEW_T[@]}"
summary "casebook move" "${MOVE_T[@]}"
echo "ids: ${ids[*]}"
