#!/usr/bin/env bash
# Packs, on THIS machine (Debian, node_modules installed, root for apt), what bench/gpu/run.sh needs on a
# GPU machine that has neither node, node_modules nor a browser, and no network. Two carried folders, one
# per device call, because one call carries at most 64 MiB (working tree included) and Chromium's binary
# alone is 54 MB compressed:
#   .gpubench-cli/      ~35 MB  node (stripped), Dawn (webgpu's dawn.node), the CLI as one bundle with tfjs
#                               inlined, and every shared library Chromium links beyond an Ubuntu base image;
#   .gpubench-browser/  ~62 MB  Debian's chromium-headless-shell binary, its support files (ICU data, V8
#                               snapshots, Vulkan loader), the built bench pages, and the same libraries less
#                               those an Ubuntu image with python3 most likely has (glib, expat, png, brotli)
#                               and less further groups (DROP_ORDER) while the call would pass 62 MiB.
# run.sh unpacks each into one runtime folder ($GPU_BENCH_HOME, default /var/tmp/hvp-gpubench) that a warm
# machine keeps between calls: the browser call runs on its own when the machine has those few libraries,
# and otherwise right after the cli call on the same warm machine.
# Usage: bash bench/gpu/prepare.sh [cli] [browser]   (default both). Re-running reuses the slow xz steps
# (node ~1.5 min, Chromium ~4 min on 2 cores) while their inputs are unchanged.
# Must not touch: dist/ (others build it), node_modules/.cache/hvp-cli (scripts/cli.mjs owns it).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CLI_DIR=$ROOT/.gpubench-cli
BROWSER_DIR=$ROOT/.gpubench-browser
CACHE=$ROOT/.gpubench-cache
PARTS=${*:-cli browser}
mkdir -p "$CACHE"

say() { printf '[prepare] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
# xz of one file, BCJ filter for executables; skipped while the input's sha256 matches the stamp beside it.
pack_file() { # SRC DEST [x86]
  local src=$1 dest=$2 sum
  sum=$(sha256sum "$src" | cut -d' ' -f1)
  if [ -f "$dest" ] && [ "$(cat "$dest.sha256" 2>/dev/null)" = "$sum" ]; then say "up to date: ${dest#"$ROOT"/}"; return; fi
  say "compressing $(basename "$src") ($(($(stat -c %s "$src") / 1000000)) MB) -> ${dest#"$ROOT"/}"
  if [ "${3:-}" = x86 ]; then xz -T1 --x86 --lzma2=preset=9e,dict=256MiB -c "$src" >"$dest.tmp"
  else xz -T1 -9e -c "$src" >"$dest.tmp"; fi
  mv "$dest.tmp" "$dest"
  echo "$sum" >"$dest.sha256"
}

command -v xz >/dev/null || die "xz is missing (apt-get install xz-utils)"
[ -x node_modules/.bin/vite ] || die "node_modules is missing: run npm ci first"

# --- Chromium: Debian's chromium-headless-shell + chromium-common, same version, downloaded (not installed).
CHROME_X=$CACHE/chromium
chromium_extract() {
  local ver
  ver=$(dpkg-query -W -f='${Version}' chromium-common 2>/dev/null || true)
  [ -n "$ver" ] || ver=$(apt-cache policy chromium-headless-shell | awk '/Candidate:/ {print $2}')
  [ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no chromium-headless-shell in apt's lists (run apt-get update)"
  if [ "$(cat "$CHROME_X/.version" 2>/dev/null)" = "$ver" ]; then return; fi
  say "downloading chromium-headless-shell and chromium-common $ver (Debian)"
  rm -rf "$CHROME_X" "$CACHE/debs" && mkdir -p "$CHROME_X" "$CACHE/debs"
  (cd "$CACHE/debs" && apt-get download -q "chromium-headless-shell=$ver" "chromium-common=$ver" 2>&1 | grep -v 'unsandboxed' >&2 || true)
  for d in "$CACHE"/debs/*.deb; do dpkg -x "$d" "$CHROME_X"; done
  [ -x "$CHROME_X/usr/lib/chromium/chromium-headless-shell" ] || die "the download did not give usr/lib/chromium/chromium-headless-shell"
  rm -rf "$CACHE/debs"
  echo "$ver" >"$CHROME_X/.version"
}

# Shared libraries an Ubuntu/Debian base image always has (glibc, libstdc++, zlib, systemd's libs, …): not carried.
BASE_LIBS='^(linux-vdso|ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libresolv|libz\.so|libzstd\.so|libstdc\+\+|libgcc_s|liblzma|libselinux|libpcre2-8|libblkid|libmount|libudev|libsystemd|libcap\.so|libgcrypt|libgpg-error|liblz4|libffi|libmd\.so)'
# Libraries an Ubuntu image with python3 most likely has: carried in .gpubench-cli only.
LIKELY_PRESENT='^(libglib-2\.0|libgio-2\.0|libgobject-2\.0|libgmodule-2\.0|libexpat|libbrotli|libpng16)'
# Groups of libraries left out of .gpubench-browser, in this order, only while it is too big (regexes).
DROP_ORDER=('libfreetype|libfontconfig|libharfbuzz|libgraphite2' 'libjpeg|liblcms2|libopenjp2' 'libdbus|libatk|libatspi'
  'libX11|libxcb|libXau|libXdmcp|libXext|libXrender|libXi\.|libXfixes|libXrandr|libXcomposite|libXdamage|libxkbcommon')
# Bytes of the working tree that a device call sends (tracked + untracked-not-ignored files).
tree_size() { git ls-files -z --cached --others --exclude-standard | xargs -0 stat -c %s 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
# Copies the non-base libraries Chromium links, plus libGLdispatch and the Vulkan loader, into DIR/chromium/lib,
# leaving out those matching the regex EXCLUDE (empty: none).
chromium_libs() { # DIR EXCLUDE
  local dir=$1 exclude=${2:-'^$'} C=$CHROME_X/usr/lib/chromium missing p
  rm -rf "$dir" && mkdir -p "$dir/chromium/lib"
  missing=$(ldd "$C/chromium-headless-shell" | awk '/not found/ {print $1}')
  [ -z "$missing" ] || die "this machine lacks libraries Chromium links ($missing): apt-get install chromium-headless-shell, then re-run"
  ldd "$C/chromium-headless-shell" | awk 'NF >= 3 && $3 ~ /^\// {print $1, $3}' | grep -Ev "$BASE_LIBS" | grep -Ev "$exclude" |
    while read -r name path; do cp -L "$path" "$dir/chromium/lib/$name"; done
  p=$(ldconfig -p | awk '$1 == "libGLdispatch.so.0" {print $NF; exit}')
  if [ -n "$p" ]; then cp -L "$p" "$dir/chromium/lib/"; else say "warning: libGLdispatch.so.0 not found here, not carried"; fi
  cp "$C/libvulkan.so.1" "$dir/chromium/lib/"
}

if [[ " $PARTS " == *" cli "* ]]; then
  mkdir -p "$CLI_DIR"
  # node: this machine's (>= 20), stripped; run.sh prefers a node >= 20 already on the GPU machine.
  NODE_BIN=$(readlink -f "$(command -v node)")
  "$NODE_BIN" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || die "node >= 20 needed"
  strip -o "$CACHE/node" "$NODE_BIN"
  pack_file "$CACHE/node" "$CLI_DIR/node.xz" x86
  "$NODE_BIN" --version >"$CLI_DIR/node.version"

  # The CLI (tfjs inlined) and Dawn laid out as node_modules/webgpu beside it.
  STAGE=$CACHE/cli-stage
  rm -rf "$STAGE" && mkdir -p "$STAGE/node_modules/webgpu/dist/linux-x64"
  node bench/gpu/build.mjs cli "$STAGE/cli" >&2
  cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$STAGE/node_modules/webgpu/"
  cp node_modules/webgpu/dist/linux-x64/dawn.node "$STAGE/node_modules/webgpu/dist/linux-x64/"
  say "packing the CLI and Dawn"
  tar -C "$STAGE" -cf - cli node_modules | xz -T2 -9 >"$CLI_DIR/app.tar.xz"
  rm -rf "$STAGE"

  # The shared libraries Chromium links (and libGLdispatch, which NVIDIA's Vulkan ICD links), all of them.
  chromium_extract
  chromium_libs "$CACHE/libs-stage" ''
  say "packing $(ls "$CACHE/libs-stage/chromium/lib" | wc -l) libraries for Chromium"
  tar -C "$CACHE/libs-stage" -cf - chromium | xz -T2 -9e >"$CLI_DIR/chromium-libs.tar.xz"
  rm -rf "$CACHE/libs-stage"
fi

if [[ " $PARTS " == *" browser "* ]]; then
  chromium_extract
  mkdir -p "$BROWSER_DIR"
  pack_file "$CHROME_X/usr/lib/chromium/chromium-headless-shell" "$BROWSER_DIR/chromium-headless-shell.xz" x86
  cat "$CHROME_X/.version" >"$BROWSER_DIR/chromium.version"
  # Support files (headless_lib_data.pak left out: the bench pages run without it) and the libraries, less
  # those an Ubuntu image with python3 most likely has; then, while the call would exceed 62 MiB (2 MiB of
  # room for the working tree to grow), less the next group in DROP_ORDER (all stay in .gpubench-cli).
  SUP=$CACHE/support-stage
  C=$CHROME_X/usr/lib/chromium
  exclude=$LIKELY_PRESENT
  for group in '' "${DROP_ORDER[@]}"; do
    [ -z "$group" ] || exclude="$exclude|^($group)"
    chromium_libs "$SUP" "$exclude"
    cp "$C"/{icudtl.dat,v8_context_snapshot.bin,snapshot_blob.bin,headless_command_resources.pak,libEGL.so,libGLESv2.so} "$SUP/chromium/"
    cat "$CHROME_X/.version" >"$SUP/chromium/VERSION"
    tar -C "$SUP" -cf - chromium | xz -T2 -9e >"$BROWSER_DIR/chromium-support.tar.xz"
    rm -f "$BROWSER_DIR/site.tar.xz"
    call_bytes=$(($(du -sb "$BROWSER_DIR" | cut -f1) + $(tree_size) + 300000)) # + the site, ~0.3 MB
    say "Chromium's support files and $(ls "$SUP/chromium/lib" | wc -l) libraries${group:+ (also left out: $group)}: the call would carry $((call_bytes / 1048576)) MiB"
    [ "$call_bytes" -gt $((62 * 1048576)) ] || break
  done
  echo "$exclude" >"$BROWSER_DIR/libs-left-out.txt"
  rm -rf "$SUP"
  STAGE=$CACHE/site-stage
  rm -rf "$STAGE" && node bench/gpu/build.mjs site "$STAGE/site" >&2
  tar -C "$STAGE" -cf - site | xz -9 >"$BROWSER_DIR/site.tar.xz"
  rm -rf "$STAGE"
fi

# What travels per call: the working tree (tracked + untracked-not-ignored) plus the carried folder.
tree_bytes=$(tree_size)
limit=$((64 * 1024 * 1024))
for d in "$CLI_DIR" "$BROWSER_DIR"; do
  [ -d "$d" ] || continue
  b=$(du -sb "$d" | cut -f1)
  total=$((b + tree_bytes))
  say "$(basename "$d"): $(awk -v b="$b" -v t="$tree_bytes" 'BEGIN {printf "%.1f MiB + working tree %.1f MiB = %.1f MiB", b / 1048576, t / 1048576, (b + t) / 1048576}') of 64 MiB per call"
  [ "$total" -lt "$limit" ] || say "WARNING: $(basename "$d") and the tree exceed 64 MiB: the device call would be refused"
done
