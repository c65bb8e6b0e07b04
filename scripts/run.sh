#!/usr/bin/env bash
# The one run command of 履职自评: prepares the machine, builds the UI, the CLI and the desktop app,
# creates the 示例县 demo workspace on first use, then opens it in the desktop app.
#   bash scripts/run.sh            open the demo workspace
#   bash scripts/run.sh --db PATH  open another workspace file
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '[run] %s\n' "$*"; }

bash scripts/setup.sh
say "构建界面（ui/dist）"
(cd ui && npm run build --silent)
say "构建命令行工具与桌面程序"
cargo build -p ziping-cli -p ziping-desktop
bin="${CARGO_TARGET_DIR:-target}/debug"

db=""
if [[ ${1:-} == --db && -n ${2:-} ]]; then
  db=$2
elif (($#)); then
  echo "用法：bash scripts/run.sh [--db 工作区文件.sqlite]" >&2
  exit 2
else
  db="${XDG_DATA_HOME:-$HOME/.local/share}/cn.ziping.app/示例县.sqlite"
  if [[ ! -f $db ]]; then
    if "$bin/ziping" demo --help >/dev/null 2>&1; then
      say "首次运行：创建示例县工作区 $db"
      mkdir -p "$(dirname "$db")"
      "$bin/ziping" --db "$db" demo
    else
      say "命令行工具尚无 demo 命令，跳过示例工作区的创建（将打开一个空工作区）"
    fi
  fi
fi

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  echo "没有图形显示环境（DISPLAY/WAYLAND_DISPLAY 均未设置），无法打开桌面窗口。" >&2
  echo "可在图形桌面中运行，或用 xvfb-run -a bash scripts/run.sh 在虚拟显示中启动。" >&2
  exit 1
fi
say "启动 履职自评：$db"
exec "$bin/ziping-desktop" --db "$db"
