#!/bin/sh
set -e
echo "publishing $1"
