#!/usr/bin/env bash
# Installable packages of 履职自评 with the Tauri bundler (`make package`). Not part of the tests.
#
#   bash scripts/package.sh              build the .deb (release), list and check its contents
#   bash scripts/package.sh --install    also install it here (apt), start the installed app under Xvfb
#                                        with an empty home, check that it opens the demo county, uninstall
#   bash scripts/package.sh --appimage   also try the AppImage (needs linuxdeploy and the AppImage
#                                        runtime, which the bundler downloads from GitHub)
#
# The .deb holds the desktop app (/usr/bin/ziping-desktop, started from the menu entry 履职自评),
# the command-line tool (/usr/bin/ziping), the report fonts (/usr/lib/ziping/…) and the icons; the
# data lives per user in $XDG_DATA_HOME/cn.ziping.app (default ~/.local/share/cn.ziping.app).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
say() { printf '[package] %s\n' "$*"; }

install=0
bundles=deb
for a in "$@"; do
  case $a in
    --install) install=1 ;;
    --appimage) bundles=deb,appimage ;;
    *) echo "usage: bash scripts/package.sh [--install] [--appimage]" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh >/dev/null
target="${CARGO_TARGET_DIR:-$root/target}"
say "building the command-line tool (release)"
cargo build --release -q -p ziping-cli
say "building the desktop app and the $bundles bundle (release; tauri build)"
# The CLI goes into the .deb beside the app; its path depends on the target dir, so it is given here.
extra=$(printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/ziping":"%s"}}}}}' "$target/release/ziping")
ui/node_modules/.bin/tauri build --ci --bundles "$bundles" --config "$extra" -- -p ziping-desktop

deb=$(ls -t "$target"/release/bundle/deb/*.deb | head -n 1)
say "built: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb --contents "$deb" | awk '{sub(/^\.\//, "", $6); print $6}' > "$target/release/bundle/deb/contents.txt"
for want in usr/bin/ziping-desktop usr/bin/ziping usr/share/applications/ziping.desktop usr/lib/ziping/fonts/FandolFang-Regular.otf usr/share/icons/hicolor/; do
  if ! grep -q -- "$want" "$target/release/bundle/deb/contents.txt"; then
    echo "the package lacks $want" >&2
    exit 1
  fi
done
say "contents: app, CLI, menu entry, fonts and icons present ($(wc -l < "$target/release/bundle/deb/contents.txt") entries)"
if [[ $bundles == *appimage* ]]; then
  ls -l "$target"/release/bundle/appimage/*.AppImage
fi

if ((install)); then
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  say "installing $deb (apt resolves its dependencies)"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$deb" >/dev/null
  home=$(mktemp -d)
  trap 'rm -rf "$home"' EXIT
  say "starting /usr/bin/ziping-desktop with an empty home under Xvfb"
  export HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config XDG_CACHE_HOME=$home/.cache
  cat > "$home/check.sh" <<'EOF'
/usr/bin/ziping-desktop & pid=$!
for _ in $(seq 1 120); do
  if xwininfo -root -tree 2>/dev/null | grep -q '履职自评'; then break; fi
  sleep 0.5
done
sleep 4
import -window root "$HOME/installed.png" 2>/dev/null || true
xwininfo -root -tree | grep -o '"履职自评[^"]*"' | head -n 1
kill "$pid"; wait "$pid" 2>/dev/null || true
EOF
  window=$(timeout 120 xvfb-run -a -s '-screen 0 1280x800x24' bash "$home/check.sh")
  ws="$XDG_DATA_HOME/cn.ziping.app/workspace.sqlite"
  [[ -n $window ]] || { echo "the installed app opened no window" >&2; exit 1; }
  [[ -f $ws ]] || { echo "the installed app created no workspace at $ws" >&2; exit 1; }
  say "window: $window; workspace: $ws"
  /usr/bin/ziping --db "$ws" list
  mkdir -p "$target/release/bundle/deb"
  cp "$home/installed.png" "$target/release/bundle/deb/installed.png" 2>/dev/null && say "screenshot: $target/release/bundle/deb/installed.png"
  say "uninstalling"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq ziping >/dev/null
fi
