/* Output files: muxer set-up under a temporary name, packet writing with time-base
 * rescaling (and a tally of what each stream was given), the RFC 6381 codec strings the
 * site's <source type> needs, and the container check every output passes before it takes
 * its final name (output.c). Knows nothing of the job. */
#ifndef SOBRE_PIPELINE_OUTPUT_H
#define SOBRE_PIPELINE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "error.h"
#include "loudmeter.h"
#include "sobre/preset.h"

#define OUTPUT_MAX_STREAMS 2 /* a video and an audio stream */

/* What one stream was given, to compare with what the finished file gives back. */
typedef struct OutputTally {
    int64_t packets;
    uint32_t crc; /* CRC-32 of the payloads as the container stores them */
    int64_t end;  /* largest pts + duration written, stream time base */
    int reframed; /* H.264 from Annex B into MP4: the muxer rewrites start codes as sizes */
    int opaque;   /* the muxer changes the payloads in ways not mirrored here (AV1 OBUs) */
} OutputTally;

/* One output file being written (video rendition or audio-only rendition). */
typedef struct Output {
    AVFormatContext *fmt;
    char tmp_path[4096];   /* .sobre/<id>.part */
    char final_path[4096]; /* EPISODE_DIR/<file> */
    int vstream, astream;  /* stream indexes, -1 if none */
    AVRational atb;        /* time base of the audio packets it receives */
    int header_written;
    OutputTally tally[OUTPUT_MAX_STREAMS]; /* by stream index */
} Output;

int sobre_output_open(Output *o, const char *tmp_path, const char *final_path,
                      SobreContainer container, SobreError *err);
int sobre_output_add_stream(Output *o, const AVCodecContext *enc, int *index, SobreError *err);
/* Copies the HDR10 static metadata (mastering display, content light level) of from, when
 * it has any, to the output's stream index (the HDR rendition: WebM MasteringMetadata,
 * MaxCLL). Before the header. */
int sobre_output_copy_hdr_metadata(Output *o, int index, const AVStream *from, SobreError *err);
int sobre_output_write_header(Output *o, SobreError *err);
int sobre_output_write(Output *o, AVPacket *pkt, int stream, AVRational tb, SobreError *err);
int sobre_output_finish(Output *o, SobreError *err);
void sobre_output_close(Output *o); /* frees; removes tmp file if still there */
/* The container check of a finished output (the video packets were decode-checked as they
 * were made, vquality.h): the file re-opens and reads to its end, every stream holds exactly
 * the packets it was given (count and CRC-32 of the payloads), its audio decodes cleanly
 * (streams the muxer rewrites opaquely are decoded too), and its duration is the written
 * one. *duration_s: the container's. loud (may be NULL) receives the loudness of the first
 * audio stream as decoded by the check (loud->channels 0: none), at no extra decoding cost.
 * SOBRE_E_VERIFY with the reason otherwise. */
int sobre_output_check(Output *o, double *duration_s, LoudMeterResult *loud, SobreError *err);
/* "vp09.00.30.08", "av01.0.05M.08", "avc1.64001e", "opus", "mp4a.40.2" */
void sobre_codec_string(const AVCodecContext *enc, char *out, size_t size);

#endif
