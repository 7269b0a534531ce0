/*
 * libsscard-nhsa-heasec.so: the NHSA "HeaSecReadInfo" flavour (docs/c-libraries.md) as a thin client
 * of the sscard daemon.
 *
 *   long Init(char *pInitInfo, char *pErrMsg);
 *   long ReadCardBas(char *pCardInfo, char *pBusiCardInfo);
 *   long VerifyPIN(char *pOutBuff);
 *   long ChangePIN(char *pOutBuff);
 *
 * No length arguments: outputs are cut to what the smallest known caller allocates (pCardInfo 2048,
 * pErrMsg / pOutBuff 1024 bytes). 0 is success; the failure value is SSCARD_NHSA_FAILURE ("-1", the
 * default, or "national"). pBusiCardInfo (the platform's business string) is never invented: empty.
 */
#include <stdlib.h>
#include <string.h>
#include "sscard-daemon-client.h"
#include "sscard-national-pin.h"

#define CARD_INFO_MAX 2048
#define MESSAGE_MAX 1024

static int initialized;

static long failure(long national) {
  const char *v = getenv("SSCARD_NHSA_FAILURE");
  return v && strcmp(v, "national") == 0 ? national : -1;
}

static long refuse(char *out, size_t max, const char *text, long national) {
  if (out) sscard_put(out, max, text, strlen(text));
  return failure(national);
}

/* The JSON (platform IP/port, CSB keys, ORG_ID, ...) is not needed for reading a card: accepted, not parsed. */
SSCARD_EXPORT sscard_result SSCARD_CALL Init(char *pInitInfo, char *pErrMsg) {
  if (!pInitInfo) return refuse(pErrMsg, MESSAGE_MAX, "bad parameter: pInitInfo is NULL", NATIONAL_BAD_PARAMETER);
  initialized = 1;
  if (pErrMsg) pErrMsg[0] = '\0';
  return 0;
}

SSCARD_EXPORT sscard_result SSCARD_CALL ReadCardBas(char *pCardInfo, char *pBusiCardInfo) {
  if (!pCardInfo) return failure(NATIONAL_BAD_PARAMETER);
  const char *require = getenv("SSCARD_HEASEC_REQUIRE_INIT");
  if (!initialized && require && strcmp(require, "1") == 0) return refuse(pCardInfo, CARD_INFO_MAX, "sscard: call Init first", NATIONAL_BAD_PARAMETER);
  if (pBusiCardInfo) pBusiCardInfo[0] = '\0';
  long code = sscard_read_bas(3, pCardInfo, CARD_INFO_MAX);
  return code == 0 ? 0 : failure(code);
}

/* The PIN on the reader's pad, else typed on this process's terminal (docs/c-libraries.md "PIN functions"); 0 with an empty buffer. */
static long pin_function(const char *fn, char *pOutBuff) {
  if (!pOutBuff) return failure(NATIONAL_BAD_PARAMETER);
  long code = sscard_national_pin(fn, 3, pOutBuff, MESSAGE_MAX);
  return code == 0 ? 0 : failure(code);
}

SSCARD_EXPORT sscard_result SSCARD_CALL VerifyPIN(char *pOutBuff) {
  return pin_function("iVerifyPIN", pOutBuff);
}

SSCARD_EXPORT sscard_result SSCARD_CALL ChangePIN(char *pOutBuff) {
  return pin_function("iChangePIN", pOutBuff);
}
