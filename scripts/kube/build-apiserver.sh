#!/usr/bin/env bash
# Builds kube-apiserver v1.20.2 offline from Debian bookworm's kubernetes source
# package and caches it outside the work tree. See BRIEF.md section 4.
# Idempotent: exits quickly when the cached binary runs. Needs root (apt).
set -euo pipefail

# The whole script is one function, read before it runs: bash reads a script as it goes, and an
# edit (a git pull) during the minutes of a build would otherwise run half of each version.
main() {
KUBE_SRC_VERSION="1.20.5+really1.20.2-1.1+deb12u1"
KUBE_CACHE_DIR="${KUBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/arc-portal/kube-v1.20.2}"
BIN="$KUBE_CACHE_DIR/kube-apiserver"
export DEBIAN_FRONTEND=noninteractive

log() { echo "[kube] $*"; }
STEPS=6
step() { echo "[kube] step $1 of $STEPS: $2"; }
fail() { echo "[kube] cannot build kube-apiserver: $*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
fi
need_root() {
  [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ] || fail "$1 needs root (or password-less sudo); run as root, or install etcd-server and set KUBE_APISERVER_BIN to a built kube-apiserver v1.20"
  command -v apt-get >/dev/null 2>&1 || fail "apt-get is missing: this needs Debian bookworm's packages (BRIEF section 4)"
}

apt_updated=0
apt_update() {
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}

ensure_etcd() {
  if command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ]; then
    log "etcd present: $(command -v etcd || echo /usr/bin/etcd)"
    return
  fi
  need_root "installing etcd-server"
  apt_update
  log "installing etcd-server"
  $SUDO apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
  # Debian's package starts a system etcd on 2379; tests run their own.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now etcd >/dev/null 2>&1 || true
  fi
}

cached() {
  if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
    log "cached: $BIN ($("$BIN" --version))"
    ensure_etcd
    exit 0
  fi
}
cached

# Parallel test workers may all ask for a build; only one runs it.
mkdir -p "$KUBE_CACHE_DIR"
exec 9>"$KUBE_CACHE_DIR/.build.lock"
if ! flock -n 9; then
  log "another build is running; waiting for it"
  flock 9
fi
cached

need_root "building kube-apiserver"
step 1 "installing etcd and the build tools (apt)"
# deb-src is needed for `apt-get source`; mirror the configured deb entries.
has_debsrc() {
  grep -rqsE '^[[:space:]]*deb-src[[:space:]].*bookworm' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null && return 0
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # a stanza with Types containing deb-src and Suites containing bookworm
    awk 'BEGIN{RS="";FS="\n"} /Types:[^\n]*deb-src/ && /Suites:[^\n]*bookworm/ {found=1} END{exit !found}' "$f" && return 0
  done
  return 1
}

if ! has_debsrc; then
  src_file=/etc/apt/sources.list.d/arc-portal-deb-src.sources
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1 && grep -qsE '^Types:.*\bdeb\b' /etc/apt/sources.list.d/*.sources; then
    log "adding deb-src stanzas (deb822) to $src_file"
    # Copy every enabled bookworm "deb" stanza, switching Types to deb-src.
    awk 'BEGIN{RS="";FS="\n";ORS="\n\n"}
      /Types:[^\n]*deb/ && /Suites:[^\n]*bookworm/ && !/Enabled:[[:space:]]*no/ {
        out=""
        for (i=1;i<=NF;i++) {
          if ($i ~ /^Types:/) $i="Types: deb-src"
          if ($i ~ /^#/) continue
          out = out $i "\n"
        }
        printf "%s\n", out
      }' /etc/apt/sources.list.d/*.sources | $SUDO tee "$src_file" >/dev/null
  else
    src_file=/etc/apt/sources.list.d/arc-portal-deb-src.list
    log "adding deb-src lines to $src_file"
    grep -hsE '^[[:space:]]*deb[[:space:]].*bookworm' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
      | sed -E 's/^[[:space:]]*deb[[:space:]]/deb-src /' | $SUDO tee "$src_file" >/dev/null
  fi
  if [ ! -s "$src_file" ]; then
    log "no bookworm deb entry found; using deb.debian.org"
    printf 'deb-src http://deb.debian.org/debian bookworm main\n' | $SUDO tee "$src_file" >/dev/null
  fi
fi

apt_update
log "installing build deps: golang-go rsync make golang-github-modern-go-reflect2-dev etcd-server"
$SUDO apt-get install -y -qq --no-install-recommends \
  golang-go rsync make golang-github-modern-go-reflect2-dev etcd-server >/dev/null
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now etcd >/dev/null 2>&1 || true
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/arc-kube-build.XXXXXX")"
cleanup() { log "removing $WORK"; rm -rf "$WORK"; }
trap cleanup EXIT

# apt downloads as _apt when it can write there; avoids an "unsandboxed" warning.
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$WORK"; fi
cd "$WORK"
step 2 "downloading Debian's kubernetes source package"
log "apt-get source --download-only kubernetes=$KUBE_SRC_VERSION"
apt-get source -qq --download-only "kubernetes=$KUBE_SRC_VERSION" >/dev/null
orig="$(ls kubernetes_*.orig.tar.* | head -n1)"
step 3 "unpacking $orig"
mkdir src
tar -xf "$orig" -C src --strip-components=1

# The vendored reflect2 segfaults on the first custom-resource write under the
# Go 1.19 toolchain; Debian's patched copy works.
R2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2
R2_DST=src/vendor/github.com/modern-go/reflect2
step 4 "replacing vendored reflect2 with $R2_SRC"
rm -f "$R2_DST"/*.go "$R2_DST"/*.s
cp "$R2_SRC"/*.go "$R2_DST"/
cp "$R2_SRC"/*.s "$R2_DST"/ 2>/dev/null || true

step 5 "compiling cmd/kube-apiserver with $(go version) (3 to 7 minutes on 2 cores)"
start=$(date +%s)
mkdir -p "$WORK/home"
( cd src && HOME="$WORK/home" GOFLAGS="${GOFLAGS:-}" CGO_ENABLED=0 make WHAT=cmd/kube-apiserver )
log "build took $(( $(date +%s) - start ))s"

built="$(ls src/_output/local/bin/*/*/kube-apiserver 2>/dev/null | head -n1 || true)"
[ -n "$built" ] || built="src/_output/bin/kube-apiserver"
step 6 "installing the binary in $KUBE_CACHE_DIR"
mkdir -p "$KUBE_CACHE_DIR"
install -m 0755 "$built" "$BIN.tmp"
mv "$BIN.tmp" "$BIN"
log "installed $BIN ($("$BIN" --version))"
}
main "$@"
exit
