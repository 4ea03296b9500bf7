#!/usr/bin/env bash
# Builds the local image `berth/swarm-node:<docker version>`: a second Docker
# Engine to run as a container on this machine and join the swarm as another
# node (test/helpers/swarm-node.ts; tests of several nodes on one machine).
# Offline, like berth/caddy: no registry. The image is only a skeleton (the
# merged-/usr links, the iptables alternatives, users); the node runs this
# host's own dockerd, containerd, runc and iptables from /usr, mounted read-only
# when the container starts, so the node is the same Engine as the manager.
# Prints the image name on stdout.
set -euo pipefail
DOCKERD=$(command -v dockerd || true)
[ -x "$DOCKERD" ] || { echo "[berth] error: dockerd not found on this host (apt-get install docker.io)" >&2; exit 1; }
for link in /bin /sbin /lib; do
  [ -L "$link" ] || { echo "[berth] error: $link is not a link into /usr (a merged-/usr host is needed)" >&2; exit 1; }
done
version=$(docker version --format '{{.Server.Version}}' | tr -c 'A-Za-z0-9.\n_-' '-')
IMAGE=berth/swarm-node:$version
stamp="$(sha256sum "$DOCKERD" | cut -c1-16)-$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-8)"
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.berth.node-sha"}}' "$IMAGE" 2>/dev/null)" = "$stamp" ]; then
  echo "$IMAGE"
  exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{usr,etc/alternatives,proc,sys,dev,run,tmp,var/lib/docker,root,opt}
for link in bin sbin lib lib64; do [ -L "/$link" ] && ln -s "$(readlink "/$link")" "$root/$link"; done
ln -s ../run "$root/var/run"
# Debian picks iptables' backend through /etc/alternatives: the node uses the host's choice.
cp -a /etc/alternatives/*tables* "$root/etc/alternatives/" 2>/dev/null || true
echo 'root:x:0:0:root:/root:/bin/false' >"$root/etc/passwd"
printf 'root:x:0:\ndocker:x:999:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"
tar -C "$root" -c . | docker import \
  -c 'ENTRYPOINT ["/usr/sbin/dockerd"]' \
  -c "LABEL dev.berth.node-sha=$stamp" -c "LABEL dev.berth.node-version=$version" - "$IMAGE" >/dev/null
echo "[berth] built image $IMAGE" >&2
echo "$IMAGE"
