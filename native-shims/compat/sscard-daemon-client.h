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
/* HTTP status of a PIN function's answer asking for the PIN(s) typed on the PC (src/daemon/national-pin-http.ts). */
#define SSCARD_PIN_ON_PC 428
#define SSCARD_READER_TOKEN 0
#define SSCARD_COUNTER_TOKEN 1

/* GET path from the daemon: the HTTP status with the body in body, -1 (no daemon / bad answer) or -2 (no token). */
int sscard_daemon_get(const char *path, char *body, size_t size, size_t *body_len);
/* method path with payload (may be NULL) and the reader or counter token: like sscard_daemon_get. */
int sscard_daemon_call(const char *method, const char *path, int counter, const char *payload, size_t payload_len, char *body, size_t size, size_t *body_len);
/* The daemon's "<code>\n<text>" answer (status from sscard_daemon_call) into out; whole = never cut a success text. */
long sscard_national_answer(int status, char *body, size_t len, char *out, size_t max, int whole);
/* Zeroes memory that held a PIN or a token. */
void sscard_wipe(void *p, size_t n);
/* iReadCardBas through the daemon: the national code, the text (string or error) in out (max bytes with the NUL). */
long sscard_read_bas(int iType, char *out, size_t max);
/* GET path (a national route) from the daemon: the national code, the text (string or error) in out. */
long sscard_national_get(const char *path, char *out, size_t max);
/* The same, with the verifiable read's compact text in sign (sign_max bytes with the NUL; empty without an installation key or when it does not fit). */
long sscard_read_bas_signed(int iType, char *out, size_t max, char *sign, size_t sign_max);

#endif
