/*
 * libsscard-nhsa-sscard.so: the NHSA "SSCard" flavour (SSCard.dll entry points, docs/c-libraries.md)
 * as a thin client of the sscard daemon.
 *
 *   long Init(char *pUrl, char *pUser);
 *   long ReadCardBas(char *pOutBuff, int nOutBuffLen, char *pSignBuff, int nSignBuffLen);
 *   long VerifyPIN(char *pOutBuff, int nOutBuffLen);
 *   long ChangePIN(char *pOutBuff, int nOutBuffLen);
 *
 * 0 is success, anything else failure with the text in the first buffer. The failure value is
 * SSCARD_NHSA_FAILURE: "-1" (default) or "national" (the MOHRSS codes). The functions return
 * sscard_result (sscard-export.h): the sign-extended value fills RAX (EDX:EAX on 32-bit Windows), so
 * callers declaring a 32-bit int and callers declaring a 64-bit long both read it right.
 */
#include <stdlib.h>
#include <string.h>
#include "sscard-daemon-client.h"
#include "sscard-national-pin.h"

static long failure(long national) {
  const char *v = getenv("SSCARD_NHSA_FAILURE");
  return v && strcmp(v, "national") == 0 ? national : -1;
}

static long refuse(char *out, int len, const char *text, long national) {
  if (out && len > 0) sscard_put(out, (size_t)len, text, strlen(text));
  return failure(national);
}

/* The platform URL and user are not used: sscard downloads no resources and reads offline. */
SSCARD_EXPORT sscard_result SSCARD_CALL Init(char *pUrl, char *pUser) {
  (void)pUrl;
  (void)pUser;
  return 0;
}

SSCARD_EXPORT sscard_result SSCARD_CALL ReadCardBas(char *pOutBuff, int nOutBuffLen, char *pSignBuff, int nSignBuffLen) {
  if (!pOutBuff || nOutBuffLen <= 0) return failure(NATIONAL_BAD_PARAMETER);
  if ((pSignBuff == NULL) != (nSignBuffLen <= 0)) return refuse(pOutBuff, nOutBuffLen, "bad parameter: signature buffer and its length", NATIONAL_BAD_PARAMETER);
  /* Not the national platform's signature (never invented): sscard's verifiable read when the
   * installation key exists, else empty (docs/verifiable-reads.md, "NHSA signature buffer"). */
  long code = pSignBuff ? sscard_read_bas_signed(3, pOutBuff, (size_t)nOutBuffLen, pSignBuff, (size_t)nSignBuffLen) : sscard_read_bas(3, pOutBuff, (size_t)nOutBuffLen);
  return code == 0 ? 0 : failure(code);
}

/* The PIN on the reader's pad, else typed on this process's terminal (docs/c-libraries.md "PIN functions"); 0 with an empty buffer. */
static long pin_function(const char *fn, char *pOutBuff, int nOutBuffLen) {
  if (!pOutBuff || nOutBuffLen <= 0) return failure(NATIONAL_BAD_PARAMETER);
  long code = sscard_national_pin(fn, 3, pOutBuff, (size_t)nOutBuffLen);
  return code == 0 ? 0 : failure(code);
}

SSCARD_EXPORT sscard_result SSCARD_CALL VerifyPIN(char *pOutBuff, int nOutBuffLen) {
  return pin_function("iVerifyPIN", pOutBuff, nOutBuffLen);
}

SSCARD_EXPORT sscard_result SSCARD_CALL ChangePIN(char *pOutBuff, int nOutBuffLen) {
  return pin_function("iChangePIN", pOutBuff, nOutBuffLen);
}
