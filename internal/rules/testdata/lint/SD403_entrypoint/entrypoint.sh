#!/bin/sh
set -e
if pgrep -x worker >/dev/null; then
	echo "already running" >&2
	exit 1
fi
exec "$@"
