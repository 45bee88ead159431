#!/bin/sh
set -e
mkdir -p /home/proxy/.conf
chown -R proxy:proxy /home/proxy/.conf
su proxy -p -s /bin/sh -c "exec proxyd --listen 0.0.0.0:8080"
