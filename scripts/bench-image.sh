#!/usr/bin/env bash
# scripts/bench-image.sh: the speed and memory benchmark of `strata image`.
#
#   scripts/bench-image.sh [-n RUNS] [-k] [-s SCALE]
#
# It generates an image as a docker save archive (10 layers, about 1.8 GB,
# 60,000 files, a layer that deletes 10,000 files one by one and a directory
# of 5,000 more, a layer that copies 100 MB up with chmod), then in the same
# run measures, alternating, RUNS times each (median reported):
#   (a) the floor: a plain Go read of every layer's tar stream in parallel,
#       every byte of every entry (imagebench floor);
#   (b) strata image --format json on the archive, under /usr/bin/time for
#       the peak RSS.
# It also measures the same image without the deletions, so what the
# whiteout layer costs shows as a difference, and prints the per-layer
# apply times strata reports. Then strata diff: a second image, the first
# rebuilt with a change (variant B: 8 of its 10 layers the same), diffed
#   (c) the floor of reading both archives at once (imagebench floor A B);
#   (d) strata diff --format json A B.
# Both floors are measured again hashing every layer's bytes with SHA-256
# (imagebench floor -sha256): what checking the layers against their
# digests costs by itself on this machine, which strata must also pay.
# Then the page: strata image --html of the image, loaded in headless
# Chromium (the time to load it less the time to load an empty page).
# Then a layer of a million entries (the same 16 bytes each, so one
# duplicate group of a million paths): strata image in JSON and text, its
# peak RSS, and the longest line of the text report.
# Finally BenchmarkWhiteouts (time per whiteout as the number of whiteouts
# and the tree grow) and the explorer's BenchmarkKeystroke (a keystroke
# and the redraw after it on the 60,000-file image).
#
# Targets: (b) within 2.5x of (a) in wall time; peak RSS under 64 MiB; the
# layer deleting 10,000 files adds less than a second; (d) within 2x of
# (c); the page renders in under 2 s; a keystroke under 16 ms; the million
# entries in under 200 MiB, no line of the report longer than 1,000 bytes.
#
#   -n RUNS   measurements of each (default 3)
#   -k        keep the generated archives (in $STRATA_BENCH_DIR)
#   -s SCALE  scale file counts and sizes (default 1; 0.1 for a quick look)
#
# STRATA_BENCH_DIR (default: a new temporary directory) holds the archives.
# The exit status is 0 when every target is met, 1 otherwise.
set -euo pipefail

runs=3
keep=0
scale=1
while getopts "n:ks:" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	k) keep=1 ;;
	s) scale=$OPTARG ;;
	*)
		sed -n '2,30p' "$0" >&2
		exit 2
		;;
	esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."

[[ -x /usr/bin/time ]] || {
	echo "bench-image: /usr/bin/time (GNU time) is needed for the peak RSS: apt-get install time" >&2
	exit 2
}

work=${STRATA_BENCH_DIR:-$(mktemp -d -t strata-bench.XXXXXX)}
mkdir -p "$work"
cleanup() {
	if ((keep == 0)); then
		rm -f "$work/image.tar" "$work/nowhiteouts.tar" "$work/rebuilt.tar" "$work/page.html" "$work/million.tar"
	fi
}
trap cleanup EXIT

log() { printf '[bench] %s\n' "$*" >&2; }

log "building strata and imagebench"
go build -o "$work/strata" ./cmd/strata
go build -o "$work/imagebench" ./internal/image/imagebench

if [[ ! -s $work/image.tar || ! -s $work/nowhiteouts.tar || ! -s $work/rebuilt.tar ]]; then
	log "generating the images in $work"
	"$work/imagebench" gen -o "$work/image.tar" -scale "$scale" -whiteouts 10000
	"$work/imagebench" gen -o "$work/nowhiteouts.tar" -scale "$scale" -whiteouts 0
	"$work/imagebench" gen -o "$work/rebuilt.tar" -scale "$scale" -whiteouts 10000 -variant b
fi
entries=$(printf '%.0f' "$(echo "1000000 * $scale" | bc -l)")
if [[ ! -s $work/million.tar ]]; then
	"$work/imagebench" gen -o "$work/million.tar" -entries "$entries"
fi
# Every reader starts from the page cache.
cat "$work/image.tar" "$work/nowhiteouts.tar" "$work/rebuilt.tar" >/dev/null

now() { date +%s.%N; }

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# strata_run ARCHIVE OUTPUT: prints "seconds rss_kib"
strata_run() {
	local t0 t1 rss
	t0=$(now)
	/usr/bin/time -f '%M' -o "$work/time.txt" "$work/strata" image --format json --no-progress "$1" >"$2"
	t1=$(now)
	rss=$(tail -n 1 "$work/time.txt")
	echo "$(echo "$t1 - $t0" | bc -l) $rss"
}

floor_run() {
	local t0 t1
	t0=$(now)
	"$work/imagebench" floor "$@" >"$work/floor.txt"
	t1=$(now)
	echo "$t1 - $t0" | bc -l
}

diff_run() {
	local t0 t1
	t0=$(now)
	"$work/strata" diff --format json --no-progress "$1" "$2" >"$work/diff.json"
	t1=$(now)
	echo "$t1 - $t0" | bc -l
}

: >"$work/floor.times"
: >"$work/strata.times"
: >"$work/strata.rss"
: >"$work/nowh.times"
: >"$work/floor2.times"
: >"$work/diff.times"
: >"$work/vfloor.times"
: >"$work/vfloor2.times"
for ((i = 1; i <= runs; i++)); do
	f=$(floor_run "$work/image.tar")
	read -r s rss < <(strata_run "$work/image.tar" "$work/out.json")
	read -r n _ < <(strata_run "$work/nowhiteouts.tar" "$work/out-nowh.json")
	echo "$f" >>"$work/floor.times"
	echo "$s" >>"$work/strata.times"
	echo "$rss" >>"$work/strata.rss"
	echo "$n" >>"$work/nowh.times"
	log "run $i: floor ${f}s, strata ${s}s (peak RSS ${rss} KiB), strata without the deletions ${n}s"
	f2=$(floor_run "$work/image.tar" "$work/rebuilt.tar")
	d=$(diff_run "$work/image.tar" "$work/rebuilt.tar")
	echo "$f2" >>"$work/floor2.times"
	echo "$d" >>"$work/diff.times"
	log "run $i: floor of both ${f2}s, strata diff ${d}s"
	vf=$(floor_run -sha256 "$work/image.tar")
	vf2=$(floor_run -sha256 "$work/image.tar" "$work/rebuilt.tar")
	echo "$vf" >>"$work/vfloor.times"
	echo "$vf2" >>"$work/vfloor2.times"
	log "run $i: floors with SHA-256 of every layer: ${vf}s, of both ${vf2}s"
done

floor_s=$(median <"$work/floor.times")
strata_s=$(median <"$work/strata.times")
nowh_s=$(median <"$work/nowh.times")
rss_max=$(sort -g "$work/strata.rss" | tail -n 1)
ratio=$(echo "$strata_s / $floor_s" | bc -l)
floor2_s=$(median <"$work/floor2.times")
diff_s=$(median <"$work/diff.times")
diff_ratio=$(echo "$diff_s / $floor2_s" | bc -l)
vfloor_s=$(median <"$work/vfloor.times")
vfloor2_s=$(median <"$work/vfloor2.times")
added=$(echo "$strata_s - $nowh_s" | bc -l)

summary=$(python3 - "$work/out.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t, w = d["totals"], d["waste"]
print(f"image: {t['layers']} layers, {t['size']/1e9:.2f} GB uncompressed, {t['files']} files visible, "
      f"stored {t['stored_bytes']/1e9:.2f} GB, efficiency {t['efficiency']:.3f}")
print(f"waste: deleted {w['deleted_bytes']/1e6:.0f} MB, overwritten {w['overwritten_bytes']/1e6:.0f} MB "
      f"(copy-up {w['copy_up_bytes']/1e6:.0f} MB), duplicate {w['duplicate_bytes']/1e6:.0f} MB")
wl = max(d["layers"], key=lambda l: l["whiteouts"])
tl = d["timing"]["layers"][wl["index"] - 1]
print(f"whiteout layer {wl['index']}: {wl['whiteouts']} whiteouts, read {tl['read_ms']:.0f} ms, applied in {tl['apply_ms']:.1f} ms")
EOF
)
echo
echo "== strata image benchmark ($(nproc) CPUs, median of $runs) =="
echo "$summary"
printf 'floor (plain parallel tar read):  %6.3f s\n' "$floor_s"
printf 'strata image --format json:       %6.3f s   ratio %.2fx (target <= 2.5x)\n' "$strata_s" "$ratio"
printf 'peak RSS:                         %6.1f MiB (target < 64 MiB)\n' "$(echo "$rss_max / 1024" | bc -l)"
printf 'same image without the deletions: %6.3f s   the whiteout layer adds %.3f s (target < 1 s)\n' "$nowh_s" "$added"
echo "diff: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["summary"]["text"][:150], "|", d["reused_layers"], "layer blobs read once")' "$work/diff.json")"
printf 'floor of reading both images:     %6.3f s\n' "$floor2_s"
printf 'strata diff --format json:        %6.3f s   ratio %.2fx (target <= 2x)\n' "$diff_s" "$diff_ratio"
# What checking every layer against its digest costs by itself here: the
# floors again, hashing every byte with SHA-256 (strata verifies each
# layer once; the diff reads a layer both images share once).
printf 'floor with SHA-256 of every layer: %6.3f s   (%.2fx the floor); strata image %.2fx of it\n' "$vfloor_s" "$(echo "$vfloor_s / $floor_s" | bc -l)" "$(echo "$strata_s / $vfloor_s" | bc -l)"
printf 'the same, reading both images:     %6.3f s   (%.2fx the floor); strata diff %.2fx of it\n' "$vfloor2_s" "$(echo "$vfloor2_s / $floor2_s" | bc -l)" "$(echo "$diff_s / $vfloor2_s" | bc -l)"

ok=1
(($(echo "$ratio <= 2.5" | bc -l))) || ok=0
(($(echo "$diff_ratio <= 2" | bc -l))) || ok=0

# The page: Chromium's time to load it, less its time to load an empty
# page, median of RUNS.
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -n $browser ]]; then
	"$work/strata" image --format json --no-progress --html "$work/page.html" "$work/image.tar" >/dev/null
	echo '<!DOCTYPE html><title>empty</title><p>empty' >"$work/empty.html"
	load() {
		local t0 t1
		t0=$(now)
		"$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
			--user-data-dir="$work/chromium" --window-size=1200,1600 --dump-dom "file://$1" >"$work/dom.html" 2>/dev/null
		t1=$(now)
		echo "$t1 - $t0" | bc -l
	}
	: >"$work/page.times"
	for ((i = 1; i <= runs; i++)); do
		e=$(load "$work/empty.html")
		p=$(load "$work/page.html")
		echo "$p - $e" | bc -l >>"$work/page.times"
	done
	page_s=$(median <"$work/page.times")
	script_ms=$(grep -o 'data-render-ms="[0-9.]*"' "$work/dom.html" | grep -o '[0-9.]*' || echo '?')
	rects=$(grep -o 'data-rects="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*' || echo '?')
	printf 'HTML page (%s MB, %s rectangles): %6.3f s in Chromium beyond an empty page, its script %s ms (target < 2 s)\n' \
		"$(echo "$(stat -c %s "$work/page.html") / 1000000" | bc -l | cut -c1-4)" "$rects" "$page_s" "$script_ms"
	(($(echo "$page_s < 2" | bc -l))) || ok=0
else
	echo "HTML page: chromium is not installed; not measured"
fi

echo
echo "== a layer of $entries entries (one duplicate group of them all) =="
cat "$work/million.tar" >/dev/null
for format in json text; do
	t0=$(now)
	/usr/bin/time -f '%M' -o "$work/time.txt" "$work/strata" image --format "$format" --no-progress "$work/million.tar" >"$work/million.$format"
	t1=$(now)
	rss=$(tail -n 1 "$work/time.txt")
	longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$work/million.$format")
	printf 'strata image --format %-4s %6.3f s   peak RSS %6.1f MiB (target < 200 MiB)   report %s bytes, longest line %s\n' \
		"$format" "$(echo "$t1 - $t0" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$(stat -c %s "$work/million.$format")" "$longest"
	((rss < 204800)) || ok=0
	((longest <= 1000)) || ok=0
done
grep -m1 'copies of' "$work/million.text" | cut -c1-200

echo
echo "== explorer: a keystroke and its redraw (go test -bench BenchmarkKeystroke, target < 16 ms) =="
go test -run '^$' -bench 'BenchmarkKeystroke' -benchtime 50x ./internal/explore/ | tee "$work/keys.txt" | grep -E 'Benchmark|ok'
worst=$(grep -o '[0-9.]* ms/key' "$work/keys.txt" | sort -g | tail -n 1 | cut -d' ' -f1)
(($(echo "${worst:-99} < 16" | bc -l))) || ok=0
((rss_max < 65536)) || ok=0
(($(echo "$added < 1" | bc -l))) || ok=0

echo
echo "== time per whiteout (go test -bench BenchmarkWhiteouts) =="
go test -run '^$' -bench 'BenchmarkWhiteouts' -benchtime 5x ./internal/image/ | grep -E 'Benchmark|ok'

if ((ok)); then
	echo "targets: met"
else
	echo "targets: MISSED"
	exit 1
fi
