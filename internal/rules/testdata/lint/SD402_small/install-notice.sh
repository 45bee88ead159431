#!/bin/sh
echo "welcome" > /etc/motd
