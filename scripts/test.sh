#!/usr/bin/env bash
# scripts/test.sh: strata's test command. Checks formatting and go vet, brings
# up the test environment (scripts/test-env.sh: Docker Engine, registry, base
# images), runs go test with the race detector against it, and tears it down.
#
#   scripts/test.sh [GO TEST FLAGS...] [PACKAGES...]
#
# Packages default to ./... ; arguments starting with ./ ../ or the module
# path (or "." / "all") are taken as packages, everything else is passed to
# go test as flags. Examples:
#   scripts/test.sh
#   scripts/test.sh -run Integration ./internal/testenv/...
#
# STRATA_TEST_RACE=0 drops -race. The exit status is go test's (or the first
# failing check's).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."

command -v go >/dev/null || {
	echo "test.sh: go is not on PATH" >&2
	exit 1
}
module=$(go list -m)

flags=()
pkgs=()
for arg in "$@"; do
	case $arg in
	./* | ../* | . | all | "$module" | "$module"/*) pkgs+=("$arg") ;;
	*) flags+=("$arg") ;;
	esac
done
((${#pkgs[@]} > 0)) || pkgs=(./...)

race=(-race)
[[ ${STRATA_TEST_RACE:-1} == 0 ]] && race=()

step() { printf '\n--- %s\n' "$*" >&2; }

step "gofmt ${pkgs[*]}"
mapfile -t dirs < <(go list -e -f '{{.Dir}}' "${pkgs[@]}")
shopt -s nullglob
files=()
for dir in "${dirs[@]}"; do
	files+=("$dir"/*.go)
done
shopt -u nullglob
unformatted=()
if ((${#files[@]} > 0)); then
	mapfile -t unformatted < <(gofmt -l "${files[@]}")
fi
if ((${#unformatted[@]} > 0)); then
	printf 'gofmt would change:\n' >&2
	printf '  %s\n' "${unformatted[@]#"$PWD"/}" >&2
	exit 1
fi

step "go vet ${pkgs[*]}"
go vet "${pkgs[@]}"

# The real-build proof (internal/fix/e2e) compares the build times of the
# examples before and after the fix, one build at a time. Packages test in
# parallel, and another package's builds on the same two cores would land
# on one side of a comparison and not the other: with every package
# selected, the proof runs on its own after the rest.
alone=$module/internal/fix/e2e
if [[ ${pkgs[*]} == ./... ]]; then
	mapfile -t rest < <(go list ./... | grep -vx "$alone")
	step "go test ${race[*]} ./... but $alone, then $alone alone (test environment from scripts/test-env.sh)"
	exec bash "$here/test-env.sh" run -- bash -c '
		n=$1
		shift
		status=0
		go test "${@:2:n}" "${@:n+2}" || status=$?
		printf "\n--- go test %s alone\n" "$1" >&2
		go test "${@:2:n}" "$1" || { rc=$?; ((status != 0)) || status=$rc; }
		exit "$status"
	' bash "$((${#race[@]} + 2 + ${#flags[@]}))" "$alone" "${race[@]}" -count=1 -timeout=30m "${flags[@]}" "${rest[@]}"
fi
step "go test ${race[*]} ${pkgs[*]} (test environment from scripts/test-env.sh)"
exec bash "$here/test-env.sh" run -- \
	go test "${race[@]}" -count=1 -timeout=30m "${flags[@]}" "${pkgs[@]}"
