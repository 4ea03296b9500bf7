#!/usr/bin/env bash
# Builds the local image `berth/caddy:<caddy version>` from this host's
# /usr/bin/caddy (Debian's package) and the shared libraries it links (libzstd,
# libc, the loader), the way make-node-image.sh makes berth/node: no registry,
# under a second. Swarm mode runs Caddy from it as a container attached to the
# overlay network (a host process cannot reach overlay addresses). Skips the
# work when the image exists and was made from the same binary and script.
# Prints the image name on stdout.
set -euo pipefail
CADDY=${CADDY_BINARY:-$(command -v caddy || true)}
[ -x "$CADDY" ] || { echo "[berth] error: caddy not found on this host (apt-get install caddy)" >&2; exit 1; }
version=$("$CADDY" version | awk '{print $1}' | tr -d 'v')
[[ $version =~ ^[0-9][0-9A-Za-z.+-]*$ ]] || { echo "[berth] error: unexpected caddy version '$version'" >&2; exit 1; }
IMAGE=berth/caddy:$version
stamp="$(sha256sum "$CADDY" | cut -c1-16)-$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-8)"
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.berth.caddy-sha"}}' "$IMAGE" 2>/dev/null)" = "$stamp" ]; then
  echo "$IMAGE"
  exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{usr/bin,tmp,etc/ssl/certs,data,config}
cp "$CADDY" "$root/usr/bin/caddy"
ldd "$CADDY" | grep -o '/[^ ]*' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# ACME (TLS_ISSUER=acme) talks HTTPS to the CA: the host's trust roots, when it has them.
[ -f /etc/ssl/certs/ca-certificates.crt ] && cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
chmod 1777 "$root/tmp"
echo 'root:x:0:0:root:/root:/bin/false' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
tar -C "$root" -c . | docker import \
  -c 'ENV XDG_DATA_HOME=/data' -c 'ENV XDG_CONFIG_HOME=/config' -c 'ENV HOME=/data' \
  -c 'ENTRYPOINT ["/usr/bin/caddy"]' -c 'CMD ["run"]' \
  -c "LABEL dev.berth.caddy-sha=$stamp" -c "LABEL dev.berth.caddy-version=$version" - "$IMAGE" >/dev/null
echo "[berth] built image $IMAGE" >&2
echo "$IMAGE"
