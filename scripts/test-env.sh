#!/usr/bin/env bash
# scripts/test-env.sh: the environment strata's tests run against: a private
# Docker Engine, a local registry, a standalone BuildKit daemon, and the base
# images the tests build on.
#
#   scripts/test-env.sh run -- CMD [ARG...]
#       Bring the environment up, run CMD with it exported, tear it down, and
#       exit with CMD's status. If an environment started with "up" is
#       running, CMD runs against it and it is left running.
#   scripts/test-env.sh up      Bring it up and leave it running; prints the
#                               exports (use: eval "$(scripts/test-env.sh up)").
#   scripts/test-env.sh env     Print the exports of the running environment.
#   scripts/test-env.sh down    Stop what "up" started.
#   scripts/test-env.sh install Install missing Debian packages only.
#
# Exported to CMD (and printed by up/env):
#   DOCKER_HOST        unix socket of the private dockerd
#   STRATA_REGISTRY    host:port of the registry (plain HTTP, on 127.0.0.1)
#   STRATA_DOCKER_CLI  the docker CLI that matches the daemon (Debian's)
#   STRATA_ENGINE_DRIVER  the storage driver dockerd runs with
#   STRATA_BUILDKIT_HOST  unix socket of the private buildkitd (runc worker,
#                      host networking, network.host allowed); it resolves
#                      docker.io images through the registry, which holds the
#                      base images as library/debian:bookworm and
#                      library/busybox:latest
#   STRATA_BUILDKIT_TCP   the same buildkitd on tcp://127.0.0.1:PORT with mutual
#                      TLS; STRATA_BUILDKIT_TLS_DIR holds ca.pem, and cert.pem
#                      and key.pem (a client certificate) for it
#   STRATA_BUILDCTL       the buildctl built with it
#
# Settings:
#   STRATA_CACHE          cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/strata):
#                         the debootstrap root tarball, dockerd's data root
#                         (so imported base images survive), and run state.
#   STRATA_DEBIAN_MIRROR  mirror for debootstrap (default: from apt's sources)
#   STRATA_ENV_TIMEOUT    seconds to wait for a daemon to answer (default 120)
#   STRATA_ENV_LOCK_WAIT  seconds to wait for another run using the same
#                         cache dir to finish (default 1800)
#   STRATA_STORAGE_DRIVER  dockerd's storage driver (default: overlay2 when the
#                         kernel mounts overlay on the cache dir's filesystem,
#                         checked by a probe mount, else vfs)
#   STRATA_ENV_MAX_DATA_MB  size of dockerd's (and buildkitd's) data root above
#                         which it is dropped rather than tidied (default 3072)
#   STRATA_TOOLS_CACHE    where buildkitd and buildctl are built, once per
#                         BuildKit version, for every cache dir (default
#                         ${XDG_CACHE_HOME:-$HOME/.cache}/strata-tools)
#
# buildkitd and buildctl are built with go install from the BuildKit module
# at the version go.mod requires (go install .../cmd/buildkitd@VERSION; as
# go install refuses VERSION when the module's go.mod has exclude directives,
# which v0.34 has, go install ./cmd/... in a copy of the module made by go mod
# download, its own main module, so that its go.mod applies whole), and run
# with Debian's runc, overlayfs snapshots
# (native when dockerd could not use overlay2) and host networking: the
# sandbox has no bridge.
#
# Only one environment runs per cache dir at a time (dockerd's data root can
# have one daemon); runs sharing a cache dir take turns through a lock.
set -euo pipefail

readonly SUITE=bookworm
readonly DEBIAN_IMAGE=debian:bookworm
readonly DEBIAN_SLIM_IMAGE=debian:bookworm-slim
readonly BUSYBOX_IMAGE=busybox:latest
# Debian packages the environment needs. Add a package here when an issue
# needs it (chromium for the HTML tests, git for applying fix diffs, tmux for
# the explorer's terminal test, neovim for the language server's editor test,
# pre-commit for the hooks' test, runc and openssl for the standalone
# buildkitd and its TLS certificates).
readonly PACKAGES=(docker.io docker-registry debootstrap busybox-static chromium shellcheck git tmux neovim pre-commit runc openssl)

CACHE_DIR=${STRATA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/strata}
RUN_DIR=$CACHE_DIR/run
DATA_ROOT=$CACHE_DIR/docker
LOCK_FILE=$CACHE_DIR/lock
DEBIAN_TAR=$CACHE_DIR/debian-$SUITE-minbase.tar
SOCK=$RUN_DIR/docker.sock
ENV_FILE=$RUN_DIR/env.sh
STATE_FILE=$RUN_DIR/mode
BK_ROOT=$CACHE_DIR/buildkit
BK_SOCK=$RUN_DIR/buildkitd.sock
BK_CERTS=$RUN_DIR/buildkit-certs
TOOLS_CACHE=${STRATA_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/strata-tools}
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BK_BIN=
BK_BUILD_PID=
BK_BUILD_START=0
BK_TCP=
TIMEOUT=${STRATA_ENV_TIMEOUT:-120}
LOCK_WAIT=${STRATA_ENV_LOCK_WAIT:-1800}
MAX_DATA_MB=${STRATA_ENV_MAX_DATA_MB:-3072}
STORAGE_DRIVER=${STRATA_STORAGE_DRIVER:-}
DOCKER_CLI=
# The pids this script started, kept here too so that they are stopped even
# if their pidfiles went missing (the cache dir was removed, say).
DOCKERD_PID=
REGISTRY_PID=
BUILDKITD_PID=

log() { printf '[test-env] %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

# timed NAME CMD...: run CMD and report how long it took.
timed() {
	local name=$1 t0 ms
	shift
	t0=$(now_ms)
	"$@"
	ms=$(($(now_ms) - t0))
	log "$(printf '%-22s %4d.%01ds' "$name" $((ms / 1000)) $((ms % 1000 / 100)))"
}

dk() { "$DOCKER_CLI" --host "unix://$SOCK" "$@"; }

pick_docker_cli() {
	# Debian's docker.io CLI matches its dockerd (and has BuildKit built in);
	# a newer CLI elsewhere on PATH may not.
	if [[ -x /usr/bin/docker ]]; then
		DOCKER_CLI=/usr/bin/docker
	else
		DOCKER_CLI=$(command -v docker || echo docker)
	fi
}

# --- packages ---------------------------------------------------------------

missing_packages() {
	local p
	for p in "${PACKAGES[@]}"; do
		if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) != "install ok installed" ]]; then
			printf '%s\n' "$p"
		fi
	done
}

install_packages() {
	local -a missing
	mapfile -t missing < <(missing_packages)
	if ((${#missing[@]} == 0)); then
		return 0
	fi
	if [[ $(id -u) != 0 ]]; then
		die "missing Debian packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}"
	fi
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -qq -o DPkg::Lock::Timeout=300 update
	apt-get -qq -y -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 install "${missing[@]}" >/dev/null
}

# --- processes --------------------------------------------------------------

# pid_is PIDFILE NAME: print the pid recorded in PIDFILE if that process is
# alive, is NAME, and was started with files in RUN_DIR: a recycled pid, or
# a daemon of another environment, is never taken for ours.
pid_is() {
	local pid comm cmdline
	[[ -s $1 ]] || return 1
	pid=$(<"$1")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
	[[ $comm == "$2"* ]] || return 1
	cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
	[[ $cmdline == *"$RUN_DIR/"* ]] || return 1
	echo "$pid"
}

# alive PID: the process exists and is not a zombie.
alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != Z ]]
}

# stop_pids PIDFILE:NAME...: stop the recorded processes by their pids, all
# at once: TERM, then KILL what is still there after 30s.
stop_pids() {
	local spec pid i any
	local -a pids=()
	for spec in "$@"; do
		if pid=$(pid_is "${spec%%:*}" "${spec#*:}"); then
			kill -TERM "$pid" 2>/dev/null || true
			pids+=("$pid")
		fi
	done
	for ((i = 0; i < 300 && ${#pids[@]} > 0; i++)); do
		any=false
		for pid in "${pids[@]}"; do
			alive "$pid" && any=true
		done
		$any || break
		sleep 0.1
	done
	for pid in "${pids[@]}"; do
		if alive "$pid"; then
			log "pid $pid did not stop in 30s; killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	for spec in "$@"; do
		rm -f "${spec%%:*}"
	done
}

# unmount_under DIR: lazily unmount anything a killed run left mounted there.
unmount_under() {
	local dir mnt
	dir=$(readlink -f "$1" 2>/dev/null) || return 0
	awk -v d="$dir/" 'index($2 "/", d) == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r mnt; do
			umount -l "$mnt" 2>/dev/null || true
		done
}

# --- dockerd ----------------------------------------------------------------

engine_answers() { dk version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

# overlay_works: the kernel mounts overlay with lower, upper and work dirs
# on the filesystem that holds the data root, and the merged view shows the
# lower dir's file. overlay2 keeps one copy of each layer's changes where
# vfs copies the whole filesystem for every layer and cache record.
overlay_works() {
	local d ok=1
	mkdir -p "$CACHE_DIR"
	d=$(mktemp -d "$CACHE_DIR/overlay-probe.XXXXXX") || return 1
	mkdir -p "$d/lower" "$d/upper" "$d/work" "$d/merged"
	echo probe >"$d/lower/file"
	if mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" "$d/merged" 2>/dev/null; then
		[[ $(cat "$d/merged/file" 2>/dev/null) == probe ]] && ok=0
		umount "$d/merged" 2>/dev/null || umount -l "$d/merged" 2>/dev/null || true
	fi
	rm -rf "$d"
	return "$ok"
}

# pick_storage_driver: STRATA_STORAGE_DRIVER, else overlay2 when the probe
# mount works, else vfs.
pick_storage_driver() {
	if [[ -n $STORAGE_DRIVER ]]; then
		log "storage driver $STORAGE_DRIVER (STRATA_STORAGE_DRIVER)"
	elif overlay_works; then
		STORAGE_DRIVER=overlay2
		log "storage driver overlay2 (probe mount of overlay worked)"
	else
		STORAGE_DRIVER=vfs
		log "storage driver vfs (the probe could not mount overlay on $CACHE_DIR)"
	fi
}

start_dockerd_once() {
	local pid i
	rm -f "$SOCK" "$RUN_DIR/dockerd.pid"
	mkdir -p "$DATA_ROOT" "$RUN_DIR/exec"
	echo '{}' >"$RUN_DIR/daemon.json"
	env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
		dockerd --config-file="$RUN_DIR/daemon.json" \
		--iptables=false --ip6tables=false --bridge=none --storage-driver="$STORAGE_DRIVER" \
		--data-root="$DATA_ROOT" --exec-root="$RUN_DIR/exec" \
		--pidfile="$RUN_DIR/dockerd.pid" --host="unix://$SOCK" \
		</dev/null >"$RUN_DIR/dockerd.log" 2>&1 9>&- &
	pid=$!
	DOCKERD_PID=$pid
	echo "$pid" >"$RUN_DIR/dockerd.launch.pid"
	for ((i = 0; i < TIMEOUT * 5; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null || true
			log "dockerd exited while starting"
			return 1
		fi
		if engine_answers; then
			return 0
		fi
		sleep 0.2
	done
	log "dockerd did not answer on $SOCK within ${TIMEOUT}s"
	return 1
}

dockerd_log_tail() {
	log "last lines of $RUN_DIR/dockerd.log:"
	tail -n 30 "$RUN_DIR/dockerd.log" >&2 || true
}

start_dockerd() {
	local had_data=false
	[[ -d $DATA_ROOT ]] && had_data=true
	if start_dockerd_once; then
		return 0
	fi
	dockerd_log_tail
	stop_dockerd
	if [[ $STORAGE_DRIVER == overlay2 && -z ${STRATA_STORAGE_DRIVER:-} ]]; then
		log "dockerd did not start with overlay2; falling back to vfs"
		STORAGE_DRIVER=vfs
		if start_dockerd_once; then
			return 0
		fi
		dockerd_log_tail
		stop_dockerd
	fi
	if $had_data; then
		log "retrying with a fresh data root (removing $DATA_ROOT)"
		unmount_under "$DATA_ROOT"
		rm -rf "$DATA_ROOT"
		if start_dockerd_once; then
			return 0
		fi
		dockerd_log_tail
		stop_dockerd
	fi
	die "dockerd could not start (full log: $RUN_DIR/dockerd.log)"
}

stop_dockerd() {
	stop_pids "$RUN_DIR/dockerd.pid:dockerd" "$RUN_DIR/dockerd.launch.pid:dockerd"
	stop_containerd
}

# The containerd that dockerd supervises is left behind if dockerd was killed.
stop_containerd() {
	stop_pids "$RUN_DIR/exec/containerd/containerd.pid:containerd"
	rm -f "$SOCK"
}

# --- registry ---------------------------------------------------------------

# http_head HOST PORT PATH: print the response headers of a GET.
http_head() {
	(
		exec 3<>"/dev/tcp/$1/$2"
		printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$3" "$1" "$2" >&3
		timeout 5 head -c 2048 <&3
	) 2>/dev/null
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

registry_answers() {
	http_head 127.0.0.1 "$1" /v2/ | grep -qi '^docker-distribution-api-version: *registry/2'
}

start_registry() {
	local port pid attempt i
	rm -rf "$RUN_DIR/registry"
	mkdir -p "$RUN_DIR/registry/data"
	for ((attempt = 0; attempt < 20; attempt++)); do
		port=$((20000 + RANDOM % 40000))
		port_in_use "$port" && continue
		cat >"$RUN_DIR/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $RUN_DIR/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
		env -i PATH="$PATH" docker-registry serve "$RUN_DIR/registry/config.yml" \
			</dev/null >"$RUN_DIR/registry.log" 2>&1 9>&- &
		pid=$!
		REGISTRY_PID=$pid
		echo "$pid" >"$RUN_DIR/registry.pid"
		for ((i = 0; i < TIMEOUT * 5; i++)); do
			if ! kill -0 "$pid" 2>/dev/null; then
				wait "$pid" 2>/dev/null || true
				break
			fi
			if registry_answers "$port"; then
				REGISTRY_ADDR=127.0.0.1:$port
				return 0
			fi
			sleep 0.2
		done
		if grep -q 'address already in use' "$RUN_DIR/registry.log"; then
			continue
		fi
		log "last lines of $RUN_DIR/registry.log:"
		tail -n 30 "$RUN_DIR/registry.log" >&2 || true
		stop_registry
		die "the registry did not start on 127.0.0.1:$port"
	done
	die "found no free port for the registry after 20 tries"
}

stop_registry() {
	stop_pids "$RUN_DIR/registry.pid:docker-regis"
}

restore_pidfile() { # PIDFILE PID
	if [[ -n $2 && ! -s $1 ]]; then
		mkdir -p "${1%/*}" && echo "$2" >"$1"
	fi
}

stop_daemons() {
	restore_pidfile "$RUN_DIR/registry.pid" "$REGISTRY_PID"
	restore_pidfile "$RUN_DIR/dockerd.launch.pid" "$DOCKERD_PID"
	restore_pidfile "$RUN_DIR/buildkitd.pid" "$BUILDKITD_PID"
	stop_pids "$RUN_DIR/registry.pid:docker-regis" "$RUN_DIR/buildkitd.pid:buildkitd" \
		"$RUN_DIR/dockerd.pid:dockerd" "$RUN_DIR/dockerd.launch.pid:dockerd"
	stop_containerd
	unmount_under "$BK_ROOT"
	rm -f "$BK_SOCK"
}

# --- buildkitd --------------------------------------------------------------

# buildkit_version: the BuildKit module version go.mod requires.
buildkit_version() {
	(cd "$REPO_ROOT" && go list -m -f '{{.Version}}' github.com/moby/buildkit)
}

# build_buildkit VERSION DIR: build buildkitd and buildctl of VERSION into DIR.
build_buildkit() {
	local version=$1 dir=$2 src tmp
	local ldflags="-X github.com/moby/buildkit/version.Version=$version"
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	if CGO_ENABLED=0 GOBIN="$dir.tmp" GOFLAGS='' go install -trimpath -ldflags "$ldflags" \
		"github.com/moby/buildkit/cmd/buildkitd@$version" "github.com/moby/buildkit/cmd/buildctl@$version" \
		>"$dir.log" 2>&1; then
		mv "$dir.tmp" "$dir"
		return 0
	fi
	# BuildKit's go.mod has exclude directives, which go install refuses
	# for PKG@VERSION: install from a copy of the module, as its own main
	# module, instead.
	log "go install refused the module ($(grep -m 1 -v '^go: downloading' "$dir.log")); building in a copy of it"
	src=$(cd "$REPO_ROOT" && go mod download -json "github.com/moby/buildkit@$version" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[[ -d $src ]] || die "go mod download found no source for github.com/moby/buildkit@$version"
	tmp=$(mktemp -d "$TOOLS_CACHE/buildkit-src.XXXXXX")
	cp -r "$src/." "$tmp/"
	chmod -R u+w "$tmp"
	if ! (cd "$tmp" && CGO_ENABLED=0 GOBIN="$dir.tmp" GOFLAGS=-mod=mod go install -trimpath -ldflags "$ldflags" \
		./cmd/buildkitd ./cmd/buildctl) >>"$dir.log" 2>&1; then
		tail -n 20 "$dir.log" >&2
		rm -rf "$tmp" "$dir.tmp"
		die "building buildkitd $version failed (log: $dir.log)"
	fi
	rm -rf "$tmp"
	mv "$dir.tmp" "$dir"
}

# ensure_buildkit: buildkitd and buildctl of the go.mod version, built once
# in TOOLS_CACHE (under a lock: every cache dir shares them).
ensure_buildkit() {
	local version dir
	command -v go >/dev/null || die "go is needed to build buildkitd; put Go on PATH"
	version=$(buildkit_version) || die "cannot read the BuildKit version from go.mod"
	dir=$TOOLS_CACHE/buildkit-$version
	BK_BIN=$dir
	[[ -x $dir/buildkitd && -x $dir/buildctl ]] && return 0
	mkdir -p "$TOOLS_CACHE"
	(
		exec 8>>"$TOOLS_CACHE/buildkit.lock"
		flock -w "$LOCK_WAIT" 8 || die "gave up waiting for $TOOLS_CACHE/buildkit.lock"
		if [[ ! -x $dir/buildkitd || ! -x $dir/buildctl ]]; then
			rm -rf "$dir"
			log "building buildkitd and buildctl $version (once; log: $dir.log)"
			build_buildkit "$version" "$dir"
		fi
	)
	[[ -x $dir/buildkitd ]] || die "buildkitd $version was not built (log: $dir.log)"
}

# start_buildkit_build: when the binaries are not built yet, build them in
# the background while the rest comes up: the build is CPU-bound, and
# debootstrap, the image imports and the daemons wait on the network and
# the disk. wait_buildkit_build waits for it.
start_buildkit_build() {
	local version
	command -v go >/dev/null || die "go is needed to build buildkitd; put Go on PATH"
	version=$(buildkit_version) || die "cannot read the BuildKit version from go.mod"
	BK_BIN=$TOOLS_CACHE/buildkit-$version
	[[ -x $BK_BIN/buildkitd && -x $BK_BIN/buildctl ]] && return 0
	log "building buildkitd and buildctl $version in the background (once)"
	ensure_buildkit </dev/null >"$RUN_DIR/buildkit-build.log" 2>&1 9>&- &
	BK_BUILD_PID=$!
	BK_BUILD_START=$(now_ms)
}

wait_buildkit_build() {
	local status=0 ms
	[[ -n $BK_BUILD_PID ]] || return 0
	wait "$BK_BUILD_PID" || status=$?
	BK_BUILD_PID=
	ms=$(($(now_ms) - BK_BUILD_START))
	cat "$RUN_DIR/buildkit-build.log" >&2
	((status == 0)) || die "building buildkitd failed (status $status)"
	log "$(printf 'buildkitd and buildctl built in %d.%01ds (alongside the rest)' $((ms / 1000)) $((ms % 1000 / 100)))"
}

# stop_buildkit_build stops a build that bring_up left running (it failed
# half-way).
stop_buildkit_build() {
	if [[ -n $BK_BUILD_PID ]] && kill -0 "$BK_BUILD_PID" 2>/dev/null; then
		kill -TERM "$BK_BUILD_PID" 2>/dev/null || true
		wait "$BK_BUILD_PID" 2>/dev/null || true
	fi
	BK_BUILD_PID=
}

bkctl() { "$BK_BIN/buildctl" --addr "unix://$BK_SOCK" "$@"; }

buildkitd_answers() { bkctl debug workers >/dev/null 2>&1; }

# push_base_images: the base images go into the registry, where buildkitd
# finds them as docker.io's (library/NAME, through its mirror setting). The
# registry's files after the push are kept in the cache dir and copied into
# the next run's fresh registry while the base images stay the same.
push_base_images() {
	local img stamp saved=$CACHE_DIR/registry-base
	stamp=$(dk image inspect -f '{{.Id}}' "$DEBIAN_IMAGE" "$BUSYBOX_IMAGE" | tr '\n' ' ')
	if [[ -d $saved && $(cat "$saved.stamp" 2>/dev/null) == "$stamp" ]]; then
		cp -r "$saved/." "$RUN_DIR/registry/data/"
		return 0
	fi
	for img in "$DEBIAN_IMAGE" "$BUSYBOX_IMAGE"; do
		dk tag "$img" "$REGISTRY_ADDR/library/$img"
		dk push "$REGISTRY_ADDR/library/$img" >/dev/null
		dk rmi "$REGISTRY_ADDR/library/$img" >/dev/null
	done
	rm -rf "$saved" "$saved.tmp" "$saved.stamp"
	cp -r "$RUN_DIR/registry/data" "$saved.tmp" && mv "$saved.tmp" "$saved" && echo "$stamp" >"$saved.stamp"
}

# make_certs: a CA, a server certificate for 127.0.0.1 and a client
# certificate, for buildkitd's TCP address with mutual TLS.
make_certs() {
	local d=$BK_CERTS name
	rm -rf "$d"
	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
		-subj "/CN=strata test CA" -keyout "$d/ca-key.pem" -out "$d/ca.pem" 2>/dev/null
	for name in server cert; do
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-subj "/CN=strata test $name" -keyout "$d/$name-key.pem" -out "$d/$name.csr" 2>/dev/null
		if [[ $name == server ]]; then
			printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$d/$name.ext"
		else
			printf 'extendedKeyUsage=clientAuth\n' >"$d/$name.ext"
		fi
		openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.pem" -CAkey "$d/ca-key.pem" -CAcreateserial \
			-days 7 -extfile "$d/$name.ext" -out "$d/$name.pem" 2>/dev/null
	done
	mv "$d/cert-key.pem" "$d/key.pem"
	rm -f "$d"/*.csr "$d"/*.ext "$d"/*.srl "$d/ca-key.pem"
}

# write_buildkitd_config: garbage collection bounded, and docker.io images
# resolved through the local registry (plain HTTP).
write_buildkitd_config() {
	printf '%s\n' \
		'[worker.oci]' \
		'  gc = true' \
		'  maxUsedSpace = "2GB"' \
		'[registry."docker.io"]' \
		"  mirrors = [\"$REGISTRY_ADDR\"]" \
		"[registry.\"$REGISTRY_ADDR\"]" \
		'  http = true' >"$RUN_DIR/buildkitd.toml"
}

start_buildkitd() {
	local snapshotter pid i port attempt
	timed "push base images" push_base_images
	make_certs
	write_buildkitd_config
	snapshotter=native
	[[ $STORAGE_DRIVER == overlay2 ]] && snapshotter=overlayfs
	mkdir -p "$BK_ROOT"
	for ((attempt = 0; attempt < 20; attempt++)); do
		port=$((20000 + RANDOM % 40000))
		port_in_use "$port" && continue
		rm -f "$BK_SOCK" "$RUN_DIR/buildkitd.pid"
		env -i PATH="$PATH" HOME="$HOME" "$BK_BIN/buildkitd" --config "$RUN_DIR/buildkitd.toml" \
			--root "$BK_ROOT" --addr "unix://$BK_SOCK" --addr "tcp://127.0.0.1:$port" \
			--tlscacert "$BK_CERTS/ca.pem" --tlscert "$BK_CERTS/server.pem" --tlskey "$BK_CERTS/server-key.pem" \
			--oci-worker=true --containerd-worker=false --oci-worker-binary "$(command -v runc)" \
			--oci-worker-snapshotter "$snapshotter" --oci-worker-net host \
			--allow-insecure-entitlement network.host \
			</dev/null >"$RUN_DIR/buildkitd.log" 2>&1 9>&- &
		pid=$!
		BUILDKITD_PID=$pid
		echo "$pid" >"$RUN_DIR/buildkitd.pid"
		for ((i = 0; i < TIMEOUT * 5; i++)); do
			if ! kill -0 "$pid" 2>/dev/null; then
				wait "$pid" 2>/dev/null || true
				break
			fi
			if buildkitd_answers; then
				BK_TCP=tcp://127.0.0.1:$port
				log "buildkitd: $snapshotter snapshots, host networking, unix://$BK_SOCK and $BK_TCP (mutual TLS)"
				return 0
			fi
			sleep 0.2
		done
		if grep -q 'address already in use' "$RUN_DIR/buildkitd.log"; then
			stop_buildkitd
			continue
		fi
		if [[ $snapshotter == overlayfs ]]; then
			log "buildkitd did not start with overlayfs snapshots; falling back to native"
			tail -n 10 "$RUN_DIR/buildkitd.log" >&2 || true
			stop_buildkitd
			snapshotter=native
			continue
		fi
		log "last lines of $RUN_DIR/buildkitd.log:"
		tail -n 30 "$RUN_DIR/buildkitd.log" >&2 || true
		stop_buildkitd
		die "buildkitd did not start (full log: $RUN_DIR/buildkitd.log)"
	done
	die "found no free port for buildkitd after 20 tries"
}

stop_buildkitd() {
	stop_pids "$RUN_DIR/buildkitd.pid:buildkitd"
	unmount_under "$BK_ROOT"
	rm -f "$BK_SOCK"
}

# buildkit_root_over_limit: buildkitd's state is past MAX_DATA_MB (its own
# garbage collection keeps it near 2 GB; a killed run can leave more).
buildkit_root_over_limit() {
	local mb
	mb=$(du -sm "$BK_ROOT" 2>/dev/null | cut -f1)
	((${mb:-0} > MAX_DATA_MB))
}

# --- base images ------------------------------------------------------------

debian_mirror() {
	local mirror=${STRATA_DEBIAN_MIRROR:-}
	if [[ -z $mirror && -r /etc/apt/sources.list.d/debian.sources ]]; then
		# deb822: the first URI of a "deb" stanza that is not the security archive.
		mirror=$(awk 'BEGIN { RS = ""; FS = "\n" }
			{
				types = ""; uri = ""
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^Types:/) types = $i
					if ($i ~ /^URIs:/) { split($i, f, /[ \t]+/); uri = f[2] }
				}
				if (types ~ /[ \t]deb([ \t]|$)/ && uri != "" && uri !~ /security/) { print uri; exit }
			}' /etc/apt/sources.list.d/debian.sources)
	fi
	if [[ -z $mirror && -r /etc/apt/sources.list ]]; then
		mirror=$(awk '$1 == "deb" {
				for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { if ($i !~ /security/) { print $i; exit } else break }
			}' /etc/apt/sources.list)
	fi
	echo "${mirror:-http://deb.debian.org/debian}"
}

build_debian_tar() {
	local root=$CACHE_DIR/debootstrap.tmp mirror
	mirror=$(debian_mirror)
	unmount_under "$root"
	rm -rf "$root" "$DEBIAN_TAR.tmp"
	log "debootstrap --variant=minbase $SUITE from $mirror (log: $CACHE_DIR/debootstrap.log)"
	if ! debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$CACHE_DIR/debootstrap.log" 2>&1; then
		tail -n 20 "$CACHE_DIR/debootstrap.log" >&2 || true
		[[ -f $root/debootstrap/debootstrap.log ]] && tail -n 20 "$root/debootstrap/debootstrap.log" >&2
		unmount_under "$root"
		rm -rf "$root"
		die "debootstrap failed"
	fi
	unmount_under "$root"
	rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/debootstrap
	tar --numeric-owner -C "$root" -cf "$DEBIAN_TAR.tmp" .
	mv "$DEBIAN_TAR.tmp" "$DEBIAN_TAR"
	rm -rf "$root"
}

image_present() { dk image inspect "$1" >/dev/null 2>&1; }

# The image comment that marks a debian:bookworm made with the settings of
# Docker's own Debian images (see docker_apt_settings); an image without it
# was imported by an older version of this script and is imported again.
readonly DEBIAN_COMMENT="debootstrap --variant=minbase $SUITE, with the apt and dpkg settings of Docker's Debian images"
readonly DEBIAN_SLIM_COMMENT="$DEBIAN_COMMENT, made slim (no documentation, man pages or locales)"

# docker_apt_settings DIR: write into DIR the files Docker's official Debian
# images (made with debuerreotype) add to a minbase root: apt deletes the
# downloaded .debs and its binary caches after every run, keeps package
# lists gzipped and fetches no translations, autoremove keeps no Suggests,
# dpkg skips fsync, and no service starts during an install. Without them
# every apt-get layer keeps some 80 MB of caches that real images do not,
# and image sizes measured here would be inflated.
docker_apt_settings() {
	local d=$1 clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
	mkdir -p "$d/etc/apt/apt.conf.d" "$d/etc/dpkg/dpkg.cfg.d" "$d/usr/sbin"
	printf '%s\n' "DPkg::Post-Invoke { $clean };" "APT::Update::Post-Invoke { $clean };" \
		'Dir::Cache::pkgcache "";' 'Dir::Cache::srcpkgcache "";' >"$d/etc/apt/apt.conf.d/docker-clean"
	printf '%s\n' 'Acquire::GzipIndexes "true";' 'Acquire::CompressionTypes::Order:: "gz";' >"$d/etc/apt/apt.conf.d/docker-gzip-indexes"
	printf '%s\n' 'Acquire::Languages "none";' >"$d/etc/apt/apt.conf.d/docker-no-languages"
	printf '%s\n' 'Apt::AutoRemove::SuggestsImportant "false";' >"$d/etc/apt/apt.conf.d/docker-autoremove-suggests"
	printf '%s\n' 'force-unsafe-io' >"$d/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
	printf '%s\n' '#!/bin/sh' 'exit 101' >"$d/usr/sbin/policy-rc.d"
	chmod 0755 "$d/usr/sbin/policy-rc.d"
}

# import_debian: import the debootstrap root with docker_apt_settings added
# (appended to a copy of the cached tarball, which stays as debootstrap
# made it).
import_debian() {
	local extra=$RUN_DIR/debian-settings tar=$RUN_DIR/debian-import.tar
	rm -rf "$extra" "$tar"
	docker_apt_settings "$extra"
	cp "$DEBIAN_TAR" "$tar"
	tar --numeric-owner --owner=0 --group=0 -C "$extra" -rf "$tar" \
		./etc/apt/apt.conf.d/docker-clean ./etc/apt/apt.conf.d/docker-gzip-indexes \
		./etc/apt/apt.conf.d/docker-no-languages ./etc/apt/apt.conf.d/docker-autoremove-suggests \
		./etc/dpkg/dpkg.cfg.d/docker-apt-speedup ./usr/sbin/policy-rc.d
	dk import --change 'CMD ["bash"]' --message "$DEBIAN_COMMENT" "$tar" "$DEBIAN_IMAGE" >/dev/null
	rm -rf "$extra" "$tar"
}

# import_debian_slim: the same root made slim as Debian's slim images are
# (the fixes move bases onto them): documentation but copyright files, man
# pages, info, locales, groff and lintian data removed, and dpkg told to
# leave them out of later installs.
import_debian_slim() {
	local root=$RUN_DIR/debian-slim-rootfs
	rm -rf "$root"
	mkdir -p "$root"
	tar --numeric-owner -xpf "$DEBIAN_TAR" -C "$root"
	docker_apt_settings "$root"
	printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
		'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
		'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/lintian/*' >"$root/etc/dpkg/dpkg.cfg.d/docker-slim"
	find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
	find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
	rm -rf "$root"/usr/share/{man,info,locale,groff,lintian}/* "$root"/var/cache/debconf/*-old
	tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
		dk import --change 'CMD ["bash"]' --message "$DEBIAN_SLIM_COMMENT" - "$DEBIAN_SLIM_IMAGE" >/dev/null
	rm -rf "$root"
}

import_busybox() {
	local root=$RUN_DIR/busybox-rootfs bin applet
	bin=$(dpkg -L busybox-static | grep -E '/bin/busybox$') || die "busybox-static is not installed"
	bin=${bin%%$'\n'*}
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var,proc,sys,dev}
	cp "$bin" "$root/bin/busybox"
	while read -r applet; do
		[[ $applet == bin/busybox || -e $root/$applet ]] || ln -s /bin/busybox "$root/$applet"
	done < <("$bin" --list-full)
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	chmod 1777 "$root/tmp"
	tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
		dk import --change 'CMD ["sh"]' --message "busybox-static" - "$BUSYBOX_IMAGE" >/dev/null
	rm -rf "$root"
}

ensure_images() {
	if image_present "$DEBIAN_IMAGE" && [[ $(dk image inspect -f '{{.Comment}}' "$DEBIAN_IMAGE" 2>/dev/null) != "$DEBIAN_COMMENT" ]]; then
		log "$DEBIAN_IMAGE lacks the apt settings of Docker's Debian images; importing it again"
		dk rmi -f "$DEBIAN_IMAGE" >/dev/null
	fi
	if image_present "$DEBIAN_IMAGE"; then
		log "$DEBIAN_IMAGE is in the engine"
	else
		if [[ ! -s $DEBIAN_TAR ]]; then
			timed "debootstrap" build_debian_tar
		else
			log "debootstrap root cached in $DEBIAN_TAR"
		fi
		timed "import $DEBIAN_IMAGE" import_debian
	fi
	if image_present "$DEBIAN_SLIM_IMAGE" && [[ $(dk image inspect -f '{{.Comment}}' "$DEBIAN_SLIM_IMAGE" 2>/dev/null) != "$DEBIAN_SLIM_COMMENT" ]]; then
		dk rmi -f "$DEBIAN_SLIM_IMAGE" >/dev/null
	fi
	if image_present "$DEBIAN_SLIM_IMAGE"; then
		log "$DEBIAN_SLIM_IMAGE is in the engine"
	else
		[[ -s $DEBIAN_TAR ]] || timed "debootstrap" build_debian_tar
		timed "import $DEBIAN_SLIM_IMAGE" import_debian_slim
	fi
	if image_present "$BUSYBOX_IMAGE"; then
		log "$BUSYBOX_IMAGE is in the engine"
	else
		timed "import $BUSYBOX_IMAGE" import_busybox
	fi
}

# --- environment ------------------------------------------------------------

write_env() {
	{
		printf 'export DOCKER_HOST=%q\n' "unix://$SOCK"
		printf 'export STRATA_REGISTRY=%q\n' "$REGISTRY_ADDR"
		printf 'export STRATA_DOCKER_CLI=%q\n' "$DOCKER_CLI"
		printf 'export STRATA_ENGINE_DRIVER=%q\n' "$(dk info --format '{{.Driver}}' 2>/dev/null || echo "$STORAGE_DRIVER")"
		printf 'export STRATA_BUILDKIT_HOST=%q\n' "unix://$BK_SOCK"
		printf 'export STRATA_BUILDKIT_TCP=%q\n' "$BK_TCP"
		printf 'export STRATA_BUILDKIT_TLS_DIR=%q\n' "$BK_CERTS"
		printf 'export STRATA_BUILDCTL=%q\n' "$BK_BIN/buildctl"
	} >"$ENV_FILE"
}

# env_healthy: an environment is recorded in RUN_DIR and both daemons answer.
env_healthy() {
	local addr
	[[ -s $ENV_FILE ]] || return 1
	pid_is "$RUN_DIR/dockerd.pid" dockerd >/dev/null || return 1
	pid_is "$RUN_DIR/registry.pid" docker-regis >/dev/null || return 1
	pid_is "$RUN_DIR/buildkitd.pid" buildkitd >/dev/null || return 1
	engine_answers || return 1
	addr=$(sed -n 's/^export STRATA_REGISTRY=//p' "$ENV_FILE")
	registry_answers "${addr##*:}"
}

recorded_mode() { cat "$STATE_FILE" 2>/dev/null || true; }

acquire_lock() {
	mkdir -p "$CACHE_DIR"
	exec 9>>"$LOCK_FILE"
	if ! flock -n 9; then
		log "another test environment is using $CACHE_DIR; waiting up to ${LOCK_WAIT}s for it to finish"
		flock -w "$LOCK_WAIT" 9 || die "gave up waiting for the lock on $LOCK_FILE"
	fi
}

# clean_stale: whatever a killed run left behind (we hold the lock, so no
# live run owns it): the daemons its pidfiles name, then any daemon still
# running from files in RUN_DIR, should its pidfiles be gone.
clean_stale() {
	local dir comm
	local -a specs=()
	stop_daemons
	mkdir -p "$RUN_DIR"
	for dir in /proc/[0-9]*; do
		read -r comm 2>/dev/null <"$dir/comm" || continue
		case $comm in
		dockerd | containerd | docker-registry | buildkitd)
			echo "${dir#/proc/}" >"$RUN_DIR/stale-${dir#/proc/}.pid"
			specs+=("$RUN_DIR/stale-${dir#/proc/}.pid:$comm")
			;;
		esac
	done
	if ((${#specs[@]} > 0)); then
		stop_pids "${specs[@]}"
	fi
	# dockerd mounts its data root on itself; a killed one leaves that, and
	# a killed buildkitd its snapshots' mounts.
	unmount_under "$DATA_ROOT"
	unmount_under "$BK_ROOT"
	unmount_under "$RUN_DIR"
	rm -rf "$RUN_DIR"
	mkdir -p "$RUN_DIR"
}

bring_up() { # MODE
	local t0 ms
	t0=$(now_ms)
	pick_docker_cli
	command -v dockerd >/dev/null || die "dockerd is not installed; run: $0 install"
	command -v "$DOCKER_CLI" >/dev/null || die "no docker CLI; run: $0 install"
	timed "stale state" clean_stale
	echo "$1" >"$STATE_FILE"
	if data_root_over_limit; then
		timed "drop data root" drop_data_root
	fi
	if buildkit_root_over_limit; then
		log "buildkitd's state holds more than $MAX_DATA_MB MB; dropping it"
		rm -rf "$BK_ROOT"
	fi
	start_buildkit_build
	pick_storage_driver
	timed "dockerd ($STORAGE_DRIVER)" start_dockerd
	log "storage driver in use: $(dk info --format '{{.Driver}}' 2>/dev/null || echo unknown)"
	timed "tidy engine" tidy_engine
	timed "registry" start_registry
	ensure_images
	timed "buildkit binaries" wait_buildkit_build
	timed "buildkitd" start_buildkitd
	write_env
	ms=$(($(now_ms) - t0))
	log "$(printf 'environment up in %d.%01ds: DOCKER_HOST=unix://%s STRATA_REGISTRY=%s STRATA_BUILDKIT_HOST=unix://%s' \
		$((ms / 1000)) $((ms % 1000 / 100)) "$SOCK" "$REGISTRY_ADDR" "$BK_SOCK")"
}

# tidy_engine: drop what tests left in the engine (containers, images other
# than the base images, the build cache), so the cached data root stays
# small (with the vfs fallback every layer and every BuildKit cache record
# is a full copy of its filesystem).
tidy_engine() {
	local ref id
	local -a refs=()
	timeout 300 "$DOCKER_CLI" --host "unix://$SOCK" container prune -f >/dev/null 2>&1 || true
	while read -r ref id; do
		case $ref in
		"$DEBIAN_IMAGE" | "$BUSYBOX_IMAGE") ;;
		*"<none>"*) refs+=("$id") ;;
		*) refs+=("$ref") ;;
		esac
	done < <(dk images --format '{{.Repository}}:{{.Tag}} {{.ID}}' 2>/dev/null || true)
	if ((${#refs[@]} > 0)); then
		timeout 600 "$DOCKER_CLI" --host "unix://$SOCK" rmi "${refs[@]}" >/dev/null 2>&1 || true
	fi
	timeout 300 "$DOCKER_CLI" --host "unix://$SOCK" image prune -f >/dev/null 2>&1 || true
	timeout 900 "$DOCKER_CLI" --host "unix://$SOCK" builder prune -af >/dev/null 2>&1 || true
}

# data_root_over_limit: dockerd's data root is past MAX_DATA_MB. Dropping it
# then is quicker than having the engine prune it (on the vfs fallback it
# holds a full copy of the filesystem for every layer and cache record), and what
# the engine lost track of (snapshots of a killed build, say) goes too.
data_root_over_limit() {
	local mb
	mb=$(du -sm "$DATA_ROOT" 2>/dev/null | cut -f1)
	if ((${mb:-0} > MAX_DATA_MB)); then
		log "dockerd's data root holds ${mb} MB (limit $MAX_DATA_MB); dropping it (the base images are imported again)"
		return 0
	fi
	return 1
}

drop_data_root() {
	unmount_under "$DATA_ROOT"
	rm -rf "$DATA_ROOT"
}

tear_down() {
	pick_docker_cli
	# A CI machine is thrown away after the run: measuring and dropping a
	# data root of several GB there only adds minutes to the run.
	if [[ ${CI:-} == true ]]; then
		timed "stop" stop_all
		return 0
	fi
	if data_root_over_limit; then
		timed "stop" stop_all
		timed "drop data root" drop_data_root
		return 0
	fi
	if engine_answers; then
		timed "tidy engine" tidy_engine
	fi
	timed "stop" stop_all
	if buildkit_root_over_limit; then
		timed "drop buildkit state" rm -rf "$BK_ROOT"
	fi
}

stop_all() {
	stop_buildkit_build
	stop_daemons
	unmount_under "$RUN_DIR/exec"
	rm -rf "$RUN_DIR/registry" "$RUN_DIR/exec" "$BK_CERTS"
	rm -f "$ENV_FILE" "$STATE_FILE"
}

# --- commands ---------------------------------------------------------------

cmd_run() {
	local status=0
	[[ ${1:-} == -- ]] && shift
	(($# > 0)) || die "usage: $0 run -- CMD [ARG...]"
	timed "packages" install_packages
	pick_docker_cli
	if [[ $(recorded_mode) == up ]] && env_healthy; then
		log "using the environment started with 'up' (stop it with: $0 down)"
		# shellcheck disable=SC1090
		source "$ENV_FILE"
		exec "$@"
	fi
	acquire_lock
	trap tear_down EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	bring_up run
	# shellcheck disable=SC1090
	source "$ENV_FILE"
	log "running: $*"
	"$@" 9>&- || status=$?
	log "command exited with status $status"
	exit "$status"
}

cmd_up() {
	timed "packages" install_packages
	pick_docker_cli
	if [[ $(recorded_mode) == up ]] && env_healthy; then
		log "already up"
		cat "$ENV_FILE"
		return 0
	fi
	acquire_lock
	# Stop what was started if bringing it up fails half-way.
	trap 'stop_all' EXIT
	bring_up up
	trap - EXIT
	cat "$ENV_FILE"
	log "stop it with: $0 down"
}

cmd_env() {
	pick_docker_cli
	env_healthy || die "no environment is up; start one with: $0 up"
	cat "$ENV_FILE"
}

cmd_down() {
	mkdir -p "$CACHE_DIR"
	exec 9>>"$LOCK_FILE"
	if [[ $(recorded_mode) == run ]] && ! flock -n 9; then
		die "the environment in $RUN_DIR belongs to a running 'run'; it stops when its command ends"
	fi
	tear_down
}

main() {
	local cmd=${1:-}
	(($# > 0)) && shift
	case $cmd in
	run) cmd_run "$@" ;;
	up) cmd_up ;;
	env) cmd_env ;;
	down) cmd_down ;;
	install) timed "packages" install_packages ;;
	*)
		sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
		exit 2
		;;
	esac
}

main "$@"
