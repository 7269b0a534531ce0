/*
 * A Windows HIS-style caller of the sscard DLLs (docs/c-libraries.md, "Windows"), run under wine:
 * LoadLibrary + GetProcAddress, every result declared 64-bit (as the C# `long` callers do) so a
 * value that is not sign-extended shows up. Prints "<rc>|<first buffer>|<second buffer>".
 *   win-caller.exe SSCardDriver.dll <iReadCardBas | iVerifyPIN | ... any (int, char*) function> <iType>
 *   win-caller.exe SSCard.dll ReadCardBas
 *   win-caller.exe HeaSecReadInfo.dll ReadCardBas
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

typedef long long(__stdcall *read_bas_fn)(int, char *);
typedef long long(__stdcall *sscard_read_fn)(char *, int, char *, int);
typedef long long(__stdcall *two_buffers_fn)(char *, char *);

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  HMODULE lib = LoadLibraryA(argv[1]);
  if (!lib) { fprintf(stderr, "LoadLibrary %s: %lu\n", argv[1], GetLastError()); return 2; }
  static char out[8192], second[8192];
  long long rc;
  if (argc > 3) {
    read_bas_fn f = (read_bas_fn)(void *)GetProcAddress(lib, argv[2]);
    if (!f) return 3;
    rc = f(atoi(argv[3]), out);
  } else if (strstr(argv[1], "HeaSecReadInfo")) {
    two_buffers_fn init = (two_buffers_fn)(void *)GetProcAddress(lib, "Init");
    two_buffers_fn read = (two_buffers_fn)(void *)GetProcAddress(lib, "ReadCardBas");
    if (!init || !read) return 3;
    char config[] = "{\"IP\":\"10.0.0.1\",\"PORT\":8080,\"ORG_ID\":\"H00000000001\"}";
    if (init(config, out) != 0) return 4;
    rc = read(out, second);
  } else {
    sscard_read_fn f = (sscard_read_fn)(void *)GetProcAddress(lib, "ReadCardBas");
    if (!f) return 3;
    rc = f(out, sizeof out, second, sizeof second);
  }
  printf("%lld|%s|%s\n", rc, out, second);
  return 0;
}
