# The platform's settings, shared by up, down, status, scale and restart: each
# variable keeps a value it already has, so a second platform (a test's) runs
# on its own ports, state directory and instance name.
BERTH_STATE_DIR=${BERTH_STATE_DIR:-"$PWD/.berth"}
export BERTH_STATE_DIR
export BERTH_INSTANCE=${BERTH_INSTANCE:-main}
export BASE_DOMAIN=${BASE_DOMAIN:-localhost}
export API_PORT=${API_PORT:-3000}
export CADDY_HTTP_PORT=${CADDY_HTTP_PORT:-8080}
export PUBLIC_PORT=${PUBLIC_PORT:-$CADDY_HTTP_PORT}
export CADDY_HTTP_LISTEN=":$CADDY_HTTP_PORT"
export CADDY_ADMIN_URL=${CADDY_ADMIN_URL:-http://127.0.0.1:2019}
export CADDY_ADMIN_LISTEN=${CADDY_ADMIN_LISTEN:-127.0.0.1:2019}
export API_UPSTREAM=${API_UPSTREAM:-127.0.0.1:$API_PORT}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${BERTH_REDIS_PORT:-6379}}
export DATABASE_URL=${DATABASE_URL:-postgres://berth:berth@127.0.0.1:${BERTH_PG_PORT:-5432}/berth}
# The key that seals env values at rest: generated once into this file by the first program that needs it.
export BERTH_SECRET_KEY_FILE=${BERTH_SECRET_KEY_FILE:-$BERTH_STATE_DIR/secret-key}
