#ifndef SSCARD_DAEMON_CLIENT_H
#define SSCARD_DAEMON_CLIENT_H
#include <stddef.h>
#include "sscard-export.h"

#define NATIONAL_READER_ERROR (-11)
#define NATIONAL_BAD_PARAMETER (-14)

/* Copies len bytes of text (cut to max - 1) and a NUL into out; nothing when max is 0. */
void sscard_put(char *out, size_t max, const char *text, size_t len);
/* SSCARD_OUT_MAX: what callers without a length argument hold (default 1024). */
size_t sscard_out_max(void);
/* GET path from the daemon: the HTTP status with the body in body, -1 (no daemon / bad answer) or -2 (no token). */
int sscard_daemon_get(const char *path, char *body, size_t size, size_t *body_len);
/* iReadCardBas through the daemon: the national code, the text (string or error) in out (max bytes with the NUL). */
long sscard_read_bas(int iType, char *out, size_t max);
/* The same, with the verifiable read's compact text in sign (sign_max bytes with the NUL; empty without an installation key or when it does not fit). */
long sscard_read_bas_signed(int iType, char *out, size_t max, char *sign, size_t sign_max);

#endif
