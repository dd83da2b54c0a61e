#!/usr/bin/env bash
# Builds the Debian packages sobre, libsobre0 and libsobre-dev from a clean copy of the
# tree (the files git knows: tracked, and untracked ones not ignored, as they are in the
# working tree; or the last commit with --head), with dpkg-buildpackage and debhelper,
# then checks them with lintian. The version is the one in CMakeLists.txt's project():
# debian/changelog is written here, in the copy, never typed by hand.
# The test suite does not run inside the package build (DEB_BUILD_OPTIONS=nocheck) unless
# --check is given (then the unit tests run).
# Prints the path of each .deb on stdout, and how to install them on a host on stderr.
# Usage: scripts/package.sh [-o OUT_DIR] [--head] [--check] [--no-lintian]
#   -o OUT_DIR    where the packages go (default: build-deb/ in the tree); earlier
#                 sobre packages there are replaced
#   --head        package the last commit (git archive HEAD), not the working tree
#   --check       run the unit tests in the package build
#   --no-lintian  skip lintian (by default an error from lintian fails the build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-deb" head=0 check=0 lint=1
while [ $# -gt 0 ]; do
  case $1 in
    -o) [ $# -ge 2 ] || { echo "package.sh: -o needs a folder" >&2; exit 2; }; out=$2; shift 2 ;;
    --head) head=1; shift ;;
    --check) check=1; shift ;;
    --no-lintian) lint=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for t in dpkg-buildpackage dh dpkg-shlibdeps help2man; do
  command -v $t >/dev/null || { echo "package.sh: $t missing: run scripts/setup.sh (scripts/deps/package.apt)" >&2; exit 1; }
done
[ $lint -eq 0 ] || command -v lintian >/dev/null ||
  { echo "package.sh: lintian missing: run scripts/setup.sh (scripts/deps/package.apt)" >&2; exit 1; }

version=$(sed -n 's/^project(sobre VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "package.sh: no 'project(sobre VERSION x.y.z' in CMakeLists.txt" >&2; exit 1; }
maint=$(sed -n 's/^Maintainer: //p' "$root/debian/control")
work=$(mktemp -d "${TMPDIR:-/tmp}/sobre-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
src="$work/sobre-$version"
mkdir -p "$src"

# --- the clean copy
what="the working tree"
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  commit=$(git -C "$root" rev-parse --short HEAD)
  if [ $head -eq 1 ]; then
    git -C "$root" archive --format=tar HEAD | tar -x -C "$src"
    what="commit $commit"
  else
    (cd "$root" && git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done |
      tar --null -T - -c) | tar -x -C "$src"
    what="the working tree at $commit"
    [ -z "$(git -C "$root" status --porcelain)" ] || what="$what, with local changes"
  fi
  date=$(git -C "$root" log -1 --format=%cD HEAD)
else
  [ $head -eq 0 ] || { echo "package.sh: --head needs a git clone" >&2; exit 2; }
  (cd "$root" && tar -c --exclude='./build*' --exclude='./out' --exclude=node_modules \
    --exclude='./tests/web/artifacts' .) | tar -x -C "$src"
  date=$(date -R)
fi
rm -f "$src/debian/changelog"
cat >"$src/debian/changelog" <<EOT
sobre ($version) unstable; urgency=medium

  * Built by scripts/package.sh from
    $what.

 -- $maint  $date
EOT

# --- the build: binary packages only, unsigned
opts="parallel=$(nproc)"
[ $check -eq 1 ] || opts="nocheck $opts"
[ -z "${DEB_BUILD_OPTIONS:-}" ] || opts="$opts $DEB_BUILD_OPTIONS"
echo "package.sh: building sobre $version from $what in $src" >&2
(cd "$src" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) || {
  tail -n 40 "$work/build.log" >&2
  echo "package.sh: dpkg-buildpackage failed (last lines above)" >&2
  exit 1
}
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
changes="$work/sobre_${version}_${arch}.changes"

if [ $lint -eq 1 ]; then
  # lintian's own checks of the packages; errors fail, warnings are shown
  if ! lintian --fail-on error --tag-display-limit 0 "$changes" >"$work/lintian.log" 2>&1; then
    cat "$work/lintian.log" >&2
    echo "package.sh: lintian found errors" >&2
    exit 1
  fi
  grep -v 'running with root privileges' "$work/lintian.log" | sed 's/^/lintian: /' >&2 || true
fi

mkdir -p "$out"
rm -f "$out"/sobre_* "$out"/sobre-dbgsym_* "$out"/libsobre0_* "$out"/libsobre0-dbgsym_* "$out"/libsobre-dev_*
# the packages (with their -dbgsym packages), .changes and .buildinfo, and the build log
cp "$work"/*.deb "$changes" "$work"/*.buildinfo "$out/"
cp "$work/build.log" "$out/sobre_${version}_${arch}.build"
out=$(cd "$out" && pwd)
for p in sobre libsobre0 libsobre-dev; do
  echo "$out/${p}_${version}_${arch}.deb"
done
echo "package.sh: on a host: apt install ./sobre_${version}_${arch}.deb ./libsobre0_${version}_${arch}.deb (from $out)" >&2
