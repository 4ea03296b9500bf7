#!/usr/bin/env bash
# Builds a local base image from Debian's own packages, with no container
# registry: `make-debian-image.sh <image> [package...]` makes a minimal
# Debian 12 (bookworm) root filesystem with those packages (mmdebstrap, from
# the host's Debian mirror over http) and `docker import`s it as <image>.
# Skips the work when the image exists and was made from the same package
# list by the same script. Prints the image name.
#
#   scripts/make-debian-image.sh berth/debian:12
#   scripts/make-debian-image.sh berth/python:3.11 python3 python3-venv
#
# BERTH_DEBIAN_MIRROR overrides the mirror (default: deb.debian.org).
set -euo pipefail
IMAGE=${1:?usage: make-debian-image.sh <image> [package...]}
shift
PACKAGES=$(printf '%s\n' "$@" | sort -u | paste -sd, -)
MIRROR=${BERTH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
stamp=$(printf '%s|%s|%s' "$PACKAGES" "$MIRROR" "$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)" | sha256sum | cut -c1-16)
current() { [ "$(docker image inspect -f '{{index .Config.Labels "dev.berth.debian-stamp"}}' "$IMAGE" 2>/dev/null)" = "$stamp" ]; }
if current; then
  echo "$IMAGE"
  exit 0
fi
# One maker per image on this host (a worker's first build and `npm test`'s early start may ask at once):
# the second waits, then finds the image made.
exec 9>"${TMPDIR:-/tmp}/berth-debian-image-$(printf '%s' "$IMAGE" | tr -c 'a-zA-Z0-9.-' '_').lock"
flock 9
if current; then
  echo "$IMAGE"
  exit 0
fi
if ! command -v mmdebstrap >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
  else
    echo "[berth] error: mmdebstrap is missing (Debian: apt-get install mmdebstrap)" >&2
    exit 1
  fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# minbase: essential packages and apt only; no docs, no man pages, no apt lists left behind.
mmdebstrap --quiet --variant=minbase ${PACKAGES:+--include="$PACKAGES"} \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$work/root.tar" "$MIRROR" >&2
docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["/bin/sh"]' \
  -c "LABEL dev.berth.debian-stamp=$stamp" -c "LABEL dev.berth.debian-packages=$PACKAGES" \
  "$work/root.tar" "$IMAGE" >/dev/null
echo "[berth] built base image $IMAGE (Debian 12${PACKAGES:+ with $PACKAGES})" >&2
echo "$IMAGE"
