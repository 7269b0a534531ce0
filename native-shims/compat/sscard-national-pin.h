#ifndef SSCARD_NATIONAL_PIN_H
#define SSCARD_NATIONAL_PIN_H
#include <stddef.h>

/*
 * A national PIN function (fn = "iVerifyPIN", "iChangePIN", "iReloadPIN" or "iUnblockPIN") through
 * the daemon: the PIN pad, else the controlling terminal (docs/c-libraries.md "PIN functions").
 * Returns 0 (out set empty) or the national code with its text in out (max bytes with the NUL).
 */
long sscard_national_pin(const char *fn, int iType, char *out, size_t max);

#endif
