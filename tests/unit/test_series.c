/* Series reader: CSV files accepted (',' and ';', BOM, quoted fields, defaults) and
 * refused with the file and row in the message; folders listed in natural order with
 * their sidecars. Also the shared UTF-8 validator. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sobre/series.h"
#include "strbuf.h"
#include "t.h"

static char tmp[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", tmp, name);
    f = fopen(path, "wb");
    T_CHECK(f != NULL, "create %s", path);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static SobreSeries *read_csv(const char *text, SobreError *err, int *ret)
{
    char path[512];
    SobreSeries *s = NULL;
    write_file("s.csv", text);
    snprintf(path, sizeof(path), "%s/s.csv", tmp);
    sobre_error_clear(err);
    *ret = sobre_series_read_csv(&s, path, err);
    return s;
}

static void test_csv_ok(void)
{
    SobreError err;
    int ret;
    SobreSeries *s = read_csv("\xEF\xBB\xBF"
                              "File,Title,description,captions,lang,id\n"
                              "ep1.mp4,\"Épisode 1, \"\"le début\"\"\",\"Deux\nlignes\",ep1.vtt,,\n"
                              "\n"
                              "sub/Ép 2.MOV,<b>Deux</b>,,,en,deux\n",
                              &err, &ret);
    T_CHECK(ret == 0, "valid CSV: %s", err.detail);
    if (!s)
        return;
    T_EQ_INT(s->nb_episodes, 2);
    T_EQ_STR(s->episodes[0].id, "ep1");
    T_EQ_STR(s->episodes[0].title, "Épisode 1, \"le début\"");
    T_EQ_STR(s->episodes[0].description, "Deux\nlignes");
    T_EQ_STR(s->episodes[0].captions, "ep1.vtt");
    T_CHECK(s->episodes[0].language == NULL, "empty lang is unset");
    T_CONTAINS(s->episodes[0].path, "/ep1.mp4");
    T_CHECK(!strncmp(s->episodes[0].path, tmp, strlen(tmp)), "path joined to the CSV's folder");
    T_CONTAINS(s->episodes[0].captions_path, "/ep1.vtt");
    T_EQ_STR(s->episodes[1].id, "deux");
    T_EQ_STR(s->episodes[1].file, "sub/Ép 2.MOV");
    T_EQ_STR(s->episodes[1].title, "<b>Deux</b>");
    T_EQ_STR(s->episodes[1].language, "en");
    T_CHECK(s->episodes[1].description == NULL && s->episodes[1].captions == NULL, "empty");
    T_CHECK(sobre_series_find(s, "deux") == &s->episodes[1], "find");
    T_CHECK(sobre_series_find(s, "trois") == NULL, "find missing");
    sobre_series_free(&s);
    T_CHECK(s == NULL, "free NULLs");

    /* French spreadsheets: ';' separated; default ids from file names */
    s = read_csv("file;title\r\nÉpisode Un.mp4;Un, deux\r\n/abs/ep2.mkv;\r\n", &err, &ret);
    T_CHECK(ret == 0, "';' CSV: %s", err.detail);
    if (s) {
        T_EQ_INT(s->nb_episodes, 2);
        T_EQ_STR(s->episodes[0].id, "episode-un");
        T_EQ_STR(s->episodes[0].title, "Un, deux");
        T_EQ_STR(s->episodes[1].path, "/abs/ep2.mkv");
        T_EQ_STR(s->episodes[1].id, "ep2");
        T_EQ_INT(s->episodes[1].line, 3);
    }
    sobre_series_free(&s);
}

static void test_csv_refused(void)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"", "empty file"},
        {"file,title\n", "no episode"},
        {"title,description\nA,B\n", "must name the columns"},
        {"file,titel\na.mp4,A\n", "unknown column 'titel'"},
        {"file,title,file\na.mp4,A,b.mp4\n", "column 'file' appears twice"},
        {"file,title\n,A\n", "row 2: no file given"},
        {"file,id\na.mp4,x\nb.mp4,x\n", "row 3: episode id 'x' is used twice"},
        {"file\nep1.mp4\nEP1.mkv\n", "row 3: episode id 'ep1' is used twice"},
        {"file,id\na.mp4,Bad_Id\n", "row 2: id 'Bad_Id' must be"},
        {"file,id\na.mp4,../x\n", "id '../x' must be"},
        {"file,title\na.mp4,\"open\n", "row 2: unterminated quoted field"},
        {"file,title\na.mp4,bad\"quote\n", "row 2:"},
        {"file,title\na.mp4,\xe9t\xe9\n", "row 2, field 2 is not UTF-8"},
        {"file,lang\na.mp4,fr;x\n", "lang 'fr;x' is not a language tag"},
        {"file\n\"a\nb.mp4\"\n", "control character"},
        {"file,title\na.mp4,A,extra\n", "more fields than the header"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SobreError err;
        int ret;
        SobreSeries *s = read_csv(cases[i].text, &err, &ret);
        T_CHECK(ret < 0 && s == NULL, "case %zu must fail", i);
        T_CONTAINS(err.detail, cases[i].msg);
        T_CONTAINS(err.detail, "s.csv");
        sobre_series_free(&s);
    }
    {
        SobreError err;
        SobreSeries *s = NULL;
        sobre_error_clear(&err);
        T_CHECK(sobre_series_read_csv(&s, "/nonexistent/s.csv", &err) < 0, "missing file");
        T_CONTAINS(err.detail, "/nonexistent/s.csv: cannot open");
    }
}

static void test_dir(void)
{
    char dir[512], sub[600];
    SobreSeries *s = NULL;
    SobreError err;
    int ret;

    snprintf(dir, sizeof(dir), "%s/masters", tmp);
    mkdir(dir, 0755);
    write_file("masters/ep10.mkv", "x");
    write_file("masters/ep2.mp4", "x");
    write_file("masters/ep2.vtt", "WEBVTT\n");
    write_file("masters/ep2.txt", "Deux & <trois>\r\n\r\nLa suite.\nFin.  \n");
    write_file("masters/notes.pdf", "x");
    write_file("masters/.hidden.mp4", "x");
    write_file("masters/Intro.WAV", "x");
    sobre_error_clear(&err);
    ret = sobre_series_read(&s, dir, &err);
    T_CHECK(ret == 0, "folder: %s", err.detail);
    if (s) {
        T_EQ_INT(s->nb_episodes, 3);
        T_EQ_STR(s->episodes[0].file, "Intro.WAV");
        T_EQ_STR(s->episodes[0].id, "intro");
        T_EQ_STR(s->episodes[1].file, "ep2.mp4");
        T_EQ_STR(s->episodes[1].title, "Deux & <trois>");
        T_EQ_STR(s->episodes[1].description, "La suite.\nFin.");
        T_EQ_STR(s->episodes[1].captions, "ep2.vtt");
        T_EQ_STR(s->episodes[2].file, "ep10.mkv");
        T_CHECK(s->episodes[2].title == NULL && s->episodes[2].captions == NULL, "no sidecar");
    }
    sobre_series_free(&s);

    write_file("masters/ep2.mov", "x"); /* same id as ep2.mp4 */
    ret = sobre_series_read(&s, dir, &err);
    T_CHECK(ret < 0 && s == NULL, "two masters with one id");
    T_CONTAINS(err.detail, "episode id 'ep2' is used twice");

    snprintf(sub, sizeof(sub), "%s/empty", tmp);
    mkdir(sub, 0755);
    ret = sobre_series_read(&s, sub, &err);
    T_CHECK(ret < 0, "empty folder");
    T_CONTAINS(err.detail, "no media file in this folder");
}

static void test_utf8(void)
{
    static const struct {
        const char *s;
        int ok;
    } cases[] = {
        {"plain", 1},        {"é à ü 日本 😀", 1}, {"\xc3", 0},
        {"\xc0\xaf", 0},     {"\xed\xa0\x80", 0}, {"\xf4\x90\x80\x80", 0},
        {"\xe2\x82\xac", 1}, {"\xff", 0},         {"a\xe2\x82", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        T_CHECK(sobre_utf8_valid(cases[i].s, strlen(cases[i].s)) == cases[i].ok, "utf8 case %zu",
                i);
}

int main(void)
{
    const char *base = getenv("SOBRE_TMP");
    snprintf(tmp, sizeof(tmp), "%s/series-XXXXXX", base && base[0] ? base : "/tmp");
    if (!mkdtemp(tmp)) {
        perror(tmp);
        return 1;
    }
    test_csv_ok();
    test_csv_refused();
    test_dir();
    test_utf8();
    {
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmp);
    }
    return t_done();
}
