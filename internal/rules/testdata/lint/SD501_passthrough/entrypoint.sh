#!/bin/sh
set -e
if [ -n "$APP_ENV" ]; then
	echo "environment: $APP_ENV"
fi
exec "$@"
