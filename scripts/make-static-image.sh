#!/usr/bin/env bash
# Builds the local image `berth/static:1` that serves the static sites Berth
# builds without a Dockerfile: the host's Caddy binary (/usr/bin/caddy, the
# same one `npm run up` runs), the shared libraries it links and the
# Caddyfiles in scripts/static-server/ — no shell, no container registry.
# Skips the work when the image exists and was made from the same files.
# Bump the tag when the Caddyfiles' behaviour changes (the worker only makes
# an image that is missing).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMAGE=berth/static:1
CADDY=$(command -v caddy || true)
[ -n "$CADDY" ] || { echo "[berth] error: no caddy binary on this host (needed for $IMAGE)" >&2; exit 1; }
CADDY=$(readlink -f "$CADDY")
stamp=$(cat "$CADDY" "$here"/static-server/*.Caddyfile "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.berth.static-sha"}}' "$IMAGE" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{usr/bin,tmp,etc/caddy,srv}
cp "$CADDY" "$root/usr/bin/caddy"
# A static binary lists none ("not a dynamic executable").
{ ldd "$CADDY" 2>/dev/null || true; } | grep -o '/[^ ]*' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp "$here"/static-server/*.Caddyfile "$root/etc/caddy/"
chmod 1777 "$root/tmp"
echo 'nobody:x:65534:65534:nobody:/:/usr/bin/caddy' >"$root/etc/passwd"
echo 'nogroup:x:65534:' >"$root/etc/group"
tar -C "$root" -c . | docker import \
  -c 'ENV XDG_CONFIG_HOME=/tmp XDG_DATA_HOME=/tmp' -c 'WORKDIR /srv' -c 'USER 65534:65534' \
  -c 'CMD ["caddy", "run", "--adapter", "caddyfile", "--config", "/etc/caddy/site.Caddyfile"]' \
  -c "LABEL dev.berth.static-sha=$stamp" -c "LABEL dev.berth.caddy-version=$("$CADDY" version | cut -d' ' -f1)" - "$IMAGE" >/dev/null
echo "[berth] built static server image $IMAGE (Caddy $("$CADDY" version | cut -d' ' -f1))" >&2
