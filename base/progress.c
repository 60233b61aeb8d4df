/*
 * progress.c: throttled progress events (see progress.h). Reports come at
 * most about twice a second, checked every 4096 items to keep the clock off
 * hot loops.
 */
#include "progress.h"

#include <time.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress_emit(progress *p, int done)
{
    progress_event ev = {p->stage, p->count, p->bytes, p->total_bytes,
                         progress_now() - p->t0, done};
    p->fn(p->ud, &ev);
}

void progress_begin(progress *p, const char *stage, uint64_t total_bytes)
{
    if (!p) return;
    p->stage = stage;
    p->count = 0;
    p->bytes = 0;
    p->total_bytes = total_bytes;
    p->every = 4096;
    p->next_report = p->every;
    p->t0 = progress_now();
}

void progress_step(progress *p, uint64_t n, uint64_t bytes_at)
{
    if (!p) return;
    p->count += n;
    if (bytes_at) p->bytes = bytes_at;
    if (!p->fn || p->count < p->next_report) return;
    p->next_report = p->count + p->every;
    static __thread double last;
    double now = progress_now();
    if (now - last < 0.5) return;
    last = now;
    progress_emit(p, 0);
}

void progress_done(progress *p)
{
    if (!p || !p->fn) return;
    progress_emit(p, 1);
}
