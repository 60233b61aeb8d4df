/*
 * err.h: status codes and error messages shared by every module.
 *
 * Functions below main return an int status: 0 for success, a negative
 * FK_E* code for failure. Where a caller needs to know what went wrong, the
 * function also takes an `fk_err *` and writes a message with context there
 * (file:line, field, value, what was expected). Nothing below main prints or
 * exits; main and http decide what the user sees.
 */
#ifndef FK_ERR_H
#define FK_ERR_H

#include <stddef.h>

enum {
    FK_OK = 0,
    FK_ENOMEM = -1,    /* allocation failed or size arithmetic overflowed */
    FK_EIO = -2,       /* open/read/write/rename failed (errno in message) */
    FK_EPARSE = -3,    /* malformed input: message names file, line, field */
    FK_EINVAL = -4,    /* bad argument or option */
    FK_ECORRUPT = -5,  /* snapshot checksum or structure invalid */
    FK_EVERSION = -6,  /* snapshot format version not supported */
    FK_ETOOBIG = -7,   /* input exceeds a documented limit */
    FK_ENOTFOUND = -8  /* a named thing does not exist */
};

#define FK_ERR_MSG_MAX 1024

typedef struct fk_err {
    int code;                  /* last FK_E* code set, 0 when clear */
    char msg[FK_ERR_MSG_MAX];  /* NUL-terminated, "" when clear */
} fk_err;

/* Clears e (may be NULL). */
void err_clear(fk_err *e);

/* Formats a message into e (may be NULL) and returns code, so that callers
 * can write `return err_set(e, FK_EPARSE, "%s:%d: ...", ...)`. */
int err_set(fk_err *e, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prepends "prefix: " to the message in e (may be NULL); returns e->code. */
int err_prefix(fk_err *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A short name for a code ("parse error", ...). Static string. */
const char *err_name(int code);

#endif
