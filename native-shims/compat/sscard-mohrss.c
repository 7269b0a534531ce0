/*
 * libsscard-mohrss.so: the MOHRSS national reader interface entry point iReadCardBas (LD/T 6001.5
 * naming, see docs/c-libraries.md) as a thin client of the running sscard daemon. No card logic
 * here: one HTTP GET to the daemon on 127.0.0.1 with the local reader token, the answer copied into
 * the caller's buffer. Every failure is a national return code, never a crash.
 *
 *   long iReadCardBas(int iType, char *pOutInfo);
 *   long iVerifyPIN(int iType, char *pOutInfo);   long iChangePIN(int iType, char *pOutInfo);
 *   long iReloadPIN(int iType, char *pOutInfo);   long iUnblockPIN(int iType, char *pOutInfo);
 *
 * The PIN functions take no PIN: the reader's PIN pad, else this process's terminal (docs/c-libraries.md
 * "PIN functions"); reload and unblock use the counter token ($SSCARD_COUNTER_TOKEN_FILE, default
 * daemon-counter-token in the data directory). Their _HSM_Step variants are not exported (unknown strings).
 *
 * Settings (environment): SSCARD_DAEMON_PORT (default 47815), SSCARD_TOKEN_FILE (default
 * $SSCARD_DATA_DIR/daemon-token, else $XDG_DATA_HOME/sscard/daemon-token, else
 * ~/.local/share/sscard/daemon-token), SSCARD_OUT_MAX (bytes the caller's buffer holds, default 1024).
 */
#include <stdio.h>
#include <string.h>

#include "sscard-daemon-client.h"
#include "sscard-national-pin.h"

SSCARD_EXPORT sscard_result SSCARD_CALL iReadCardBas(int iType, char *pOutInfo) {
  if (!pOutInfo) return NATIONAL_BAD_PARAMETER;
  return sscard_read_bas(iType, pOutInfo, sscard_out_max());
}

SSCARD_EXPORT sscard_result SSCARD_CALL iVerifyPIN(int iType, char *pOutInfo) {
  return sscard_national_pin("iVerifyPIN", iType, pOutInfo, sscard_out_max());
}

SSCARD_EXPORT sscard_result SSCARD_CALL iChangePIN(int iType, char *pOutInfo) {
  return sscard_national_pin("iChangePIN", iType, pOutInfo, sscard_out_max());
}

SSCARD_EXPORT sscard_result SSCARD_CALL iReloadPIN(int iType, char *pOutInfo) {
  return sscard_national_pin("iReloadPIN", iType, pOutInfo, sscard_out_max());
}

SSCARD_EXPORT sscard_result SSCARD_CALL iUnblockPIN(int iType, char *pOutInfo) {
  return sscard_national_pin("iUnblockPIN", iType, pOutInfo, sscard_out_max());
}

/*
 * The HSM two-step (docs/c-libraries.md "HSM two-step"; parameter lists are our reading of the
 * vendor headers, docs/national-interface.md):
 *
 *   long iReadCardBas_HSM_Step1(int iType, char *pOutInfo);  -> factors string for the caller's HSM
 *   long iReadCardBas_HSM_Step2(char *pKey, char *pOutInfo);  -> the 11-field string
 *
 * The daemon keeps the card between the steps; pKey is passed through (URL-encoded) and checked there.
 */
/* Longest pKey passed on: a valid one is 66-70 characters. */
#define SSCARD_HSM_KEY_MAX 128

SSCARD_EXPORT sscard_result SSCARD_CALL iReadCardBas_HSM_Step1(int iType, char *pOutInfo) {
  if (!pOutInfo) return NATIONAL_BAD_PARAMETER;
  size_t max = sscard_out_max();
  if (iType < 1 || iType > 4) {
    static const char msg[] = "bad parameter: iType must be 1-4";
    sscard_put(pOutInfo, max, msg, sizeof msg - 1);
    return NATIONAL_BAD_PARAMETER;
  }
  char path[80];
  snprintf(path, sizeof path, "/national/iReadCardBas_HSM_Step1?iType=%d", iType);
  return sscard_national_get(path, pOutInfo, max);
}

SSCARD_EXPORT sscard_result SSCARD_CALL iReadCardBas_HSM_Step2(char *pKey, char *pOutInfo) {
  if (!pOutInfo) return NATIONAL_BAD_PARAMETER;
  size_t max = sscard_out_max();
  size_t n = pKey ? strnlen(pKey, SSCARD_HSM_KEY_MAX + 1) : 0;
  if (!pKey || n == 0 || n > SSCARD_HSM_KEY_MAX) {
    static const char msg[] = "bad parameter: pKey must be int16hex+orig16hex|ext16hex+orig16hex|";
    sscard_put(pOutInfo, max, msg, sizeof msg - 1);
    return NATIONAL_BAD_PARAMETER;
  }
  static const char prefix[] = "/national/iReadCardBas_HSM_Step2?key=";
  static const char hex[] = "0123456789ABCDEF";
  char path[sizeof prefix + 3 * SSCARD_HSM_KEY_MAX];
  size_t at = sizeof prefix - 1;
  memcpy(path, prefix, at);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)pKey[i];
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      path[at++] = (char)c;
    } else {
      path[at++] = '%';
      path[at++] = hex[c >> 4];
      path[at++] = hex[c & 15];
    }
  }
  path[at] = '\0';
  return sscard_national_get(path, pOutInfo, max);
}
