#!/usr/bin/env bash
# Local images for Berth's managed services (issue 29) on a machine with no container registry:
# Postgres and Redis from Debian's packages (make-debian-image.sh), plus an entrypoint that does
# what the official images' do (scripts/service-images/). Cached: a second run takes a moment.
# Prints the two image names. Use them as BERTH_POSTGRES_IMAGE and BERTH_REDIS_IMAGE.
#
#   scripts/make-service-images.sh            # berth/postgres:15 and berth/redis:7
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
base_pg=$("$here/make-debian-image.sh" berth/debian-postgresql:15 postgresql)
base_redis=$("$here/make-debian-image.sh" berth/debian-redis:7 redis-server)

# build <image> <base> <entrypoint file> <Dockerfile lines...>
build() {
  local image=$1 base=$2 entry=$3
  shift 3
  local ctx
  ctx=$(mktemp -d)
  cp "$here/service-images/$entry" "$ctx/entrypoint.sh"
  { echo "FROM $base"; echo 'COPY entrypoint.sh /usr/local/bin/berth-entrypoint'; printf '%s\n' "$@"; } >"$ctx/Dockerfile"
  local out
  if ! out=$(docker build -q -t "$image" "$ctx" 2>&1); then
    echo "$out" >&2
    exit 1
  fi
  rm -rf "$ctx"
  echo "$image"
}

build berth/postgres:15 "$base_pg" postgres-entrypoint.sh \
  'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PGDATA=/var/lib/postgresql/data' \
  'RUN chmod 755 /usr/local/bin/berth-entrypoint' \
  'ENTRYPOINT ["/usr/local/bin/berth-entrypoint"]' 'CMD []'
build berth/redis:7 "$base_redis" redis-entrypoint.sh \
  'RUN chmod 755 /usr/local/bin/berth-entrypoint' \
  'WORKDIR /data' \
  'ENTRYPOINT ["/usr/local/bin/berth-entrypoint"]' 'CMD ["redis-server"]'
