#!/bin/bash
set -e
if ! pgrep pcscd >/dev/null; then
	pcscd --auto-exit
fi
exec "$@"
