#!/bin/sh
# Berth's local Redis image (scripts/make-service-images.sh): runs the command (redis-server and its
# arguments) as the redis user in /data, as the official image does.
set -eu
mkdir -p /data
chown redis:redis /data
cd /data
exec setpriv --reuid=redis --regid=redis --init-groups "$@"
