#!/usr/bin/env bash
# Makes small synthetic test clips with the ffmpeg CLI (FFmpeg's lavfi sources), cached
# under $SOBRE_TMP/clips so every test can ask for them cheaply. Prints the path.
# Usage: clips.sh NAME      (see the case list below; unknown names fail)
# Tests never commit media: every clip here is generated.
set -euo pipefail
name=${1:?usage: clips.sh NAME}
dir=${SOBRE_TMP:-/tmp/sobre-test}/clips
mkdir -p "$dir"
ff() { ffmpeg -nostdin -v error -y "$@"; }
# A picture with motion and detail, and a tone with speech-like modulation.
V="testsrc2=size=%s:rate=%s:duration=%s"
A="sine=frequency=440:beep_factor=4:sample_rate=48000:duration=%s"

make() {
  local out=$1
  case "$name" in
    basic.mp4) # 2 s 320x240 25 fps H.264 + AAC stereo
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -ac 2 -shortest "$out" ;;
    hd.mp4) # 3 s 1280x720 30 fps, B-frames, H.264 + AAC
      ff -f lavfi -i "$(printf "$V" 1280x720 30 3)" -f lavfi -i "$(printf "$A" 3)" \
        -c:v libx264 -preset veryfast -bf 2 -pix_fmt yuv420p -c:a aac -ac 2 -shortest "$out" ;;
    odd.mkv) # 721x405, odd sizes
      ff -f lavfi -i "$(printf "$V" 721x405 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv444p -c:a libopus -shortest "$out" ;;
    sar.mp4) # 480x480 stored, SAR 4:3 -> displays as 640x480
      ff -f lavfi -i "$(printf "$V" 480x480 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -vf setsar=4/3 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$out" ;;
    sar89.mp4) # 720x480 stored, SAR 8:9 (NTSC 4:3) -> players show 720x540
      ff -f lavfi -i "$(printf "$V" 720x480 30000/1001 2)" -f lavfi -i "$(printf "$A" 2)" \
        -vf setsar=8/9 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$out" ;;
    sar1011.mkv) # 720x480 stored, SAR 10:11 (ITU NTSC 4:3) -> players show 720x528
      ff -f lavfi -i "$(printf "$V" 720x480 30000/1001 2)" -f lavfi -i "$(printf "$A" 2)" \
        -vf setsar=10/11 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$out" ;;
    rotated.mp4) # 320x240 stored, rotated 90 degrees by the display matrix
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$out.rot.mp4"
      ff -display_rotation 90 -i "$out.rot.mp4" -c copy "$out" 2>/dev/null || \
        ff -i "$out.rot.mp4" -c copy -metadata:s:v:0 rotate=90 "$out"
      rm -f "$out.rot.mp4" ;;
    vfr.mkv) # variable frame rate: frames at irregular times
      ff -f lavfi -i "$(printf "$V" 320x240 30 3)" -f lavfi -i "$(printf "$A" 3)" \
        -vf "select='lt(n\,20)+not(mod(n\,3))'" -fps_mode vfr \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$out" ;;
    vp8.webm) # 3 s 320x240 24 fps VP8 + Opus: the container has no colour tags, the VP8
      # decoder says BT.601 once it has decoded a picture (as Big Buck Bunny's WebM)
      ff -f lavfi -i "$(printf "$V" 320x240 24 3)" -f lavfi -i "$(printf "$A" 3)" \
        -c:v libvpx -deadline realtime -cpu-used 8 -g 24 -c:a libopus -shortest "$out" ;;
    start.ts) # MPEG-TS with a non-zero start time (10 s) and B-frames
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -bf 2 -pix_fmt yuv420p -c:a aac -output_ts_offset 10 \
        -shortest "$out" ;;
    mono.mp4) # mono audio
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -ac 1 -shortest "$out" ;;
    surround.mkv) # 5.1 audio
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -af "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0" \
        -shortest "$out" ;;
    noaudio.mp4) # video only
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$out" ;;
    audioonly.m4a) # audio only
      ff -f lavfi -i "$(printf "$A" 3)" -c:a aac "$out" ;;
    interlaced.mkv) # interlaced (top field first) MPEG-2
      ff -f lavfi -i "$(printf "$V" 720x576 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -vf "tinterlace=interleave_top,fieldorder=tff" -flags +ildct+ilme -c:v mpeg2video -b:v 3M \
        -c:a mp2 -shortest "$out" ;;
    subs.mkv) # video + audio + one subtitle stream (SubRip) + a chapter
      printf '1\n00:00:00,200 --> 00:00:01,000\nBonjour <b>tout</b> le monde\n\n2\n00:00:01,100 --> 00:00:01,900\nAu revoir\n' > "$dir/.subs.srt"
      printf ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=Début\n' > "$dir/.chap.txt"
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -f lavfi -i "$(printf "$A" 2)" -i "$dir/.subs.srt" \
        -i "$dir/.chap.txt" -map 0 -map 1 -map 2 -map_metadata 3 -map_chapters 3 \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -c:s srt -metadata:s:s:0 language=fra \
        -shortest "$out"
      rm -f "$dir/.subs.srt" "$dir/.chap.txt" ;;
    long.mp4) # 20 s 640x360: long enough to interrupt an encode half-way
      ff -f lavfi -i "$(printf "$V" 640x360 30 20)" -f lavfi -i "$(printf "$A" 20)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -ac 2 -shortest "$out" ;;
    random.bin) # 64 KiB of random bytes: seeded white noise as raw samples (1 s of s16 mono
      # at 32768 Hz; incompressible), the same on every run, so "not a media file" cannot
      # depend on the draw
      ff -f lavfi -i "anoisesrc=d=1:c=white:r=32768:a=1:seed=20261207" -ac 1 -f s16le "$out" ;;
    empty.mp4) # zero bytes
      : > "$out" ;;
    text.mp4) # a text file with a video extension
      printf 'this is not a video\n' > "$out" ;;
    truncated.mp4) # the first 40 % of basic.mp4 (moov atom at the end is lost)
      src=$("$0" basic.mp4); sz=$(stat -c %s "$src"); head -c $((sz * 4 / 10)) "$src" > "$out" ;;
    truncated.mkv) # the first 60 % of odd.mkv (playable prefix, cut mid-cluster)
      src=$("$0" odd.mkv); sz=$(stat -c %s "$src"); head -c $((sz * 6 / 10)) "$src" > "$out" ;;
    odd721.mkv) # really 721x405 (lavfi rounds odd sizes down unless the format is 4:4:4)
      ff -f lavfi -i "$(printf "$V" 721x405 25 2),format=yuv444p" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv444p -c:a libopus -shortest "$out" ;;
    truncfast.mp4) # MP4 with moov first (faststart), cut at 60 %: opens, data ends early
      ff -f lavfi -i "$(printf "$V" 320x240 25 3)" -f lavfi -i "$(printf "$A" 3)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest -movflags +faststart \
        "$out.src.mp4"
      sz=$(stat -c %s "$out.src.mp4"); head -c $((sz * 6 / 10)) "$out.src.mp4" > "$out"
      rm -f "$out.src.mp4" ;;
    cover.mp3) # MP3 with cover art (an attached picture is not a video)
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -frames:v 1 "$out.png"
      ff -f lavfi -i "$(printf "$A" 2)" -i "$out.png" -map 0 -map 1 -c:a libmp3lame -c:v copy \
        -disposition:v attached_pic -f mp3 "$out"
      rm -f "$out.png" ;;
    mjpeg.avi) # MJPEG in AVI: no field order in the headers (probe decodes one frame)
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -c:v mjpeg -f avi "$out" ;;
    # Hostile and unusual inputs for tests/hardening (1-2 s each, tiny sizes).
    mpeg2.mpg) # MPEG-2 video + MP2 in an MPEG program stream (DVD/broadcast archives)
      ff -f lavfi -i "$(printf "$V" 352x288 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v mpeg2video -b:v 1M -c:a mp2 -f vob -shortest "$out" ;;
    mpeg4.avi) # MPEG-4 part 2 (DivX era) + MP3 in AVI
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v mpeg4 -q:v 5 -c:a libmp3lame -shortest "$out" ;;
    cinepak.mov) # Cinepak (early QuickTime) with PCM audio
      ff -f lavfi -i "$(printf "$V" 160x120 12 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v cinepak -c:a pcm_s16le -shortest "$out" ;;
    nonidr.ts) # H.264 in MPEG-TS cut so that it starts inside a GOP (no IDR first)
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p -c:a aac -shortest -f mpegts "$out.src"
      sz=$(stat -c %s "$out.src"); tail -c $(( (sz / 188 - sz / 188 / 3) * 188 )) "$out.src" > "$out"
      rm -f "$out.src" ;;
    cutmid.ts) # MPEG-TS with its middle third removed (a damaged transfer)
      src=$("$0" start.ts); sz=$(stat -c %s "$src"); n=$((sz / 188))
      { head -c $(( n / 3 * 188 )) "$src"; tail -c $(( (n - 2 * n / 3) * 188 )) "$src"; } > "$out" ;;
    cutend.mp4) # faststart MP4 cut mid-file at 50 % (index says more than there is)
      src=$("$0" truncfast.mp4); sz=$(stat -c %s "$src"); head -c $((sz * 5 / 6)) "$src" > "$out" ;;
    hlg-untagged.mp4) # HEVC Main 10 whose pictures are HLG/BT.2020 but whose stream says
      # nothing of its colours: a Dolby Vision 8.4 base layer once its record is added
      ff -f lavfi -i "$(printf "$V" 320x180 25 2),format=yuv420p" \
        -vf "zscale=tin=bt709:pin=bt709:min=bt709:rin=tv:t=arib-std-b67:p=bt2020:m=bt2020nc:r=tv:npl=100,format=yuv420p10le,setparams=color_primaries=unknown:color_trc=unknown:colorspace=unknown" \
        -c:v libx265 -preset ultrafast -x265-params log-level=error -tag:v hvc1 "$out" ;;
    pq.mp4) # HEVC Main 10 PQ (HDR10) BT.2020, tagged, as a camera makes it (2 s 320x180)
      ff -f lavfi -i "$(printf "$V" 320x180 25 2),format=yuv420p" \
        -vf "zscale=tin=bt709:pin=bt709:min=bt709:rin=tv:t=smpte2084:p=bt2020:m=bt2020nc:r=tv:npl=100,format=yuv420p10le" \
        -c:v libx265 -preset ultrafast -x265-params log-level=error -tag:v hvc1 \
        -color_primaries bt2020 -color_trc smpte2084 -colorspace bt2020nc "$out" ;;
    10bit.mkv) # H.264 High 10, yuv420p10
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p10le -c:a libopus -shortest "$out" ;;
    422.mkv) # 4:2:2 8-bit (broadcast) H.264 High 4:2:2
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv422p -c:a libopus -shortest "$out" ;;
    444p10.mov) # ProRes-like 4:4:4 10-bit: FFV1 yuv444p10 in QuickTime
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v ffv1 -pix_fmt yuv444p10le -c:a pcm_s24le -shortest "$out" ;;
    layout3.mkv) # three channels without a standard layout, FLAC
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -af "pan=3c|c0=c0|c1=0.5*c0|c2=0.2*c0" \
        -c:a pcm_s16le -shortest "$out" ;;
    surround71.mkv) # 7.1 AC-3 is not possible: 7.1 as PCM in Matroska
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -af "pan=7.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0|c6=c0|c7=c0" \
        -c:a pcm_s16le -shortest "$out" ;;
    mono8k.mp4) # 8 kHz mono (telephone) audio
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=1" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -ac 1 -shortest "$out" ;;
    hi96k.mkv) # 96 kHz 24-bit stereo FLAC
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "sine=frequency=440:sample_rate=96000:duration=1" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a flac -sample_fmt s32 -ac 2 -shortest "$out" ;;
    phone.mp4) # phone-style VFR: 600 timescale, jittered frame times around 30 fps
      ff -f lavfi -i "$(printf "$V" 320x240 30 2)" -f lavfi -i "$(printf "$A" 2)" \
        -vf "setpts='(N/30+0.008*sin(N*1.7))/TB'" -fps_mode passthrough -video_track_timescale 600 \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$out" ;;
    jump.ts) # two MPEG-TS segments glued together: timestamps jump by one hour
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest -f mpegts "$out.a"
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest -output_ts_offset 3600 \
        -f mpegts "$out.b"
      cat "$out.a" "$out.b" > "$out"; rm -f "$out.a" "$out.b" ;;
    zeroaudio.mkv) # a video with an audio stream that has no packets at all
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -map 0:v -map 1:a -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a libopus \
        -af "atrim=end_sample=0" "$out" ;;
    noframes.mp4) # a video stream with no frames (zero-length)
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -frames:v 0 -c:v libx264 -preset ultrafast "$out" ;;
    tiny.mp4) # 16x16 pixels
      ff -f lavfi -i "$(printf "$V" 16x16 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$out" ;;
    uhd.mkv) # 3840x2160, three frames only
      ff -f lavfi -i "$(printf "$V" 3840x2160 25 1)" -frames:v 3 -c:v libx264 -preset ultrafast \
        -pix_fmt yuv420p "$out" ;;
    subsonly.mkv) # only a subtitle stream
      printf '1\n00:00:00,200 --> 00:00:01,000\nBonjour\n' > "$out.srt"
      ff -i "$out.srt" -c:s srt -f matroska "$out"; rm -f "$out.srt" ;;
    noparams.ts) # H.264 TS cut after its only SPS/PPS: the video cannot be decoded at all
      ff -f lavfi -i "$(printf "$V" 320x240 25 2)" -f lavfi -i "$(printf "$A" 2)" \
        -c:v libx264 -preset ultrafast -g 100 -pix_fmt yuv420p -c:a aac -shortest -f mpegts "$out.src"
      sz=$(stat -c %s "$out.src"); tail -c $(( (sz / 188 - sz / 188 / 3) * 188 )) "$out.src" > "$out"
      rm -f "$out.src" ;;
    rejoin.ts) # two MPEG-TS recordings with the same start time joined: the clock goes back
      ff -f lavfi -i "$(printf "$V" 320x240 25 1)" -f lavfi -i "$(printf "$A" 1)" \
        -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest -f mpegts "$out.a"
      cat "$out.a" "$out.a" > "$out"; rm -f "$out.a" ;;
    *) echo "clips.sh: unknown clip '$name'" >&2; return 2 ;;
  esac
}

out="$dir/$name"
if [ ! -e "$out" ]; then
  # Build under a temporary name so concurrent tests never see a half-written clip.
  tmp="$dir/.tmp.$$.$name"
  make "$tmp"
  mv -f "$tmp" "$out"
fi
echo "$out"
