#!/usr/bin/env bash
# The architecture the build promises (docs/architecture.md), checked on the built tree:
#   - no pure module includes an FFmpeg header (source scan) or references an FFmpeg
#     symbol (nm on its objects; the link check program enforces it at build time too);
#   - the poison headers really stop a pure module from including FFmpeg: a file with
#     #include <libavutil/avutil.h> fails to compile with the pure modules' include path;
#   - libsobre.so exports exactly the functions declared in lib/include/sobre/ (hidden
#     visibility, SOBRE_API), nothing else;
#   - libsobre.so does not link libavfilter (loaded only for a colour conversion) and
#     references none of its functions.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
: "${SOBRE_PURE_MODULES:?}" "${SOBRE_PURE_OBJECTS_FILE:?}" "${SOBRE_POISON_DIR:?}" "${SOBRE_LIBSO:?}"
need nm readelf "${SOBRE_CC:-cc}"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/arch.XXXXXX")
trap 'rm -rf "$T"' EXIT
ffre='^(av|avcodec|avformat|avio|avfilter|sws|swr|swri|postproc)_'

# 1. sources of the pure modules: no FFmpeg include
check "pure modules listed ($SOBRE_PURE_MODULES)" test "$(wc -w <<<"${SOBRE_PURE_MODULES//,/ }")" -ge 8
for m in ${SOBRE_PURE_MODULES//,/ }; do
  hits=$(grep -nE '#[[:space:]]*include[[:space:]]*[<"](libav|libsw|libpostproc)' \
    "$SOBRE_SRC/lib/src/$m"/*.[ch] 2>/dev/null)
  check "pure module $m includes no FFmpeg header: $hits" test -z "$hits"
done

# 2. objects of the pure modules: no undefined FFmpeg symbol
mapfile -t objs < <(tr ';' '\n' <"$SOBRE_PURE_OBJECTS_FILE" | sed '/^$/d')
check "pure objects listed (${#objs[@]})" test "${#objs[@]}" -gt 10
for o in "${objs[@]}"; do
  bad=$(nm -u "$o" | awk '{print $2}' | grep -E "$ffre")
  check "$(basename "$o") references no FFmpeg symbol: $bad" test -z "$bad"
done

# 3. the poison headers bite: a pure file that includes FFmpeg does not compile
printf '#include <libavutil/avutil.h>\nint f(void);\nint f(void) { return 0; }\n' >"$T/bad.c"
"${SOBRE_CC:-cc}" -c -I"$SOBRE_POISON_DIR" -I"$SOBRE_SRC/lib/include" "$T/bad.c" -o "$T/bad.o" \
  2>"$T/bad.err"
rc=$?
check "a pure file including <libavutil/avutil.h> fails to compile (status $rc)" test $rc -ne 0
expect_file_contains "$T/bad.err" "a pure sobre module may not use FFmpeg"
# ... while the same file compiles without the guard (the test above is not vacuous)
"${SOBRE_CC:-cc}" -c -I"$SOBRE_SRC/lib/include" "$T/bad.c" -o "$T/good.o" 2>"$T/good.err"
check "without the guard it compiles: $(cat "$T/good.err")" test $? -eq 0

# 4. exports == the public headers' functions
nm -D --defined-only "$SOBRE_LIBSO" | awk '$2 == "T" {print $3}' | sort -u >"$T/exported"
sed -n 's/.*SOBRE_API[^(]*[ *]\(sobre_[a-z0-9_]*\)(.*/\1/p' "$SOBRE_SRC"/lib/include/sobre/*.h |
  sort -u >"$T/declared"
check "exported functions listed ($(wc -l <"$T/exported"))" test "$(wc -l <"$T/exported")" -gt 50
extra=$(comm -23 "$T/exported" "$T/declared" | tr '\n' ' ')
missing=$(comm -13 "$T/exported" "$T/declared" | tr '\n' ' ')
check "libsobre.so exports nothing undeclared: $extra" test -z "$extra"
check "every declared function is exported: $missing" test -z "$missing"
other=$(nm -D --defined-only "$SOBRE_LIBSO" | awk '$2 != "T" && $2 != "A" {print $3}' | tr '\n' ' ')
check "no exported data or other symbols: $other" test -z "$other"

# 5. libavfilter on demand: not needed at load time, no symbol of it referenced
needed=$(readelf -d "$SOBRE_LIBSO" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
check "libsobre.so needs libavcodec ($needed)" grep -q libavcodec <<<"$needed"
check "libsobre.so does not need libavfilter ($needed)" test -z "$(grep -o 'libavfilter[^ ]*' <<<"$needed")"
af=$(nm -D --undefined-only "$SOBRE_LIBSO" | awk '{print $2}' | grep -E '^(avfilter_|av_buffersrc_|av_buffersink_)' | tr '\n' ' ')
check "libsobre.so references no libavfilter function: $af" test -z "$af"
finish
