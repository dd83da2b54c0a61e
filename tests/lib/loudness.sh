# Loudness test helpers (source it): ffmpeg's own measurement, and speech clips at known
# levels. ffmpeg's ebur128 filter is an implementation independent of libebur128, which
# sobre uses: the checks measure sobre's outputs with it, not with sobre.

# ff_loud FILE: "I LRA TP" as ffmpeg's ebur128 filter (peak=true) prints them, first audio
# stream.
ff_loud() {
  ffmpeg -nostdin -hide_banner -i "$1" -map 0:a:0 -af ebur128=peak=true -f null - 2>&1 |
    awk '/Summary/ { s = 1 } s && / I:/ { i = $2 } s && /LRA:/ { l = $2 } s && /Peak:/ { p = $2 }
         END { print i, l, p }'
}

# stream_end FILE SEL: where stream SEL (a:0, v:0) ends, in seconds: its latest packet's
# pts + duration (in presentation order, so B-frames do not matter)
stream_end() {
  ffprobe -v error -select_streams "$2" -show_entries packet=pts_time,duration_time -of csv=p=0 "$1" |
    grep , | sort -t, -k1,1g | tail -n 1 | awk -F, '{ print $1 + $2 }'
}

# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
# le A B: A <= B
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# speech_clip OUT GAIN_DB [VIDEO]: French speech from espeak-ng (Debian), 6 s, stereo
# 48 kHz PCM, scaled by GAIN_DB (espeak speaks at about -22 LUFS), with a small video when
# VIDEO is 1; cached under $SOBRE_TMP/clips. EXTRA_AF adds filters after the gain.
speech_clip() {
  local out=$1 gain=$2 video=${3:-0} dir=${SOBRE_TMP:-/tmp/sobre-test}/clips src
  mkdir -p "$dir"
  src="$dir/speech.wav"
  if [ ! -s "$src" ]; then
    espeak-ng -v fr -s 150 -w "$src.$$.tmp" "Bonjour. Ceci est un épisode sur le numérique \
responsable. Nous parlons de vidéo sobre, de son, et de ce qui pèse sur le réseau." &&
      mv "$src.$$.tmp" "$src"
  fi
  local af="aresample=48000,pan=stereo|c0=c0|c1=c0,apad,atrim=0:6,volume=${gain}dB${EXTRA_AF:+,$EXTRA_AF}"
  if [ "$video" = 1 ]; then
    ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=320x180:rate=25:duration=6" \
      -i "$src" -filter_complex "[1:a]$af[a]" -map 0:v -map "[a]" -c:v libx264 -preset ultrafast \
      -pix_fmt yuv420p -c:a pcm_s16le -shortest "$out"
  else
    ffmpeg -nostdin -v error -y -i "$src" -af "$af" -c:a pcm_s16le "$out"
  fi
}
