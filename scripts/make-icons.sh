#!/usr/bin/env bash
# Regenerates the application icons under src-tauri/icons/ (they are committed; run this only to change them).
# The mark: a deep-red rounded square with the white character 评 set in Noto Serif CJK SC Bold.
# Needs ImageMagick 6 (`convert`) and fonts-noto-cjk.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src-tauri/icons
mkdir -p "$out"
convert=/usr/bin/convert
master=$(mktemp --suffix=.png)
trap 'rm -f "$master"' EXIT

# Draw a 1024 px master, then scale it down for each size.
"$convert" -size 1024x1024 xc:none \
  -fill '#B3261E' -draw 'roundrectangle 48,48 975,975 180,180' \
  -fill '#F2C94C' -draw 'roundrectangle 96,96 927,927 140,140' \
  -fill '#B3261E' -draw 'roundrectangle 112,112 911,911 128,128' \
  -font Noto-Serif-CJK-SC-Bold -pointsize 640 -fill white -gravity center \
  -annotate +0+10 '评' \
  "$master"

for size in 32 128 256 512; do
  "$convert" "$master" -resize "${size}x${size}" -strip -depth 8 -define png:color-type=6 "$out/${size}x${size}.png"
done
cp "$out/512x512.png" "$out/icon.png"
echo "icons written to $out:"; ls -l "$out"
