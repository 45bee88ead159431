#!/usr/bin/env bash
# scripts/bench-lint.sh: the speed and memory benchmark of lint.
#
#   scripts/bench-lint.sh [-n RUNS] [-b STRATA_BINARY] [-c OTHER_STRATA_BINARY]
#
# It builds strata-lint (the lint binary, whose figures are judged) and
# strata (measured alongside: the same lint in the binary with every
# command), unless -b names the binary to judge.
#
# Over the real-world corpus (STRATA_CORPUS, default ../shared/corpus from
# the repository: its SOURCES.tsv lists the Dockerfiles) it measures in the
# same run, alternating, RUNS times each, and reports the medians:
#   (a) strata lint of every corpus file in one process, shellcheck on PATH,
#       cold (an empty cache folder: every script goes to shellcheck, and
#       its findings are written to the cache) and warm (the cache the cold
#       run filled: the next lint of the same files);
#   (b) the same without shellcheck on PATH (SD002 then only notes it);
#   (c) dockerfilelint (the npm package, installed into a temporary folder)
#       on the same files, in one process;
#   (d) the peak RSS of (b) and of (a) (GNU time);
#   (e) strata lint of one typical file (examples/flask/Dockerfile), without
#       shellcheck, and with it cold and warm, 20 times per run;
#   (f) ShellCheck's floor: the distinct scripts strata gives shellcheck
#       (captured once), checked by shellcheck alone with strata's options,
#       in as many processes as there are CPUs, each with an equal share.
# It prints each figure with its wall and CPU times (GNU time's, which
# count the shellcheck processes) and the ratios. With -c it measures
# another strata binary (an older build) alongside, in the same runs.
#
# Targets: (a) warm <= 3x (b); (b) <= 0.7x (c); peak RSS of (b) <= 50 MiB;
# (e) <= 10 ms without shellcheck and <= 15 ms with it, warm. The cold
# figures are printed against (f), which bounds them from below.
#
#   -n RUNS          measurements of each (default 5)
#   -b BINARY        judge this binary (strata or strata-lint) instead of building them
#   -c BINARY        also measure this strata binary, for a before/after
#
# DOCKERFILELINT names an installed dockerfilelint to use instead of
# installing it. The machine should be otherwise idle: the figures are wall
# times. The exit status is 0 when every target is met, 1 otherwise.
set -euo pipefail

runs=5
bin=
other=
while getopts "n:b:c:" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	b) bin=$OPTARG ;;
	c) other=$OPTARG ;;
	*)
		sed -n '2,37p' "$0" >&2
		exit 2
		;;
	esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."
root=$(pwd)

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 2
}
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed for the peak RSS: apt-get install time"
command -v python3 >/dev/null || die "python3 is needed"
command -v shellcheck >/dev/null || die "shellcheck is needed on PATH: apt-get install shellcheck"

corpus=${STRATA_CORPUS:-$root/../shared/corpus}
[[ -s $corpus/SOURCES.tsv ]] || die "no corpus at $corpus (set STRATA_CORPUS to a folder with SOURCES.tsv)"

work=$(mktemp -d -t strata-bench-lint.XXXXXX)
trap 'rm -rf "$work"' EXIT

full=
if [[ -z $bin ]]; then
	log "building strata-lint and strata"
	go build -o "$work/strata-lint" ./cmd/strata-lint
	go build -o "$work/strata" ./cmd/strata
	bin=$work/strata-lint
	full=$work/strata
fi
bins=("$(abs "$bin")")
if [[ -n $full ]]; then
	bins+=("$full")
fi
if [[ -n $other ]]; then
	bins+=("$(abs "$other")")
fi

dfl=${DOCKERFILELINT:-}
if [[ -z $dfl ]]; then
	command -v npm >/dev/null || die "npm is needed to install dockerfilelint"
	log "installing dockerfilelint into $work/npm"
	npm install --prefix "$work/npm" --no-audit --no-fund --loglevel=error dockerfilelint@1 >/dev/null
	dfl=$work/npm/node_modules/.bin/dockerfilelint
fi

# The corpus files: SOURCES.tsv gives repository (owner/name, a folder
# owner__name) and path.
awk -F'\t' -v c="$corpus" 'NR > 1 { r = $1; gsub("/", "__", r); print c "/" r "/" $3 }' "$corpus/SOURCES.tsv" >"$work/files.txt"
while read -r f; do [[ -f $f ]] || die "corpus file missing: $f"; done <"$work/files.txt"

# A PATH without shellcheck, for the runs without it, and one whose
# shellcheck keeps a copy of every script it is given (for the floor).
mkdir -p "$work/nosc" "$work/capture/bin" "$work/capture/scripts"
cat >"$work/capture/bin/shellcheck" <<SH
#!/bin/sh
for a; do case \$a in *.sh) cp "\$a" "$work/capture/scripts/\$(date +%s%N)-\$\$-\$(basename "\$a")" ;; esac; done
exec $(command -v shellcheck) "\$@"
SH
chmod +x "$work/capture/bin/shellcheck"

cat >"$work/bench.py" <<'PY'
import json, os, statistics, subprocess, sys, time

files_txt, flask, runs, nosc, work, dfl = sys.argv[1:7]
bins = sys.argv[7:]  # the binary measured, then the one compared with
runs = int(runs)
files = open(files_txt).read().split()
env_sc = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache-0"))  # see cold()
env_nosc = dict(env_sc, PATH=nosc)
ncpu = os.cpu_count()


colds = [0]


def cold():
    """Points the runs at a new, empty cache folder: the next run with
    shellcheck is cold. (Not the same folder emptied: on ext4, creating
    files where thousands were just deleted costs the kernel several
    times more, which no user's first run pays.)"""
    colds[0] += 1
    env_sc["XDG_CACHE_HOME"] = os.path.join(work, f"cache-{colds[0]}")


def timed(argv, env):
    """Runs argv under GNU time, its output to a file (node cuts output
    to a pipe short at exit); returns wall s, CPU s, peak RSS KiB."""
    t = os.path.join(work, "time.txt")
    with open(os.path.join(work, "out.txt"), "w") as o:
        t0 = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", t] + argv, env=env,
                       stdout=o, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
    u, s, m = open(t).read().split()[-3:]
    return wall, float(u) + float(s), int(m)


def wall(argv, env):
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def lint(b):
    return [b, "lint", "--no-fail", "--format", "json"]


# A check that each tool reads every file.
for name, argv, env in [("dockerfilelint", [dfl, "-o", "json"], env_sc)] + [(b, lint(b), env_nosc) for b in bins]:
    timed(argv + files, env)
    n = len(json.load(open(os.path.join(work, "out.txt")))["files"])
    if n != len(files):
        sys.exit(f"{name} reported {n} files of {len(files)}")

# The scripts strata gives shellcheck, for the floor: shellcheck alone on
# them, in ncpu processes with equal shares by size, with strata's options.
cold()
subprocess.run(lint(bins[0]) + files, env=dict(env_sc, PATH=os.path.join(work, "capture", "bin") + ":" + os.environ["PATH"]),
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
sdir = os.path.join(work, "capture", "scripts")
scripts = sorted((os.path.join(sdir, f) for f in os.listdir(sdir)), key=os.path.getsize, reverse=True)
texts = {}
for f in scripts:
    texts.setdefault(open(f, "rb").read(), f)  # distinct texts
shares = [[] for _ in range(ncpu)]
sizes = [0] * ncpu
for f in sorted(texts.values(), key=os.path.getsize, reverse=True):
    i = sizes.index(min(sizes))
    shares[i].append(f)
    sizes[i] += os.path.getsize(f)
sc_args = ["shellcheck", "--norc", "--format=json1", "--severity=style", "--exclude=SC1090,SC1091,SC2187"]


def floor():
    t0 = time.perf_counter()
    ps = [subprocess.Popen(sc_args + sh, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for sh in shares if sh]
    for p in ps:
        p.wait()
    return time.perf_counter() - t0


res = {(b, k): [] for b in bins for k in ("sc", "warm", "nosc", "one-sc", "one-warm", "one-nosc")}
res["dfl"], res["floor"] = [], []
for i in range(runs):
    for b in bins:
        res[(b, "nosc")].append(timed(lint(b) + files, env_nosc))
    res["dfl"].append(timed([dfl, "-o", "json"] + files, env_sc))
    for b in bins:
        cold()
        res[(b, "sc")].append(timed(lint(b) + files, env_sc))
        res[(b, "warm")].append(timed(lint(b) + files, env_sc))
    res["floor"].append((floor(), 0, 0))
    for _ in range(20):
        for b in bins:
            res[(b, "one-nosc")].append(wall([b, "lint", "--no-fail", flask], env_nosc))
            cold()
            res[(b, "one-sc")].append(wall([b, "lint", "--no-fail", flask], env_sc))
            res[(b, "one-warm")].append(wall([b, "lint", "--no-fail", flask], env_sc))
    b = bins[0]
    print(f"[bench] run {i+1}: with shellcheck cold {res[(b, 'sc')][-1][0]:.2f} s, warm {res[(b, 'warm')][-1][0]:.3f} s, "
          f"without {res[(b, 'nosc')][-1][0]:.3f} s, dockerfilelint {res['dfl'][-1][0]:.3f} s, "
          f"shellcheck alone {res['floor'][-1][0]:.2f} s", file=sys.stderr)


def med(rs, j):
    return statistics.median(r[j] for r in rs)


d, fl = med(res["dfl"], 0), med(res["floor"], 0)
print(f"\n== lint benchmark: {len(files)} corpus files, {ncpu} CPUs, median of {runs} "
      f"(load average at the end {os.getloadavg()[0]:.1f}) ==")
print(f"dockerfilelint:                      {d:7.3f} s wall  {med(res['dfl'], 1):6.3f} s CPU  "
      f"peak RSS {max(r[2] for r in res['dfl'])/1024:5.1f} MiB")
print(f"shellcheck alone (the floor):        {fl:7.3f} s wall  on the {len(texts)} distinct scripts strata gives it "
      f"({sum(sizes)/1024:.0f} KiB), {ncpu} processes")
ok = True
for n, b in enumerate(bins):
    sc, warm, nosc = med(res[(b, "sc")], 0), med(res[(b, "warm")], 0), med(res[(b, "nosc")], 0)
    sc_cpu, warm_cpu, nosc_cpu = med(res[(b, "sc")], 1), med(res[(b, "warm")], 1), med(res[(b, "nosc")], 1)
    rss_nosc = max(r[2] for r in res[(b, "nosc")]) / 1024
    rss_sc = max(r[2] for r in res[(b, "sc")]) / 1024
    one_nosc, one_sc, one_warm = res[(b, "one-nosc")], res[(b, "one-sc")], res[(b, "one-warm")]
    m_nosc, m_sc, m_warm = (statistics.median(x) * 1000 for x in (one_nosc, one_sc, one_warm))
    r_cold, r_warm, r2 = sc / nosc, warm / nosc, nosc / d
    print(f"-- {'judged' if n == 0 else 'also measured'}: {b}")
    print(f"lint, shellcheck, cold cache:        {sc:7.3f} s wall  {sc_cpu:6.3f} s CPU  peak RSS {rss_sc:5.1f} MiB"
          f"  (shellcheck's share of the CPU: {sc_cpu - nosc_cpu:.2f} s)")
    print(f"lint, shellcheck, warm cache:        {warm:7.3f} s wall  {warm_cpu:6.3f} s CPU")
    print(f"lint, without shellcheck:            {nosc:7.3f} s wall  {nosc_cpu:6.3f} s CPU  peak RSS {rss_nosc:5.1f} MiB")
    print(f"with (warm) / without shellcheck:    {r_warm:6.2f}x   (target <= 3x)")
    print(f"with (cold) / without shellcheck:    {r_cold:6.2f}x   (not judged: shellcheck alone takes {fl/nosc:.2f}x "
          f"strata's run without it; cold / (shellcheck alone) = {sc/fl:.2f}x)")
    print(f"without shellcheck / dockerfilelint: {r2:6.2f}x   (target <= 0.7x)")
    print(f"peak RSS without shellcheck:         {rss_nosc:6.1f} MiB (target <= 50 MiB)")
    print(f"one file (examples/flask), median of {len(one_nosc)} (fastest): without shellcheck {m_nosc:5.1f} ms "
          f"({min(one_nosc)*1000:.1f}) (target <= 10), with it warm {m_warm:5.1f} ms ({min(one_warm)*1000:.1f}) "
          f"(target <= 15), cold {m_sc:5.1f} ms ({min(one_sc)*1000:.1f})")
    if n == 0:
        ok = r_warm <= 3 and r2 <= 0.7 and rss_nosc <= 50 and m_nosc <= 10 and m_warm <= 15
print("targets: met" if ok else "targets: MISSED")
sys.exit(0 if ok else 1)
PY

python3 "$work/bench.py" "$work/files.txt" "$root/examples/flask/Dockerfile" "$runs" "$work/nosc" "$work" "$dfl" "${bins[@]}"
