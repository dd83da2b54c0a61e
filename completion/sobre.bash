# bash completion for sobre(1)                                      -*- shell-script -*-
# Installed as .../share/bash-completion/completions/sobre, which bash-completion loads
# the first time `sobre` is completed.
#
# Nothing here lists commands or options: they are read from the sobre being completed,
# `sobre --help` (its "Commands:" table) and `sobre CMD --help` (every option it shows,
# with the placeholder of its argument), once per shell and binary. Values: preset and
# factor names from the data folder, rung ids from the preset on the line, episode ids
# from `sobre batch SERIES --list`, the words of a placeholder such as fr|en, the fixed
# choices of _sobre_choices, files and folders. tests/cli/test_man_completion.sh checks
# all of it against the CLI.

declare -gA _sobre_help_cache 2>/dev/null

# _sobre_help BINARY [COMMAND]: the help text, cached (the key has the binary's mtime).
_sobre_help()
{
    local bin=$1 cmd=${2-} stamp key
    stamp=$(stat -L -c %Y -- "$bin" 2>/dev/null) || return 1
    key="$bin|$stamp|$cmd"
    if [[ -z ${_sobre_help_cache[$key]+set} ]]; then
        _sobre_help_cache[$key]=$(LC_ALL=C.UTF-8 "$bin" ${cmd:+"$cmd"} --help 2>/dev/null)
    fi
    printf '%s\n' "${_sobre_help_cache[$key]}"
}

# _sobre_commands BINARY: the names of the "Commands:" table of `sobre --help`.
_sobre_commands()
{
    _sobre_help "$1" | awk '/^Commands:/ {on = 1; next}
        on && /^[[:space:]]*$/ {exit}
        on && /^ +[a-z]/ {print $1}'
}

# _sobre_options BINARY [COMMAND]: one line per option, "OPTION" or "OPTION PLACEHOLDER".
# Option lines of --help ("  -o, --output DIR   ...", "-f/--force", several options on
# one line) give the options and what follows each; the long options named anywhere else
# in the text (e.g. "--json = --format json") are added without a placeholder.
_sobre_options()
{
    _sobre_help "$1" "${2-}" | awk '
        function add(o, a) {
            if (!(o in seen)) { seen[o] = 1; order[++n] = o }
            if (a != "") arg[o] = a
        }
        /^ +-/ {
            tag = $0
            sub(/^ +/, "", tag)
            if (match(tag, /  /)) tag = substr(tag, 1, RSTART - 1)
            np = 0
            m = split(tag, w, /[ ,]+/)
            for (i = 1; i <= m; i++) {
                t = w[i]
                if (t == "") continue
                if (t ~ /^--?[A-Za-z]/) {
                    v = ""
                    if (match(t, /=/)) { v = substr(t, RSTART + 1); t = substr(t, 1, RSTART - 1) }
                    k = split(t, alt, "/")
                    for (j = 1; j <= k; j++) if (alt[j] ~ /^--?[A-Za-z]/) { add(alt[j], v); pend[++np] = alt[j] }
                    if (v != "") np = 0
                } else {
                    for (j = 1; j <= np; j++) add(pend[j], t)
                    np = 0
                }
            }
        }
        {
            s = $0
            while (match(s, /(^|[^A-Za-z0-9-])--[a-z][a-z0-9-]*/)) {
                o = substr(s, RSTART, RLENGTH)
                sub(/^[^-]/, "", o)
                add(o, "")
                s = substr(s, RSTART + RLENGTH)
            }
        }
        END { for (i = 1; i <= n; i++) print order[i] (arg[order[i]] != "" ? " " arg[order[i]] : "") }'
}

# _sobre_choices COMMAND OPTION: fixed values that the option's placeholder does not list.
_sobre_choices()
{
    case $1:$2 in
        *:--progress) echo auto json none ;;
        *:--quality) echo full off ;;
        *:--segments) echo auto on off ;;
        *:--enable) echo all ;;
        footprint:--device) echo smartphone tablet laptop desktop tv ;;
        footprint:--network) echo fixed-fr mobile-4g-fr 5g-fr fixed-eu mobile-eu ;;
        footprint:--method) echo ademe attributional power swd4 onebyte ;;
        footprint:--format) echo text csv json md ;;
    esac
}

# _sobre_datadir BINARY: the folder holding presets/, looked up as sobre does.
_sobre_datadir()
{
    local d
    for d in "${SOBRE_DATADIR-}" "${1%/*}/../share/sobre" /usr/share/sobre /usr/local/share/sobre; do
        if [[ -n $d && -d $d/presets ]]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    return 1
}

# _sobre_names BINARY KIND: the preset (ladders) or factors names, file names without .yaml.
_sobre_names()
{
    local d f
    d=$(_sobre_datadir "$1") || return
    for f in "$d/presets/$2"/*.yaml; do
        [[ -f $f ]] || continue
        f=${f##*/}
        printf '%s\n' "${f%.yaml}"
    done
}

# _sobre_rungs BINARY: the rung ids of the preset given on the line (-p/--preset), else
# of the default preset.
_sobre_rungs()
{
    local preset=default i file d
    for ((i = 1; i < ${#words[@]} - 1; i++)); do
        case ${words[i]} in
            -p | --preset) preset=${words[i + 1]} ;;
            --preset=*) preset=${words[i]#--preset=} ;;
        esac
    done
    if [[ $preset == */* || $preset == *.y*ml ]]; then
        file=$preset
    else
        d=$(_sobre_datadir "$1") || return
        file=$d/presets/ladders/$preset.yaml
    fi
    [[ -r $file ]] && sed -n 's/^[[:space:]]*-[[:space:]]*id:[[:space:]]*\([A-Za-z0-9_-]*\).*/\1/p' "$file"
}

# _sobre_value BINARY COMMAND OPTION PLACEHOLDER: completes the argument of OPTION.
_sobre_value()
{
    local bin=$1 cmd=$2 opt=$3 ph=$4 words_list="" prefix="" word=$cur i series=""
    case $opt in
        -p | --preset)
            COMPREPLY=($(compgen -W "$(_sobre_names "$bin" ladders)" -- "$cur"))
            _filedir '@(yaml|yml)'
            return ;;
        --factors)
            COMPREPLY=($(compgen -W "$(_sobre_names "$bin" factors)" -- "$cur"))
            _filedir '@(yaml|yml)'
            return ;;
        -c | --captions) _filedir vtt; return ;;
        --svg) _filedir svg; return ;;
        --enable | --only) words_list=$(_sobre_rungs "$bin") ;;
        --episode)
            # the series: the first argument of `batch` that is not an option's value
            for ((i = cmdi + 1; i < cword; i++)); do
                if [[ ${words[i]} == -* ]]; then
                    [[ ${words[i]} != *=* ]] &&
                        awk -v o="${words[i]}" '$1 == o && NF > 1 {f = 1} END {exit !f}' <<<"$options" &&
                        ((i++))
                    continue
                fi
                series=${words[i]}
                break
            done
            [[ -n $series && -e $series ]] &&
                words_list=$("$bin" batch "$series" --list 2>/dev/null | cut -f1) ;;
    esac
    words_list+=" $(_sobre_choices "$cmd" "$opt")"
    # a placeholder made of lower-case words, e.g. fr|en or full|off
    [[ $ph =~ ^[a-z0-9-]+(\|[a-z0-9-]+)+$ ]] && words_list+=" ${ph//|/ }"
    if [[ -n ${words_list// /} ]]; then
        # lists: --enable av1-720p,vp9-1080p, --device laptop,tv
        case $opt in
            --enable | --only | --device | --network)
                if [[ $cur == *,* ]]; then
                    prefix=${cur%,*},
                    word=${cur##*,}
                fi ;;
        esac
        words_list=$(printf '%s\n' $words_list | awk '!seen[$0]++')
        COMPREPLY=($(compgen -P "$prefix" -W "$words_list" -- "$word"))
        return
    fi
    case $ph in
        *DIR* | SITE) _filedir -d ;;
        *FILE* | *PATH*) _filedir ;;
    esac
}

_sobre()
{
    local cur prev words cword split
    _init_completion -s || return

    local bin=${words[0]} cmd="" cmdi=0 i
    [[ $bin == \~/* ]] && bin=$HOME/${bin#\~/}
    bin=$(type -P -- "$bin") || return
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} != -* ]]; then
            cmd=${words[i]} cmdi=$i
            break
        fi
    done

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_sobre_options "$bin" | cut -d' ' -f1)" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_sobre_commands "$bin")" -- "$cur"))
        fi
        return
    fi

    local options ph=""
    options=$(_sobre_options "$bin" "$cmd")
    [[ $prev == -* ]] &&
        ph=$(awk -v o="$prev" '$1 == o {print $2; exit}' <<<"$options")
    if [[ -n $ph ]]; then
        _sobre_value "$bin" "$cmd" "$prev" "$ph"
        return
    fi
    # --flag=... for an option that takes no value
    [[ $split == true ]] && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(cut -d' ' -f1 <<<"$options")" -- "$cur"))
        return
    fi
    # the command's own arguments
    case $cmd in
        batch) _filedir csv ;;
        footprint) _filedir json ;;
        publish | plan) _filedir -d ;;
        *) _filedir ;;
    esac
} &&
    complete -F _sobre sobre

# ex: filetype=sh
