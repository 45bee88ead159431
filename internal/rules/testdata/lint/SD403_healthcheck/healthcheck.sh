#!/bin/sh
set -e
curl -fsS "http://localhost:${PORT:-8080}/alive" >/dev/null
