/* Segment files (see segfile.h). The packet file is "SOBRESEG1\n" then one record per
 * packet: pts, dts, duration (int64), flags, size (int32), all little-endian, and the
 * data. Its bytes depend only on the encoder's output: the same segment made on two
 * hosts is the same file. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "segfile.h"

static const char magic[] = "SOBRESEG1\n";
#define MAGIC_LEN  10
#define RECORD_LEN 32
#define MAX_PACKET (256 << 20)

uint64_t sobre_seg_fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

void sobre_seg_hex(uint64_t v, char out[17])
{
    snprintf(out, 17, "%016" PRIx64, v);
}

static void put64(unsigned char *b, int64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (8 * i));
}

static void put32(unsigned char *b, int32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)((uint32_t)v >> (8 * i));
}

static int64_t get64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return (int64_t)v;
}

static int32_t get32(const unsigned char *b)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | b[i];
    return (int32_t)v;
}

int sobre_seg_create(SegWriter *w, const char *tmp, const char *path, SobreError *err)
{
    memset(w, 0, sizeof(*w));
    snprintf(w->tmp, sizeof(w->tmp), "%s", tmp);
    snprintf(w->path, sizeof(w->path), "%s", path);
    if (!(w->f = fopen(tmp, "wb")))
        return sobre_fail(err, -errno, "%s: cannot create: %s", tmp, strerror(errno));
    if (fwrite(magic, 1, MAGIC_LEN, w->f) != MAGIC_LEN)
        return sobre_fail(err, -EIO, "%s: cannot write", tmp);
    w->sum = SOBRE_SEG_FNV0;
    return 0;
}

int sobre_seg_write(SegWriter *w, const AVPacket *pkt, SobreError *err)
{
    unsigned char rec[RECORD_LEN];
    put64(rec, pkt->pts);
    put64(rec + 8, pkt->dts);
    put64(rec + 16, pkt->duration);
    put32(rec + 24, pkt->flags & AV_PKT_FLAG_KEY);
    put32(rec + 28, pkt->size);
    if (fwrite(rec, 1, RECORD_LEN, w->f) != RECORD_LEN ||
        (pkt->size && fwrite(pkt->data, 1, (size_t)pkt->size, w->f) != (size_t)pkt->size))
        return sobre_fail(err, -EIO, "%s: cannot write (disk full?)", w->tmp);
    w->sum = sobre_seg_fnv(sobre_seg_fnv(w->sum, rec, RECORD_LEN), pkt->data, (size_t)pkt->size);
    w->packets++;
    w->bytes += RECORD_LEN + pkt->size;
    return 0;
}

int sobre_seg_finish(SegWriter *w, SobreError *err)
{
    int bad = fflush(w->f) != 0 || ferror(w->f);
    bad |= fclose(w->f) != 0;
    w->f = NULL;
    if (bad)
        return sobre_fail(err, -EIO, "%s: cannot write (disk full?)", w->tmp);
    return 0;
}

int sobre_seg_commit(SegWriter *w, json_t *meta, SobreError *err)
{
    char sum[17], jtmp[4300], jpath[4300];
    sobre_seg_hex(w->sum, sum);
    json_object_set_new(meta, "packets", json_integer(w->packets));
    json_object_set_new(meta, "bytes", json_integer(w->bytes + MAGIC_LEN));
    json_object_set_new(meta, "checksum", json_string(sum));
    snprintf(jtmp, sizeof(jtmp), "%s.json.part", w->tmp);
    snprintf(jpath, sizeof(jpath), "%s.json", w->path);
    if (rename(w->tmp, w->path) < 0)
        return sobre_fail(err, -errno, "%s: cannot move into place: %s", w->path, strerror(errno));
    if (json_dump_file(meta, jtmp, JSON_COMPACT | JSON_REAL_PRECISION(17)) < 0 ||
        rename(jtmp, jpath) < 0) {
        unlink(jtmp);
        return sobre_fail(err, -EIO, "%s: cannot write", jpath);
    }
    return 0;
}

void sobre_seg_abandon(SegWriter *w)
{
    if (w->f)
        fclose(w->f);
    w->f = NULL;
    if (w->tmp[0])
        unlink(w->tmp);
}

json_t *sobre_seg_meta(const char *path)
{
    char jpath[4300];
    struct stat st;
    json_t *m, *bytes;
    snprintf(jpath, sizeof(jpath), "%s.json", path);
    if (stat(path, &st) < 0 || !(m = json_load_file(jpath, 0, NULL)))
        return NULL;
    bytes = json_object_get(m, "bytes");
    if (!json_is_integer(bytes) || json_integer_value(bytes) != st.st_size) {
        json_decref(m);
        return NULL;
    }
    return m;
}

int sobre_seg_open(SegReader *r, const char *path, SobreError *err)
{
    char head[MAGIC_LEN];
    memset(r, 0, sizeof(*r));
    snprintf(r->path, sizeof(r->path), "%s", path);
    if (!(r->f = fopen(path, "rb")))
        return sobre_fail(err, -errno, "%s: cannot open: %s", path, strerror(errno));
    if (fread(head, 1, MAGIC_LEN, r->f) != MAGIC_LEN || memcmp(head, magic, MAGIC_LEN))
        return sobre_fail(err, SOBRE_E_INVALID, "%s: not a sobre segment file", path);
    r->sum = SOBRE_SEG_FNV0;
    r->bytes = MAGIC_LEN;
    return 0;
}

int sobre_seg_read(SegReader *r, AVPacket *pkt, SobreError *err)
{
    unsigned char rec[RECORD_LEN];
    size_t got = fread(rec, 1, RECORD_LEN, r->f);
    int32_t size;
    int ret;
    if (got == 0 && feof(r->f))
        return 1;
    if (got != RECORD_LEN || (size = get32(rec + 28)) < 0 || size > MAX_PACKET)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: damaged segment (packet %" PRId64 ")", r->path,
                          r->packets);
    av_packet_unref(pkt);
    if ((ret = av_new_packet(pkt, size)) < 0)
        return sobre_fail(err, ret, "out of memory");
    if (size && fread(pkt->data, 1, (size_t)size, r->f) != (size_t)size)
        return sobre_fail(err, SOBRE_E_INVALID, "%s: damaged segment (packet %" PRId64 " cut)",
                          r->path, r->packets);
    pkt->pts = get64(rec);
    pkt->dts = get64(rec + 8);
    pkt->duration = get64(rec + 16);
    pkt->flags = get32(rec + 24) & AV_PKT_FLAG_KEY;
    r->sum = sobre_seg_fnv(sobre_seg_fnv(r->sum, rec, RECORD_LEN), pkt->data, (size_t)size);
    r->packets++;
    r->bytes += RECORD_LEN + size;
    return 0;
}

int sobre_seg_check(const SegReader *r, json_t *meta, SobreError *err)
{
    char sum[17];
    const char *want = json_string_value(json_object_get(meta, "checksum"));
    sobre_seg_hex(r->sum, sum);
    if (json_integer_value(json_object_get(meta, "packets")) != r->packets ||
        json_integer_value(json_object_get(meta, "bytes")) != r->bytes || !want ||
        strcmp(want, sum))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "%s: the packets do not match their sidecar (checksum %s, %" PRId64
                          " packets): damaged in a copy? remove it to make it again",
                          r->path, sum, r->packets);
    return 0;
}

void sobre_seg_close(SegReader *r)
{
    if (r->f)
        fclose(r->f);
    r->f = NULL;
}
