#!/usr/bin/env bash
# Times `casebook build` on production-size office repositories, side by
# side with Hugo rendering the same Markdown files (issue 15's targets):
#
#   1. a cold build, history included, in at most the time Hugo takes for
#      the same files with a minimal one-page template at 20,000 cases,
#      and at most 1.5x at 100,000;
#   2. a rebuild after one new commit rewrites only the pages that changed,
#      in under 2 s at 20,000 cases and under 5 s at 100,000;
#   3. peak memory under 1 GiB at 100,000 cases;
#   4. `build --no-cache` writes the same bytes as the builds through the
#      caches (checked at both sizes after the rebuilds, untimed).
#
#   bench/build.sh                  # fixtures bench/out/bank (20k) and bench/out/bank100k, kept
#   COLD_CACHES=1 bench/build.sh    # also remove .git/casebook before the cold builds
#   SKIP100K=1 bench/build.sh       # only the 20,000-case rows
#   MESSY=0.6 OUT=bench/out/messy OUT100K=bench/out/messy100k ... bench/build.sh   # fixtures of a careless office (genrepo -messy)
#   NOCACHE_CHECK=0 bench/build.sh  # leave out the --no-cache comparison
#   RUNS=3 bench/build.sh           # the cold rows at 20,000: best of 3 (the machine may be busy)
#   CASES=2000 OUT=/tmp/b/bank CASES100K=5000 OUT100K=/tmp/b/bank5k HUGO_SITE=/tmp/b/hugo \
#     HUGO_SITE100K=/tmp/b/hugo5k SITE=/tmp/b/site SITE100K=/tmp/b/site5k bench/build.sh   # small scale
#
# The fixtures are generated with bench/genrepo when missing, as
# bench/validate.sh (20k) and bench/write.sh (100k) do, and are otherwise only
# read: the rebuild rows make one commit in OUT and OUT100K and the script
# resets them afterwards, as validate.sh does for its warm row. Sites are
# written outside the fixtures (SITE, SITE100K) and the Hugo sites live in
# HUGO_SITE and HUGO_SITE100K, whose content/ is a hard-linked copy of the
# fixture's case files, refreshed on every run.
#
# Caches: casebook keeps its history, case and listing caches in
# .git/casebook (validate and every read command fill them). By default they
# are left as they are, so "cold" means "no site yet" and the rows say
# whether the caches were warm; COLD_CACHES=1 removes them first, which
# makes the build walk the whole history. Hugo has no cache of its own for
# this site (public/ and resources/ are removed before it runs).
set -euo pipefail
trap 'echo "bench/build.sh: line $LINENO failed" >&2' ERR
cd "$(dirname "$0")/.."
CASES=${CASES:-20000}
OUT=${OUT:-bench/out/bank}
CASES100K=${CASES100K:-100000}
OUT100K=${OUT100K:-bench/out/bank100k}
HUGO_SITE=${HUGO_SITE:-bench/out/hugo20k}
HUGO_SITE100K=${HUGO_SITE100K:-bench/out/hugo100k}
SITE=${SITE:-bench/out/site20k}
SITE100K=${SITE100K:-bench/out/site100k}
HUGO=${HUGO:-/usr/bin/hugo}
RUNS=${RUNS:-1}
NOW=2027-01-02T10:00:00+08:00
BIN=bench/out/bin
mkdir -p "$BIN"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_AUTHOR_DATE=$NOW GIT_COMMITTER_DATE=$NOW

# abs PATH: PATH made absolute (the measured commands run inside the fixtures).
abs() {
	mkdir -p "$(dirname "$1")"
	echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

if [[ ! -d $OUT/.git ]] || [[ $(git -C "$OUT" rev-list --count HEAD 2>/dev/null || echo 0) -lt $((CASES * 3)) ]]; then
	rm -rf "$OUT"
	echo "generating $CASES cases into $OUT ..." >&2
	go run ./bench/genrepo -out "$OUT" -cases "$CASES" -seed 1 -messy "${MESSY:-0}"
fi
if [[ ${SKIP100K:-} != 1 && ! -d $OUT100K/.git ]]; then
	rm -rf "$OUT100K"
	echo "generating $CASES100K cases into $OUT100K ..." >&2
	go run ./bench/genrepo -out "$OUT100K" -cases "$CASES100K" -seed 1 -messy "${MESSY:-0}"
fi
if [[ -n $(git -C "$OUT" status --porcelain) ]]; then
	echo "$OUT has uncommitted changes (is another benchmark running on it?); not touching it" >&2
	git -C "$OUT" status --porcelain | head >&2
	exit 1
fi
go build -o "$BIN/casebook" ./cmd/casebook
CB=$(abs "$BIN/casebook")
OUT=$(abs "$OUT")
OUT100K=$(abs "$OUT100K")
HUGO_SITE=$(abs "$HUGO_SITE")
HUGO_SITE100K=$(abs "$HUGO_SITE100K")
SITE=$(abs "$SITE")
SITE100K=$(abs "$SITE100K")
TMP=$(mktemp -d)

# Put the fixture back however the script ends.
base=$(git -C "$OUT" rev-parse HEAD)
base100k=
if [[ ${SKIP100K:-} != 1 ]]; then
	if [[ -n $(git -C "$OUT100K" status --porcelain) ]]; then
		echo "$OUT100K has uncommitted changes (is another benchmark running on it?); not touching it" >&2
		exit 1
	fi
	base100k=$(git -C "$OUT100K" rev-parse HEAD)
fi
cleanup() {
	if [[ $(git -C "$OUT" rev-parse HEAD) != "$base" ]]; then
		git -C "$OUT" reset -q --hard "$base"
	fi
	if [[ -n $base100k && $(git -C "$OUT100K" rev-parse HEAD) != "$base100k" ]]; then
		git -C "$OUT100K" reset -q --hard "$base100k"
	fi
	rm -rf "$TMP"
	if [[ -n ${TRASH:-} ]]; then rm -rf "$TRASH"; fi
}
trap cleanup EXIT

# The Hugo site: the fixture's case files under content/, one template for
# every page, nothing else Hugo would render (taxonomies, feeds, sitemap).
# The case files' front-matter is Hugo's own YAML front-matter, and each has
# a title.
hugo_site() { # hugo_site SITE FIXTURE
	rm -rf "$1/content"
	mkdir -p "$1/content" "$1/layouts/_default"
	cp -al "$2/cases" "$1/content/cases" 2>/dev/null || cp -R "$2/cases" "$1/content/cases"
	cat >"$1/hugo.toml" <<'EOF'
baseURL = "http://localhost/"
title = "casebook bench"
languageCode = "zh-cn"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableGitInfo = false
[taxonomies]
EOF
	local page='<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>
{{ .Content }}
</body></html>'
	echo "$page" >"$1/layouts/_default/single.html"
	echo "$page" >"$1/layouts/_default/list.html"
}
hugo_site "$HUGO_SITE" "$OUT"

# measure DIR LABEL CMD...: runs CMD in DIR and records wall seconds, CPU
# seconds (user + system) and peak RSS in WALL, CPU and RSS, and a row of
# the table. CPU time is the steadier figure when the machine is shared. A failing command is reported
# with its error output and stops the script. With PREP set to a function
# name, runs PREP then CMD $RUNS times and keeps the fastest wall time and the
# largest RSS: the machine may be shared.
ROWS=()
WALL=0 CPU=0 RSS=0
measure() {
	local dir=$1 label=$2
	shift 2
	local log=$TMP/time n=1 i w c r
	[[ -n ${PREP:-} ]] && n=$RUNS
	WALL='' CPU=0 RSS=0
	for ((i = 0; i < n; i++)); do
		[[ -n ${PREP:-} ]] && "$PREP"
		# Start each run with the disk quiet: the previous run's (or
		# PREP's deletion's) writeback would otherwise land in this one.
		sync
		sleep 1
		if ! (cd "$dir" && /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$log.err"); then
			echo "failed: $*" >&2
			tail -20 "$log.err" >&2
			exit 1
		fi
		w=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$log")
		c=$(awk -F': ' '/(User|System) time/ {s+=$2} END {printf "%.2f", s}' "$log")
		r=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2/1024}' "$log")
		if [[ -z $WALL ]] || awk "BEGIN {exit !($w < $WALL)}"; then WALL=$w CPU=$c; fi
		((r > RSS)) && RSS=$r
	done
	((n > 1)) && label="$label, best of $n"
	ROWS+=("$(printf '%-50s %8s s %8s s %8s MiB' "$label" "$WALL" "$CPU" "$RSS")")
}

# caches DIR: how the casebook caches of the repository in DIR stand.
caches() {
	if [[ -f $1/.git/casebook/history.bin ]]; then echo "warm caches"; else echo "cold caches"; fi
}

# add_commit DIR: one more transition, as casebook would commit it (validate.sh's).
add_commit() {
	local f to=assigned
	f=$(git -C "$1" ls-files cases | tail -1)
	grep -q '^status: assigned' "$1/$f" && to=replied
	sed -i "s/^status: .*/status: $to/" "$1/$f"
	git -C "$1" -c commit.gpgsign=false commit -qam "bench: one more commit"
}

# same_site DIR SITE LABEL: builds DIR with --no-cache into a fresh folder
# and records whether every file equals SITE's.
NOCACHE=()
same_site() {
	local ref=$TMP/nocache-$RANDOM
	if ! (cd "$1" && "$CB" build --no-cache --now "$NOW" --out "$ref" >/dev/null 2>"$TMP/nocache.err"); then
		cat "$TMP/nocache.err" >&2
		exit 1
	fi
	if diff -rq "$2" "$ref" >"$TMP/nocache.diff"; then
		NOCACHE+=("$3: the same bytes as build --no-cache")
	else
		NOCACHE+=("$3: DIFFERS from build --no-cache ($(wc -l <"$TMP/nocache.diff") files): $(head -3 "$TMP/nocache.diff" | tr '\n' ' ')")
	fi
	discard "$ref"
}

# sums DIR: "checksum  path" of every file under DIR, in byte order.
sums() {
	(cd "$1" && find . -type f -print0 | xargs -0 md5sum) | LC_ALL=C sort
}
# paths FILE: the paths of a sums file, in byte order.
paths() { awk '{print $2}' "$1" | LC_ALL=C sort; }

commits=$(git -C "$OUT" rev-list --count HEAD)
files=$(git -C "$OUT" ls-files cases | wc -l)

# 1. Cold: Hugo, then casebook, on the same files.
# discard DIR: move DIR out of the way and delete it in the background
# after the runs (at exit), so that deleting a quarter of a gigabyte does
# not land in the next measured run.
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/casebook-bench-trash.XXXXXX")
discard() {
	local d
	for d in "$@"; do
		[[ -e $d ]] && mv "$d" "$TRASH/$(date +%s%N)"
	done
	return 0
}
hugo_cold() { discard "$HUGO_SITE/public" "$HUGO_SITE/resources" "$HUGO_SITE/.hugo_build.lock"; }
PREP=hugo_cold measure "$HUGO_SITE" "hugo cold ($files files)" "$HUGO" --quiet --minify=false
hugo_wall=$WALL hugo_cpu=$CPU
hugo_pages=$(find "$HUGO_SITE/public" -name index.html | wc -l)

casebook_cold() {
	discard "$SITE"
	if [[ ${COLD_CACHES:-} == 1 ]]; then rm -rf "$OUT/.git/casebook"; fi
}
casebook_cold # for the label
PREP=casebook_cold measure "$OUT" "casebook build cold ($(caches "$OUT"))" "$CB" build --now "$NOW" --out "$SITE"
cb_wall=$WALL cb_cpu=$CPU
site_files=$(find "$SITE" -type f | wc -l)

# 2. One more commit, then the same build again into the same folder.
sums "$SITE" >"$TMP/before"
add_commit "$OUT"
touch "$TMP/marker"
sleep 0.1 # file times are coarse: keep the marker strictly older than any write
measure "$OUT" "casebook build after +1 commit" "$CB" build --now "$NOW" --out "$SITE"
warm_wall=$WALL
rewritten=$(find "$SITE" -type f -newer "$TMP/marker" | wc -l)
sums "$SITE" >"$TMP/after"
files_after=$(wc -l <"$TMP/after")
changed=$(LC_ALL=C comm -13 "$TMP/before" "$TMP/after" | wc -l)
removed=$(LC_ALL=C comm -23 <(paths "$TMP/before") <(paths "$TMP/after") | wc -l)
added=$(LC_ALL=C comm -13 <(paths "$TMP/before") <(paths "$TMP/after") | wc -l)
changed_list=$(LC_ALL=C comm -13 "$TMP/before" "$TMP/after" | awk 'NR <= 8 {printf "%s ", $2}')
if [[ ${NOCACHE_CHECK:-1} == 1 ]]; then same_site "$OUT" "$SITE" "$files cases, after +1 commit"; fi
git -C "$OUT" reset -q --hard "$base"

# 3. 100,000 cases: Hugo, a cold build (peak memory), a rebuild after one
# more commit.
if [[ ${SKIP100K:-} != 1 ]]; then
	files100k=$(git -C "$OUT100K" ls-files cases | wc -l)
	hugo_site "$HUGO_SITE100K" "$OUT100K"
	discard "$HUGO_SITE100K/public" "$HUGO_SITE100K/resources" "$HUGO_SITE100K/.hugo_build.lock"
	measure "$HUGO_SITE100K" "hugo cold ($files100k files)" "$HUGO" --quiet --minify=false
	hugo100k_wall=$WALL
	discard "$SITE100K"
	if [[ ${COLD_CACHES:-} == 1 ]]; then rm -rf "$OUT100K/.git/casebook"; fi
	measure "$OUT100K" "casebook build cold, $files100k cases ($(caches "$OUT100K"))" "$CB" build --now "$NOW" --out "$SITE100K"
	rss100k=$RSS cb100k_wall=$WALL
	add_commit "$OUT100K"
	measure "$OUT100K" "casebook build after +1 commit, $files100k cases" "$CB" build --now "$NOW" --out "$SITE100K"
	warm100k_wall=$WALL
	((RSS > rss100k)) && rss100k=$RSS
	if [[ ${NOCACHE_CHECK:-1} == 1 ]]; then same_site "$OUT100K" "$SITE100K" "$files100k cases, after +1 commit"; fi
	git -C "$OUT100K" reset -q --hard "$base100k"
fi

verdict() { if awk "BEGIN {exit !($1)}"; then echo ok; else echo MISSED; fi; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "inf"}'; }
ratio=$(div "$cb_wall" "$hugo_wall")
echo "fixture: $OUT, $files cases, $commits commits; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); $("$HUGO" version | cut -d' ' -f1-2)"
printf '%-50s %10s %10s %12s\n' "what" "wall" "cpu" "peak RSS"
printf '%s\n' "${ROWS[@]}"
echo
echo "hugo wrote $hugo_pages pages; casebook wrote $site_files files into $SITE"
echo "after +1 commit: $rewritten of $files_after files rewritten; $((changed - added)) with new content, $added added, $removed removed: $changed_list..."
echo
echo "targets:"
target() { printf '  %-58s %s\n' "$1" "$(verdict "$2")"; }
target "cold build / hugo = $ratio (<= 1.0; cpu time: $(div "$cb_cpu" "$hugo_cpu"))" "$cb_wall <= $hugo_wall"
target "rebuild after +1 commit $warm_wall s (< 2 s)" "$warm_wall < 2"
target "rebuild rewrites only changed files: $rewritten for $((changed + removed))" "$rewritten <= $changed"
if [[ ${SKIP100K:-} != 1 ]]; then
	target "cold build / hugo at $files100k cases = $(div "$cb100k_wall" "$hugo100k_wall") (<= 1.5)" "$cb100k_wall <= 1.5 * $hugo100k_wall"
	target "rebuild after +1 commit at $files100k cases $warm100k_wall s (< 5 s)" "$warm100k_wall < 5"
	target "peak RSS at $files100k cases $rss100k MiB (< 1024)" "$rss100k < 1024"
fi
if ((${#NOCACHE[@]} > 0)); then
	echo
	printf '%s\n' "${NOCACHE[@]}"
fi
