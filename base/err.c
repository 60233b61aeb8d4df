/*
 * err.c: error message formatting. See err.h for the conventions.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(fk_err *e)
{
    if (!e) return;
    e->code = 0;
    e->msg[0] = '\0';
}

int err_set(fk_err *e, int code, const char *fmt, ...)
{
    if (!e) return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->code = code;
    return code;
}

int err_prefix(fk_err *e, const char *fmt, ...)
{
    if (!e) return FK_EINVAL;
    char head[FK_ERR_MSG_MAX / 2];
    char old[FK_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    size_t hn = strlen(head);
    memcpy(e->msg, head, hn);
    e->msg[hn] = ':';
    e->msg[hn + 1] = ' ';
    size_t room = sizeof e->msg - hn - 3;
    size_t on = strnlen(old, room);
    memcpy(e->msg + hn + 2, old, on);
    e->msg[hn + 2 + on] = '\0';
    return e->code;
}

const char *err_name(int code)
{
    switch (code) {
    case FK_OK: return "ok";
    case FK_ENOMEM: return "out of memory";
    case FK_EIO: return "i/o error";
    case FK_EPARSE: return "parse error";
    case FK_EINVAL: return "invalid argument";
    case FK_ECORRUPT: return "corrupt file";
    case FK_EVERSION: return "unsupported version";
    case FK_ETOOBIG: return "too big";
    case FK_ENOTFOUND: return "not found";
    default: return "unknown error";
    }
}
