#!/usr/bin/env bash
# The Debian packages, as an admin meets them: scripts/package.sh builds sobre, libsobre0
# and libsobre-dev from a clean copy of the tree; lintian finds no error; their files
# and their dependencies (computed by dpkg-shlibdeps) are checked; then they are
# installed on this machine with apt (`apt-get install ./sobre_X_amd64.deb ...`) and
# the installed sobre runs from /usr with its presets in /usr/share/sobre (--version,
# encode, footprint, publish, scripts/series-parallel.sh with `sobre` from PATH),
# `man -w` finds every page, bash-completion loads the completion, a program builds
# with `pkg-config sobre`; finally `apt-get purge` leaves no file of the packages.
#
# Other tests are not affected while the packages are installed: they run the build
# tree's sobre by absolute path ($SOBRE) with SOBRE_DATADIR set, and nothing of the
# suite looks `sobre` up in PATH. A trap purges the packages whatever happens, and a
# marker file lets the next run purge what a killed run left; packages installed by
# someone else are never touched (the test skips). One run at a time (a lock).
# Needs root (apt); skipped otherwise. Tools from scripts/deps/package.apt: skipped
# without them, failed under CI=true.
# SOBRE_TEST_DPKG_EXCLUDE_MAN=1 installs as on a "slim" Debian image whose dpkg
# configuration excludes /usr/share/man (the test then re-includes sobre's pages).
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
need dpkg-buildpackage dh dpkg-shlibdeps lintian help2man man apt-get pkg-config cc ffmpeg flock parallel
BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || missing "bash-completion missing (scripts/deps/package.apt)"
[ "$(id -u)" -eq 0 ] || missing "installing packages needs root"

PKGS=(sobre libsobre0 libsobre-dev)
MARK=/var/lib/sobre-package-test.installed
exec {lockfd}>/run/lock/sobre-package-test.lock
flock -w 900 $lockfd || { echo "another package test holds /run/lock/sobre-package-test.lock"; exit 1; }
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^.i'; }
purge() {
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${PKGS[@]}" >"$1" 2>&1
}
for p in "${PKGS[@]}"; do
  if installed "$p"; then
    if [ -e "$MARK" ]; then
      echo "purging what an interrupted run left"
      purge /dev/null
      break
    fi
    echo "$p is installed on this machine (not by this test): not touching it"
    exit 77
  fi
done
rm -f "$MARK"

mkdir -p "${SOBRE_TMP:-/tmp}"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/package.XXXXXX") || exit 1
cleanup() {
  if [ -e "$MARK" ]; then
    purge /dev/null
    rm -f "$MARK"
  fi
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started=$(date +%s)
V=$(sed -n 's/^project(sobre VERSION \([0-9.]*\).*/\1/p' "$SOBRE_SRC/CMakeLists.txt")
ARCH=$(dpkg --print-architecture)
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
cmds=$("$SOBRE" --help | awk '/^Commands:/ {on = 1; next} on && /^[[:space:]]*$/ {exit} on && /^ +[a-z]/ {print $1}')

# --- build from a clean copy (package.sh's own lintian run is left to the check below)
t0=$(date +%s)
run "$SOBRE_SRC/scripts/package.sh" -o "$T/debs" --no-lintian
expect_status 0
echo "package build: $(($(date +%s) - t0)) s"
for p in "${PKGS[@]}"; do
  expect_out "$T/debs/${p}_${V}_${ARCH}.deb"
  expect_file "$T/debs/${p}_${V}_${ARCH}.deb"
done
deb() { echo "$T/debs/${1}_${V}_${ARCH}.deb"; }
[ -s "$(deb sobre)" ] || finish

# --- lintian: no error
lintian --fail-on error --tag-display-limit 0 "$T/debs/sobre_${V}_${ARCH}.changes" >"$T/lintian" 2>&1
rc=$?
grep -v 'running with root privileges' "$T/lintian" | sed 's/^/lintian: /'
check "lintian exit status $rc" test $rc -eq 0
check "lintian errors: $(grep '^E:' "$T/lintian" | head -5)" test -z "$(grep '^E:' "$T/lintian")"
echo "lintian: $(grep -c '^E:' "$T/lintian") errors, $(grep -c '^W:' "$T/lintian") warnings"

# --- what each package holds
for p in "${PKGS[@]}"; do
  check "$p version" test "$(dpkg-deb -f "$(deb "$p")" Version)" = "$V"
  dpkg-deb -c "$(deb "$p")" | awk '{print $6}' | sed 's|^\./|/|; s|/$||' >"$T/$p.files"
  check "$p: files outside /usr: $(grep -v -e '^/usr' -e '^$' "$T/$p.files" | head -3)" \
    test -z "$(grep -v -e '^/usr' -e '^$' "$T/$p.files")"
  echo "$p: $(stat -c %s "$(deb "$p")") bytes, installed $(dpkg-deb -f "$(deb "$p")" Installed-Size) KiB"
done
has() { check "$1 lacks $2" grep -qxF "$2" "$T/$1.files"; }
has sobre /usr/bin/sobre
has sobre /usr/share/bash-completion/completions/sobre
has sobre /usr/share/doc/sobre/copyright
has sobre /usr/share/man/man1/sobre.1.gz
for c in $cmds; do has sobre "/usr/share/man/man1/sobre-$c.1.gz"; done
while read -r f; do has sobre "/usr/share/sobre/$f"; done < <(cd "$SOBRE_SRC" && find presets -type f | sort)
has libsobre0 "/usr/lib/$MA/libsobre.so.0"
for h in "$SOBRE_SRC"/lib/include/sobre/*.h; do has libsobre-dev "/usr/include/sobre/$(basename "$h")"; done
has libsobre-dev /usr/include/sobre/version.h
has libsobre-dev "/usr/lib/$MA/libsobre.so"
has libsobre-dev "/usr/lib/$MA/libsobre.a"
has libsobre-dev "/usr/lib/$MA/pkgconfig/sobre.pc"

# --- dependencies: computed (no package typed in debian/control for sobre and libsobre0)
for p in sobre libsobre0; do
  typed=$(awk -v p="$p" '/^Package:/ {on = ($2 == p)} on && /^Depends:/' "$SOBRE_SRC/debian/control" |
    sed 's/^Depends://; s/\${[^}]*}//g; s/[ ,]//g')
  check "$p: Depends typed by hand in debian/control: $typed" test -z "$typed"
done
# libavfilter is opened at run time (HDR sources only): shlibdeps cannot see it, so
# libsobre0 recommends the library its headers were built for
rec_lib=$(dpkg-deb -f "$(deb libsobre0)" Recommends)
check "libsobre0 recommends libavfilter8 (dlopen for the colour conversion): $rec_lib" \
  test "$rec_lib" = libavfilter8
dep_sobre=$(dpkg-deb -f "$(deb sobre)" Depends)
dep_lib=$(dpkg-deb -f "$(deb libsobre0)" Depends)
echo "sobre Depends: $dep_sobre"
echo "libsobre0 Depends: $dep_lib"
check "sobre needs its own libsobre0: $dep_sobre" grep -qF "libsobre0 (= $V)" <<<"$dep_sobre"
check "sobre needs libc6: $dep_sobre" grep -qE '(^|, )libc6 ' <<<"$dep_sobre"
for l in 'libavcodec[0-9]+' 'libavformat[0-9]+' 'libavutil[0-9]+' 'libswscale[0-9]+' \
  'libswresample[0-9]+' 'libyaml-0-2' 'libjansson4' 'libcsv3' 'libc6'; do
  check "libsobre0 Depends lacks $l: $dep_lib" grep -qE "(^|, )$l( |,|$)" <<<"$dep_lib"
done

# --- install, as on a host: apt install ./sobre_X_amd64.deb ./libsobre0_X_amd64.deb ...
aptopts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300)
if [ "${SOBRE_TEST_DPKG_EXCLUDE_MAN:-}" = 1 ]; then
  aptopts+=(-o 'DPkg::Options::=--path-exclude=/usr/share/man/*')
fi
# A dpkg configured not to install man pages (docker "slim" images) would leave `man -w`
# nothing to find: sobre's own pages are included again, as on a full Debian.
if [ "${SOBRE_TEST_DPKG_EXCLUDE_MAN:-}" = 1 ] ||
  grep -qsE '^[[:space:]]*path-exclude[=[:space:]]+/usr/share/man' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/*; then
  echo "dpkg excludes /usr/share/man here: including sobre's man pages"
  aptopts+=(-o 'DPkg::Options::=--path-include=/usr/share/man/man1/sobre*')
fi
touch "$MARK"
t0=$(date +%s)
(cd "$T/debs" && DEBIAN_FRONTEND=noninteractive apt-get install "${aptopts[@]}" \
  "./sobre_${V}_${ARCH}.deb" "./libsobre0_${V}_${ARCH}.deb" "./libsobre-dev_${V}_${ARCH}.deb") >"$T/install" 2>&1
rc=$?
check "apt-get install: status $rc: $(tail -n 5 "$T/install")" test $rc -eq 0
echo "install: $(($(date +%s) - t0)) s"
for p in "${PKGS[@]}"; do check "$p not installed" installed $p; done
check "dpkg -s libsobre0 Depends: libavcodec" bash -c "dpkg -s libsobre0 | grep '^Depends:' | grep -q libavcodec"
installed sobre || finish

# the installed sobre, as a user's shell finds it: no SOBRE_DATADIR, from another folder
U=(env -u SOBRE_DATADIR -u LD_LIBRARY_PATH)
mkdir -p "$T/user"
cd "$T/user" || exit 1
run "${U[@]}" bash -c 'command -v sobre'
check "sobre in PATH is /usr/bin/sobre: $_out" test "$_out" = /usr/bin/sobre
run "${U[@]}" /usr/bin/sobre --version
expect_status 0; expect_out "sobre $V"
libpath=$(ldd /usr/bin/sobre | awk '$1 == "libsobre.so.0" {print $3}')
check "/usr/bin/sobre uses the installed libsobre: $libpath" \
  test "$(realpath -m "$libpath")" = "$(realpath -m "/usr/lib/$MA/libsobre.so.0")"
check "compiled-in data folder is /usr/share/sobre" grep -qaF /usr/share/sobre /usr/bin/sobre
clip=$("$SOBRE_SRC/tests/lib/clips.sh" basic.mp4)
run "${U[@]}" /usr/bin/sobre encode "$clip" -o "$T/user/ep" --preset minimal --quality off -q --title "Épisode"
expect_status 0
expect_file "$T/user/ep/report.json"
n=0
for f in "$T/user/ep"/*.webm; do
  [ -e "$f" ] || continue
  n=$((n + 1))
  check "$f decodes" bash -c "ffmpeg -nostdin -v error -xerror -i '$f' -f null - 2>&1 | grep -q . && exit 1 || exit 0"
done
check "minimal preset: 2 renditions (audio, vp9-480p), got $n" test $n -eq 2
run "${U[@]}" /usr/bin/sobre footprint "$T/user/ep" --factors eu-2024 --device laptop
expect_status 0; expect_out "eu-2024"
run "${U[@]}" /usr/bin/sobre publish "$T/user/ep" -o "$T/user/site" -q
expect_status 0
expect_file "$T/user/site/index.html"
expect_file "$T/user/site/style.css"
for f in style.css sobre.js; do
  check "site file $f is the installed one" cmp -s "$T/user/site/$f" "/usr/share/sobre/presets/site/$f"
done
# the administrator's kit sits beside the site, never inside it (docs/publish.md)
for f in .htaccess web.config nginx-sobre.conf; do
  check "admin file $f is the installed one" cmp -s "$T/user/site-admin/$f" "/usr/share/sobre/presets/site/$f"
  check "admin file $f is not served" test ! -e "$T/user/site/$f"
done
expect_file "$T/user/site-admin/LISEZMOI-ADMIN.txt"
# the many-machines route of docs/batch.md: series-parallel.sh's defaults run `sobre`
# from PATH on each host (here ':', this machine through GNU Parallel): the installed one
mkdir -p "$T/user/serie"
cp "$clip" "$T/user/serie/un.mp4"
printf 'file,title,id\nun.mp4,Un,un\n' >"$T/user/serie/serie.csv"
run "${U[@]}" PARALLEL_HOME="$T/user/parallel-home" "$SOBRE_SRC/scripts/series-parallel.sh" \
  "$T/user/serie/serie.csv" -o "$T/user/out" -S : -p minimal --quality off -q
expect_status 0
expect_file "$T/user/out/un/report.json"

# man pages
for c in "" $cmds; do
  page=sobre${c:+-$c}
  run man -w "$page"
  expect_status 0; expect_out "/usr/share/man/man1/$page.1.gz"
done
run env MANWIDTH=100 man -P cat sobre-encode
expect_out "--target-ssim"

# completion: registered when the file is sourced, found by bash-completion's loader, works
run bash -c ". $BC; . /usr/share/bash-completion/completions/sobre; complete -p sobre"
expect_status 0; expect_out "complete -F _sobre sobre"
run env HOME="$T/user" bash -c ". $BC; __load_completion sobre && complete -p sobre"
expect_status 0; expect_out "complete -F _sobre sobre"
comp() {
  "${U[@]}" HOME="$T/user" bash -c ". $BC; __load_completion sobre
    COMP_WORDS=(\"\$@\"); COMP_CWORD=\$((\$# - 1)); COMP_LINE=\"\$*\"; COMP_POINT=\${#COMP_LINE}
    _sobre sobre \"\${COMP_WORDS[COMP_CWORD]}\"; printf '%s\n' \"\${COMPREPLY[@]}\"" _ "$@" | sort | tr '\n' ' '
}
mkdir -p "$T/user/empty"
cd "$T/user/empty" || exit 1
check "completion of commands: $(comp sobre e)" test "$(comp sobre e)" = "encode "
check "completion of options: $(comp sobre encode --pr)" test "$(comp sobre encode --pr)" = "--preset --progress "
check "completion of installed presets: $(comp sobre encode --preset "")" test "$(comp sobre encode --preset "")" = "default minimal "
check "completion of installed factors: $(comp sobre footprint --factors "")" test "$(comp sobre footprint --factors "")" = "eu-2024 fr-2024 "
cd "$T/user" || exit 1

# libsobre-dev: a program built with pkg-config against /usr
cat >"$T/app.c" <<'EOC'
#include <stdio.h>
#include <sobre/common.h>
int main(void)
{
    printf("sobre %s\n", sobre_version());
    return 0;
}
EOC
flags=$(env -u PKG_CONFIG_PATH pkg-config --cflags --libs sobre)
check "pkg-config sobre: libdir is /usr/lib/$MA" test "$(realpath -m "$(env -u PKG_CONFIG_PATH pkg-config --variable=libdir sobre)")" = "/usr/lib/$MA"
run cc -std=c11 -Wall -Werror -o "$T/app" "$T/app.c" $flags
expect_status 0
run "${U[@]}" "$T/app"
expect_status 0; expect_out "sobre $V"

# --- purge: nothing of the packages is left
for p in "${PKGS[@]}"; do dpkg -L "$p" >>"$T/owned" 2>/dev/null; done
cd "$SOBRE_SRC" || exit 1
purge "$T/purge"
rc=$?
check "apt-get purge: status $rc: $(tail -n 5 "$T/purge")" test $rc -eq 0
for p in "${PKGS[@]}"; do check "$p still known to dpkg after purge" bash -c "! dpkg-query -W '$p' >/dev/null 2>&1"; done
left=""
while read -r f; do
  [ -n "$f" ] || continue
  # shared folders (/usr/share/man/man1...) stay; sobre's own go
  if [ -d "$f" ] && [ ! -L "$f" ]; then
    case $f in */sobre | */sobre/* | */libsobre* | */sobre-*) ;; *) continue ;; esac
  fi
  [ -e "$f" ] || [ -L "$f" ] && left="$left $f"
done <"$T/owned"
check "left after purge:$left" test -z "$left"
check "/usr/bin/sobre gone" test ! -e /usr/bin/sobre
check "the packages listed files ($(wc -l <"$T/owned"))" test "$(wc -l <"$T/owned")" -gt 40
rm -f "$MARK"
echo "package test: $(($(date +%s) - started)) s"
finish
