/*
 * The C libraries' one way to the sscard daemon (docs/c-libraries.md): an HTTP request on 127.0.0.1
 * with the local reader (or counter) token. No card logic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sscard-daemon-client.h"

#ifdef _WIN32
/* Winsock (docs/c-libraries.md, "Windows"): the same calls but for start-up, close and timeouts. */
#include <winsock2.h>
typedef SOCKET sscard_socket;
#define SSCARD_NO_SOCKET INVALID_SOCKET
#define SSCARD_SEND_FLAGS 0
static int net_start(void) {
  WSADATA wsa;
  return WSAStartup(MAKEWORD(2, 2), &wsa) == 0 ? 0 : -1; /* counted: paired with WSACleanup in net_close */
}
static void net_close(sscard_socket fd) {
  if (fd != INVALID_SOCKET) closesocket(fd);
  WSACleanup();
}
static void net_timeouts(sscard_socket fd, int seconds) {
  DWORD ms = (DWORD)seconds * 1000;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof ms);
}
static int net_interrupted(void) { return 0; }
#else
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
typedef int sscard_socket;
#define SSCARD_NO_SOCKET (-1)
#define SSCARD_SEND_FLAGS MSG_NOSIGNAL
static int net_start(void) { return 0; }
static void net_close(sscard_socket fd) {
  if (fd >= 0) close(fd);
}
static void net_timeouts(sscard_socket fd, int seconds) {
  struct timeval tv = {seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}
static int net_interrupted(void) { return errno == EINTR; }
#endif

void sscard_put(char *out, size_t max, const char *text, size_t len) {
  if (max == 0) return;
  if (len > max - 1) len = max - 1;
  memcpy(out, text, len);
  out[len] = '\0';
}

size_t sscard_out_max(void) {
  const char *v = getenv("SSCARD_OUT_MAX");
  long n = v ? strtol(v, NULL, 10) : 1024;
  return (n >= 16 && n <= 1 << 20) ? (size_t)n : 1024;
}

/*
 * Reads a daemon token (16-200 URL-safe characters) into tok; 0 on success. The file is env_file if
 * set, else name in the data directory ($SSCARD_DATA_DIR, $XDG_DATA_HOME/sscard, ~/.local/share/sscard).
 */
static int read_token(const char *env_file, const char *name, char *tok, size_t size) {
  char path[4096];
  const char *file = getenv(env_file);
  if (file && *file) {
    snprintf(path, sizeof path, "%s", file);
  } else if (getenv("SSCARD_DATA_DIR") && *getenv("SSCARD_DATA_DIR")) {
    snprintf(path, sizeof path, "%s/%s", getenv("SSCARD_DATA_DIR"), name);
#ifdef _WIN32
  } else if (getenv("LOCALAPPDATA") && *getenv("LOCALAPPDATA")) {
    snprintf(path, sizeof path, "%s\\sscard\\%s", getenv("LOCALAPPDATA"), name);
#endif
  } else if (getenv("XDG_DATA_HOME") && *getenv("XDG_DATA_HOME")) {
    snprintf(path, sizeof path, "%s/sscard/%s", getenv("XDG_DATA_HOME"), name);
  } else {
    snprintf(path, sizeof path, "%s/.local/share/sscard/%s", getenv("HOME") ? getenv("HOME") : "", name);
  }
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(tok, 1, size - 1, f);
  fclose(f);
  while (n > 0 && (tok[n - 1] == '\n' || tok[n - 1] == '\r' || tok[n - 1] == ' ')) n--;
  tok[n] = '\0';
  if (n < 16 || n > 200) return -1;
  for (size_t i = 0; i < n; i++) {
    char c = tok[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return -1;
  }
  return 0;
}

int sscard_daemon_get(const char *path, char *body, size_t size, size_t *body_len) {
  return sscard_daemon_call("GET", path, SSCARD_READER_TOKEN, NULL, 0, body, size, body_len);
}

/* Zeroes memory that held a PIN or a token (not removed by the optimiser). */
void sscard_wipe(void *p, size_t n) {
  volatile unsigned char *b = p;
  while (n--) *b++ = 0;
}

int sscard_daemon_call(const char *method, const char *path, int counter, const char *payload, size_t payload_len, char *body, size_t size, size_t *body_len) {
  char token[256];
  int tok = counter ? read_token("SSCARD_COUNTER_TOKEN_FILE", "daemon-counter-token", token, sizeof token)
                    : read_token("SSCARD_TOKEN_FILE", "daemon-token", token, sizeof token);
  if (tok != 0) return -2;
  const char *p = getenv("SSCARD_DAEMON_PORT");
  long port = p ? strtol(p, NULL, 10) : 47815;
  if (port <= 0 || port > 65535) return -1;
  if (net_start() != 0) return -1;
  sscard_socket fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd == SSCARD_NO_SOCKET) {
    net_close(fd);
    return -1;
  }
  net_timeouts(fd, 60);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    sscard_wipe(token, sizeof token);
    net_close(fd);
    return -1;
  }
  char req[1536];
  int n = snprintf(req, sizeof req,
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%ld\r\nAuthorization: Bearer %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %lu\r\nConnection: close\r\n\r\n%.*s",
                   method, path, port, token, (unsigned long)payload_len, (int)payload_len, payload ? payload : "");
  sscard_wipe(token, sizeof token);
  int sent = n > 0 && (size_t)n < sizeof req && send(fd, req, n, SSCARD_SEND_FLAGS) == n;
  sscard_wipe(req, sizeof req); /* the request may hold PINs */
  if (!sent) {
    net_close(fd);
    return -1;
  }
  char resp[65536];
  size_t got = 0;
  for (;;) {
    int r = (int)recv(fd, resp + got, (int)(sizeof resp - 1 - got), 0);
    if (r < 0 && net_interrupted()) continue;
    if (r <= 0) break;
    got += (size_t)r;
    if (got >= sizeof resp - 1) break;
  }
  net_close(fd);
  resp[got] = '\0';
  int status = 0;
  if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1) return -1;
  char *start = strstr(resp, "\r\n\r\n");
  if (!start) return -1;
  start += 4;
  size_t len = got - (size_t)(start - resp);
  if (len > size - 1) len = size - 1;
  memcpy(body, start, len);
  body[len] = '\0';
  *body_len = len;
  return status;
}


long sscard_read_bas(int iType, char *pOutInfo, size_t max) {
  return sscard_read_bas_signed(iType, pOutInfo, max, NULL, 0);
}

long sscard_read_bas_signed(int iType, char *pOutInfo, size_t max, char *sign, size_t sign_max) {
  if (!pOutInfo || max == 0) return NATIONAL_BAD_PARAMETER;
  if (sign && sign_max > 0) sign[0] = '\0';
  if (iType < 1 || iType > 4) {
    static const char msg[] = "bad parameter: iType must be 1-4";
    sscard_put(pOutInfo, max, msg, sizeof msg - 1);
    return NATIONAL_BAD_PARAMETER;
  }
  char path[64];
  snprintf(path, sizeof path, "/national/iReadCardBas?iType=%d%s", iType, sign ? "&sign=1" : "");
  if (!sign) return sscard_national_get(path, pOutInfo, max);
  /* "<code>\n<sign>\n<text>" (src/daemon/national-http.ts): the sign line is taken out, the rest is the usual answer */
  char body[8192];
  size_t len = 0;
  int status = sscard_daemon_get(path, body, sizeof body, &len);
  char *nl = status == 200 ? memchr(body, '\n', len) : NULL;
  char *nl2 = nl ? memchr(nl + 1, '\n', len - (size_t)(nl + 1 - body)) : NULL;
  if (status == 200 && !nl2) status = -1;
  char sign_line[2048];
  size_t sign_len = 0;
  if (nl2) {
    sign_len = (size_t)(nl2 - (nl + 1));
    if (sign_len < sizeof sign_line) memcpy(sign_line, nl + 1, sign_len);
    else sign_len = 0;
    memmove(nl + 1, nl2 + 1, len - (size_t)(nl2 + 1 - body));
    len -= (size_t)(nl2 + 1 - (nl + 1));
  }
  long code = sscard_national_answer(status, body, len, pOutInfo, max, 1);
  /* a cut signature would never verify: one that does not fit is left out (docs/c-libraries.md) */
  if (code == 0 && sign_len > 0 && sign_len < sign_max) sscard_put(sign, sign_max, sign_line, sign_len);
  return code;
}

long sscard_national_get(const char *path, char *pOutInfo, size_t max) {
  if (!pOutInfo || max == 0) return NATIONAL_BAD_PARAMETER;
  char body[8192];
  size_t len = 0;
  int status = sscard_daemon_get(path, body, sizeof body, &len);
  return sscard_national_answer(status, body, len, pOutInfo, max, 1);
}

long sscard_national_answer(int status, char *body, size_t len, char *out, size_t max, int whole) {
  if (status == -2) {
    static const char msg[] = "sscard: no daemon token (is the sscard daemon installed for this user?)";
    sscard_put(out, max, msg, sizeof msg - 1);
    return NATIONAL_READER_ERROR;
  }
  if (status != 200 && status != SSCARD_PIN_ON_PC) {
    static const char msg[] = "sscard: the sscard daemon is not running or refused the call";
    sscard_put(out, max, msg, sizeof msg - 1);
    return NATIONAL_READER_ERROR;
  }
  char *nl = memchr(body, '\n', len);
  if (!nl) {
    static const char msg[] = "sscard: unexpected answer from the daemon";
    sscard_put(out, max, msg, sizeof msg - 1);
    return NATIONAL_READER_ERROR;
  }
  *nl = '\0';
  char *end = NULL;
  long code = strtol(body, &end, 10);
  if (end == body || *end != '\0' || code > 0) code = NATIONAL_READER_ERROR;
  size_t text_len = len - (size_t)(nl + 1 - body);
  if (whole && code == 0 && text_len >= max) {
    /* a cut string would look like a result: refuse instead */
    static const char msg[] = "buffer too small";
    sscard_put(out, max, msg, sizeof msg - 1);
    return NATIONAL_BAD_PARAMETER;
  }
  sscard_put(out, max, nl + 1, text_len);
  return code;
}
