/*
 * libsscard-mohrss.so: the MOHRSS national reader interface entry point iReadCardBas (LD/T 6001.5
 * naming, see docs/c-libraries.md) as a thin client of the running sscard daemon. No card logic
 * here: one HTTP GET to the daemon on 127.0.0.1 with the local reader token, the answer copied into
 * the caller's buffer. Every failure is a national return code, never a crash.
 *
 *   long iReadCardBas(int iType, char *pOutInfo);
 *
 * Settings (environment): SSCARD_DAEMON_PORT (default 47815), SSCARD_TOKEN_FILE (default
 * $SSCARD_DATA_DIR/daemon-token, else $XDG_DATA_HOME/sscard/daemon-token, else
 * ~/.local/share/sscard/daemon-token), SSCARD_OUT_MAX (bytes the caller's buffer holds, default 1024).
 */
#include "sscard-daemon-client.h"

SSCARD_EXPORT sscard_result SSCARD_CALL iReadCardBas(int iType, char *pOutInfo) {
  if (!pOutInfo) return NATIONAL_BAD_PARAMETER;
  return sscard_read_bas(iType, pOutInfo, sscard_out_max());
}
