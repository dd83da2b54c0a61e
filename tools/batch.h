/* sobre batch: the episode runner. Each episode is one `sobre encode` child process
 * (a crash or a bad master stays in its process); at most `jobs` run at once, and the
 * runner follows their JSON progress lines on a pipe. */
#ifndef SOBRE_TOOLS_BATCH_H
#define SOBRE_TOOLS_BATCH_H

#include <signal.h>
#include <sys/types.h>

/* EP_SKIPPED: not selected (--episode); never started. */
enum BatchState { EP_PENDING, EP_RUNNING, EP_OK, EP_FAILED, EP_INTERRUPTED, EP_SKIPPED };

typedef struct BatchEpisode {
    const char *id;
    const char *title; /* for messages: the CSV title, else the id */
    char *dir;         /* OUT_DIR/<id> (owned) */
    char **argv;       /* the encode command line (argv[0] is the sobre executable) */
    double weight;     /* share of the whole batch (master bytes) */
    /* filled while running */
    enum BatchState state;
    pid_t pid;
    int fd;
    char line[4096];
    size_t line_len;
    char message[1024]; /* the encode's error message, or its last line */
    double percent;
    double start, end;
    int exit_code;
    int up_to_date; /* encode found every rendition complete */
} BatchEpisode;

typedef void (*BatchEventCallback)(void *opaque, BatchEpisode *ep, const char *event);

typedef struct BatchRunner {
    BatchEpisode *episodes;
    int nb;
    int jobs;
    int verbose;                      /* pass each encode's text lines through */
    volatile sig_atomic_t *interrupt; /* set by the signal handler */
    BatchEventCallback on_event;      /* "start", "progress", "done" */
    void *opaque;
} BatchRunner;

/** Runs every pending episode; returns 0 when all ran (whatever their outcome), or
 * CLI_INTERRUPTED when interrupted (children stopped, their temporary files removed by
 * their own signal handling). */
int batch_run(BatchRunner *r);

/** Overall progress in percent, weighted by master size. */
double batch_overall(const BatchRunner *r);

#endif
