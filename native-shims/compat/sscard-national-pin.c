/*
 * The national PIN functions (iVerifyPIN, iChangePIN, iReloadPIN, iUnblockPIN) as a thin client of
 * the sscard daemon (docs/c-libraries.md "PIN functions"). No card logic here. The calls take no
 * PIN argument (docs/reference/his-integration.md §8): the daemon first tries the reader's PIN pad;
 * when it answers that the PIN must be typed on the PC (no pad; iReloadPIN always), the PIN is asked
 * on this process's controlling terminal with echo off (only if it has one) and sent to the daemon
 * in the body of a loopback POST, never in a URL. Every buffer that held a PIN is wiped.
 */
#include <stdio.h>
#include <string.h>
#ifndef _WIN32
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#endif

#include "sscard-daemon-client.h"
#include "sscard-national-pin.h"

#define PIN_MAX 16
#define PIN_MIN 4

#ifdef _WIN32
/*
 * The Windows DLLs take the PIN from the reader's PIN pad only: a console prompt (CONIN$ with
 * ENABLE_ECHO_INPUT cleared) is not built, so "type it on the PC" is answered as "no terminal"
 * (docs/c-libraries.md "Windows").
 */
static int ask_pins(const char *fn, char *form, size_t size) {
  (void)fn, (void)form, (void)size;
  return -1;
}
#else
/* One prompt per PIN field; a field asked twice must match (a typo in a new PIN would lock the holder out). */
struct field {
  const char *name;
  const char *prompt;
  int confirm;
};

static int fields_of(const char *fn, const struct field **out) {
  static const struct field verify[] = {{"pin", "sscard: PIN: ", 0}};
  static const struct field change[] = {{"oldPin", "sscard: old PIN: ", 0}, {"newPin", "sscard: new PIN: ", 1}};
  static const struct field reload[] = {{"newPin", "sscard: new PIN: ", 1}};
  if (strcmp(fn, "iVerifyPIN") == 0) return *out = verify, 1;
  if (strcmp(fn, "iChangePIN") == 0) return *out = change, 2;
  if (strcmp(fn, "iReloadPIN") == 0) return *out = reload, 1;
  return *out = NULL, 0;
}

/* Reads one line from the terminal with echo off into pin (digits only, PIN_MIN..PIN_MAX); 0 on success. */
static int ask(int tty, const char *prompt, char *pin) {
  struct termios old, quiet;
  if (tcgetattr(tty, &old) != 0) return -1;
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
  if (tcsetattr(tty, TCSAFLUSH, &quiet) != 0) return -1;
  ssize_t w = write(tty, prompt, strlen(prompt));
  (void)w;
  size_t n = 0;
  int ok = 1;
  for (;;) {
    char c;
    ssize_t r = read(tty, &c, 1);
    if (r <= 0) { ok = 0; break; }
    if (c == '\n' || c == '\r') break;
    if (n < PIN_MAX && c >= '0' && c <= '9') pin[n++] = c;
    else ok = 0; /* keep reading to the end of the line, never echoing */
  }
  pin[n] = '\0';
  tcsetattr(tty, TCSAFLUSH, &old);
  w = write(tty, "\n", 1);
  return ok && n >= PIN_MIN ? 0 : -1;
}

/* Asks the function's PINs on the controlling terminal and appends "&name=digits" to form; 0, -1 no terminal, -2 bad entry. */
static int ask_pins(const char *fn, char *form, size_t size) {
  const struct field *f;
  int count = fields_of(fn, &f);
  if (count == 0) return -2;
  int tty = open("/dev/tty", O_RDWR | O_NOCTTY);
  if (tty < 0) return -1;
  int rc = 0;
  char pin[PIN_MAX + 1], again[PIN_MAX + 1];
  for (int i = 0; i < count && rc == 0; i++) {
    if (ask(tty, f[i].prompt, pin) != 0) rc = -2;
    else if (f[i].confirm && (ask(tty, "sscard: new PIN again: ", again) != 0 || strcmp(pin, again) != 0)) rc = -2;
    else {
      size_t used = strlen(form);
      int n = snprintf(form + used, size - used, "&%s=%s", f[i].name, pin);
      if (n <= 0 || (size_t)n >= size - used) rc = -2;
    }
  }
  sscard_wipe(pin, sizeof pin);
  sscard_wipe(again, sizeof again);
  close(tty);
  return rc;
}

#endif

long sscard_national_pin(const char *fn, int iType, char *out, size_t max) {
  if (!out || max == 0) return NATIONAL_BAD_PARAMETER;
  int counter = strcmp(fn, "iReloadPIN") == 0 || strcmp(fn, "iUnblockPIN") == 0;
  char path[64], form[160], body[4096];
  snprintf(path, sizeof path, "/national/%s", fn);
  snprintf(form, sizeof form, "iType=%d", iType);
  size_t len = 0;
  int status = sscard_daemon_call("POST", path, counter, form, strlen(form), body, sizeof body, &len);
  if (status == SSCARD_PIN_ON_PC) {
    int asked = ask_pins(fn, form, sizeof form);
    if (asked == -2) {
      sscard_wipe(form, sizeof form);
      static const char msg[] = "sscard: the PIN must be 4-16 digits, typed the same twice when new";
      sscard_put(out, max, msg, sizeof msg - 1);
      return NATIONAL_BAD_PARAMETER;
    }
    /* no terminal (asked == -1): the daemon's answer stands (no PIN pad and no terminal) */
    if (asked == 0) status = sscard_daemon_call("POST", path, counter, form, strlen(form), body, sizeof body, &len);
    sscard_wipe(form, sizeof form);
  }
  return sscard_national_answer(status, body, len, out, max, 0);
}
