/*
 * progress.h: how long-running work (imports, builds) tells its caller how
 * far it has come, without printing anything itself.
 *
 * A worker calls progress_step() as it goes; the callback, set by main, is
 * invoked at most every `every` items and once more by progress_done(). The
 * callback decides how to show stage, count, bytes and rate.
 */
#ifndef FK_PROGRESS_H
#define FK_PROGRESS_H

#include <stdint.h>

typedef struct progress_event {
    const char *stage;     /* "osm nodes", "gtfs stop_times", ... */
    uint64_t count;        /* items done in this stage */
    uint64_t bytes;        /* input bytes consumed, 0 if unknown */
    uint64_t total_bytes;  /* input size, 0 if unknown */
    double seconds;        /* since the stage began */
    int done;              /* 1 on the final event of a stage */
} progress_event;

typedef void (*progress_fn)(void *ud, const progress_event *ev);

typedef struct progress {
    progress_fn fn;   /* may be NULL: then nothing is reported */
    void *ud;
    /* internal state of the current stage */
    const char *stage;
    uint64_t count, bytes, total_bytes, next_report, every;
    double t0;
} progress;

/* Starts a stage; p may be NULL. */
void progress_begin(progress *p, const char *stage, uint64_t total_bytes);
/* Adds n items (and bytes consumed so far, absolute, 0 to keep). */
void progress_step(progress *p, uint64_t n, uint64_t bytes_at);
/* Ends the stage with a final event. */
void progress_done(progress *p);

double progress_now(void);  /* monotonic seconds */

#endif
