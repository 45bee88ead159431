#!/bin/sh
set -e
make -C /usr/src/module clean all
make -C /usr/src/module module-install
exec "$@"
