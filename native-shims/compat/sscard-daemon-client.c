/*
 * The C libraries' one way to the sscard daemon (docs/c-libraries.md): an HTTP GET on 127.0.0.1 with
 * the local reader token. No card logic.
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

/* Reads the reader token (16-200 URL-safe characters) into tok; 0 on success. */
static int read_token(char *tok, size_t size) {
  char path[4096];
  const char *file = getenv("SSCARD_TOKEN_FILE");
  if (file && *file) {
    snprintf(path, sizeof path, "%s", file);
  } else if (getenv("SSCARD_DATA_DIR") && *getenv("SSCARD_DATA_DIR")) {
    snprintf(path, sizeof path, "%s/daemon-token", getenv("SSCARD_DATA_DIR"));
#ifdef _WIN32
  } else if (getenv("LOCALAPPDATA") && *getenv("LOCALAPPDATA")) {
    snprintf(path, sizeof path, "%s\\sscard\\daemon-token", getenv("LOCALAPPDATA"));
#endif
  } else if (getenv("XDG_DATA_HOME") && *getenv("XDG_DATA_HOME")) {
    snprintf(path, sizeof path, "%s/sscard/daemon-token", getenv("XDG_DATA_HOME"));
  } else {
    snprintf(path, sizeof path, "%s/.local/share/sscard/daemon-token", getenv("HOME") ? getenv("HOME") : "");
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
  char token[256];
  if (read_token(token, sizeof token) != 0) return -2;
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
    net_close(fd);
    return -1;
  }
  char req[1024];
  int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%ld\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n", path, port, token);
  if (n <= 0 || (size_t)n >= sizeof req || send(fd, req, n, SSCARD_SEND_FLAGS) != n) {
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
  char body[8192];
  size_t len = 0;
  int status = sscard_daemon_get(path, body, sizeof body, &len);
  if (status == -2) {
    static const char msg[] = "sscard: no daemon token (is the sscard daemon installed for this user?)";
    sscard_put(pOutInfo, max, msg, sizeof msg - 1);
    return NATIONAL_READER_ERROR;
  }
  if (status != 200) {
    static const char msg[] = "sscard: the sscard daemon is not running or refused the call";
    sscard_put(pOutInfo, max, msg, sizeof msg - 1);
    return NATIONAL_READER_ERROR;
  }
  /* "<code>\n<text>", or with sign "<code>\n<sign>\n<text>" (src/daemon/national-http.ts) */
  char *nl = memchr(body, '\n', len);
  char *sign_line = nl ? nl + 1 : NULL;
  char *text = sign_line;
  if (sign && nl) {
    char *nl2 = memchr(sign_line, '\n', len - (size_t)(sign_line - body));
    text = nl2 ? nl2 + 1 : NULL;
    if (nl2) *nl2 = '\0';
  }
  if (!nl || !text) {
    static const char msg[] = "sscard: unexpected answer from the daemon";
    sscard_put(pOutInfo, max, msg, sizeof msg - 1);
    return NATIONAL_READER_ERROR;
  }
  *nl = '\0';
  char *end = NULL;
  long code = strtol(body, &end, 10);
  if (end == body || *end != '\0' || code > 0) code = NATIONAL_READER_ERROR;
  size_t text_len = len - (size_t)(text - body);
  if (code == 0 && text_len >= max) {
    /* a cut basic-information string would look like a read: refuse instead */
    static const char msg[] = "buffer too small";
    sscard_put(pOutInfo, max, msg, sizeof msg - 1);
    return NATIONAL_BAD_PARAMETER;
  }
  sscard_put(pOutInfo, max, text, text_len);
  /* a cut signature would never verify: one that does not fit is left out (docs/c-libraries.md) */
  size_t sign_len = sign && code == 0 ? strlen(sign_line) : 0;
  if (sign_len > 0 && sign_len < sign_max) sscard_put(sign, sign_max, sign_line, sign_len);
  return code;
}
