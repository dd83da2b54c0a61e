#!/usr/bin/env bash
# `cmake --install` gives a usable library and CLI: a program built with
# `pkg-config --cflags --libs sobre` links and runs, and the installed `sobre` finds its
# presets without the source tree's help.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
: "${SOBRE_BUILD:?}"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/install.XXXXXX")
trap 'rm -rf "$T"' EXIT

run cmake --install "$SOBRE_BUILD" --prefix "$T/prefix"
expect_status 0
expect_file "$T/prefix/include/sobre/encode.h"
expect_file "$T/prefix/share/sobre/presets/ladders/default.yaml"
cat > "$T/app.c" <<'EOC'
#include <stdio.h>
#include <sobre/common.h>
#include <sobre/preset.h>
int main(int argc, char **argv)
{
    SobreLadder *l = NULL;
    SobreError err = {0, ""};
    if (argc > 1 && sobre_ladder_load(&l, argv[1], &err) < 0) {
        fprintf(stderr, "%s\n", err.detail);
        return 1;
    }
    printf("sobre %s, %d rungs\n", sobre_version(), l ? l->nb_rungs : 0);
    sobre_ladder_free(&l);
    return 0;
}
EOC
flags=$(PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig" pkg-config --cflags --libs sobre)
check "pkg-config knows sobre ($flags)" test -n "$flags"
# a sanitizer build's library needs its runtime first: build the program the same way
san=""
ldd "$T/prefix/lib/libsobre.so" | grep -q libasan && san="-fsanitize=address,undefined"
run cc -std=c11 -Wall -Werror $san -o "$T/app" "$T/app.c" $flags
expect_status 0
run env LD_LIBRARY_PATH="$T/prefix/lib" "$T/app" "$T/prefix/share/sobre/presets/ladders/default.yaml"
expect_status 0; expect_out "sobre 0.1.0, 7 rungs"

# the installed CLI, moved away from its prefix, still finds the presets
mv "$T/prefix" "$T/moved"
run env -u SOBRE_DATADIR LD_LIBRARY_PATH="$T/moved/lib" "$T/moved/bin/sobre" encode -q --preset minimal \
  "$SOBRE_SRC/tests/data/captions.vtt" -o "$T/ep"
expect_err "captions.vtt"   # found the preset, then refused the non-media input
run env -u SOBRE_DATADIR LD_LIBRARY_PATH="$T/moved/lib" "$T/moved/bin/sobre" --version
expect_status 0; expect_out "sobre 0.1.0"
finish
