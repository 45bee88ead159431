#!/bin/sh
set -e

# options first: run the server with them
if [ "${1#-}" != "$1" ]; then
	set -- svc-server "$@"
fi

if [ "$1" = 'svc-server' ] && [ "$(id -u)" = '0' ]; then
	find /data \! -user svc -exec chown svc '{}' +
	exec gosu svc "$0" "$@"
fi

exec "$@"
