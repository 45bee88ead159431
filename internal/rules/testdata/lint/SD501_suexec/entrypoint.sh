#!/bin/sh
set -eu
chown -R app:app /var/lib/app
exec su-exec app:app "$@"
