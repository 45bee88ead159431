#!/usr/bin/env bash
# scripts/corpus.sh: lint and fix (--unsafe, in process, on nothing but
# copies in memory) every Dockerfile of the real-world corpus, print the
# findings and the fixes per rule and a summary line, and fail on a crash,
# a false rejection, fixes that do not converge or do not parse, or a
# casing fix that changes a word that is not an instruction keyword.
#
#   scripts/corpus.sh [--shellcheck] [--out DIR] [--only TEXT]
#
#   --shellcheck  also run ShellCheck on the RUN scripts (much slower)
#   --out DIR     write each fixed Dockerfile, what changed and the files
#                 the fixes create under DIR, for review
#   --only TEXT   check only the files whose folder/path contains TEXT
#
# The corpus is found through STRATA_CORPUS, else at shared/corpus beside
# the repository or one of its parents (../shared/corpus from the root).
# It is never copied into the repository. The work is the test
# TestCorpus of internal/fix/corpus, which `go test ./...` runs too.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."

args=()
while (($# > 0)); do
	case $1 in
	--shellcheck) args+=(-corpus.shellcheck) ;;
	--out)
		(($# >= 2)) || { echo "corpus.sh: --out needs a directory" >&2; exit 2; }
		args+=("-corpus.out=$(realpath -m "$2")")
		shift
		;;
	--only)
		(($# >= 2)) || { echo "corpus.sh: --only needs a text" >&2; exit 2; }
		args+=("-corpus.only=$2")
		shift
		;;
	-h | --help)
		sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "corpus.sh: unknown argument $1 (see --help)" >&2
		exit 2
		;;
	esac
	shift
done

set +e
out=$(go test -count=1 -run '^TestCorpus$' -v ./internal/fix/corpus/ -args "${args[@]}" 2>&1)
rc=$?
set -e
# Drop go test's framing; keep the test's own lines without their
# file:line prefix.
printf '%s\n' "$out" | sed -E -e '/^(=== RUN|=== PAUSE|=== CONT|PASS$|FAIL$|ok  |FAIL\s)/d' \
	-e 's/^ {4}corpus_test\.go:[0-9]+: ?//' -e 's/^ {8}//' -e 's/^--- (PASS|FAIL|SKIP): TestCorpus.*$/&/'
exit $rc
