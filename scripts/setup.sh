#!/usr/bin/env bash
# Installs what building, testing and running 履职自评 needs, and only what is missing:
#   - the Debian packages (webkit2gtk 4.1, Xvfb, WebKitWebDriver, CJK fonts, poppler, ImageMagick, chromium…);
#   - the UI's npm packages (npm ci in ui/, again whenever ui/package-lock.json changes);
#   - tauri-driver (the WebDriver bridge of the desktop E2E test).
# Idempotent: a second run does nothing. Expects Debian 12 with rustup's cargo and Node 20 present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# --- Debian packages -----------------------------------------------------------------------------
packages=(
  libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev
  build-essential libxdo-dev pkg-config file
  xvfb xauth webkit2gtk-driver dbus-x11
  poppler-utils imagemagick fonts-noto-cjk
  chromium
)
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]} yourself"
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  say "Debian packages installed"
else
  say "Debian packages: all ${#packages[@]} present"
fi

# --- Toolchains ----------------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found (install Rust with rustup)"
command -v node >/dev/null || die "node not found (Node 20 or newer is needed)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || die "Node $(node --version) is too old: Node 20 or newer is needed"

# --- UI packages ---------------------------------------------------------------------------------
stamp=ui/node_modules/.ziping-package-lock.sha256
want=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [[ -d ui/node_modules && -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
  say "UI packages: up to date with ui/package-lock.json"
else
  say "UI packages: npm ci in ui/"
  # playwright-core (UI tests) never downloads browsers; the tests use Debian's /usr/bin/chromium.
  (cd ui && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

# --- tauri-driver --------------------------------------------------------------------------------
if command -v tauri-driver >/dev/null; then
  say "tauri-driver: $(command -v tauri-driver)"
else
  say "installing tauri-driver (cargo install tauri-driver --version ^2 --locked)"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
[[ -x /usr/bin/WebKitWebDriver ]] || die "/usr/bin/WebKitWebDriver is missing (package webkit2gtk-driver)"

say "done"
