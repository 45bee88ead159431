#!/usr/bin/env bash
# scripts/bench-audit.sh: the speed benchmark of `strata audit`, against
# Debian's docker-registry (the test environment's, scripts/test-env.sh).
#
#   scripts/bench-audit.sh [-n RUNS] [-i IMAGES] [-j JOBS] [-q]
#
# It pushes IMAGES images (default 54) in 9 repositories on 3 base layer
# sets (Debian; Debian with a generated runtime layer; busybox with a
# generated tools layer), each with an application layer of its own (400
# files, about 3 MB) and, in every third, a clean-up layer, then measures in
# the same run, alternating, RUNS times each (median reported):
#   (a) the floor: every distinct layer of those images analysed once, as
#       a one-layer image (strata image's reading and checks), JOBS at once;
#   (b) strata audit --format json of the images with an empty layer cache;
#   (c) the same audit again, with the cache (b) filled.
# Targets: (b) <= 1.3x (a); (c) <= 10% of (b); (b) reads each distinct
# layer exactly once and (c) reads none. Wall-clock and processor times are
# both printed; (b)/(a) is judged on wall-clock time, or on processor time
# when the load average exceeds the CPUs (a machine shared with other work)
# or with -p.
#
# Then the same with application layers of 60 small files on the same
# bases, where nearly all of an image is its base: (b) is reported against
# (a) but not judged (each image's own analysis, which grows with the files
# the image shows, weighs more against reading its few bytes; see
# docs/scale.md); the other targets apply. -q leaves this second part out
# (CI runs it so).
#
# Inside a running test environment (STRATA_REGISTRY set) it uses that
# registry; otherwise it brings one up with scripts/test-env.sh run.
# The exit status is 0 when every target is met, 1 otherwise.
set -euo pipefail

runs=3
images=54
jobs=$(nproc)
quick=0
cpu=()
while getopts "n:i:j:qp" opt; do
	case $opt in
	p) cpu=(-cpu) ;;
	n) runs=$OPTARG ;;
	i) images=$OPTARG ;;
	j) jobs=$OPTARG ;;
	q) quick=1 ;;
	*)
		sed -n '2,32p' "$0" >&2
		exit 2
		;;
	esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."

work=$(mktemp -d -t strata-bench-audit.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "[bench] building strata and auditbench" >&2
go build -o "$work/strata" ./cmd/strata
go build -o "$work/auditbench" ./internal/audit/auditbench

# Both fixtures, in one test environment; the status is the first
# failure's.
cat >"$work/both.sh" <<'EOF'
set -u
status=0
echo "== strata audit benchmark: application layers of 400 files ($(nproc) CPUs, median of $RUNS) =="
"$@" -registry "$STRATA_REGISTRY" || status=$?
((QUICK)) && exit "$status"
echo
echo "== the same with application layers of 60 small files: (b)/(a) reported, not judged =="
"$@" -registry "$STRATA_REGISTRY" -app-files 60 -app-file-size 6000 -time-target=false || ((status != 0)) || status=1
exit "$status"
EOF
export RUNS=$runs QUICK=$quick
bench=("$work/auditbench" -strata "$work/strata" -images "$images" -runs "$runs" -jobs "$jobs" "${cpu[@]}")
if [[ -n ${STRATA_REGISTRY:-} ]]; then
	bash "$work/both.sh" "${bench[@]}"
else
	bash "$here/test-env.sh" run -- bash "$work/both.sh" "${bench[@]}"
fi
