/*
 * A HIS-style caller of the national PIN functions (dlopen, like a vendor DLL), for each flavour:
 *   national-pin-caller <lib> mohrss <iVerifyPIN|iChangePIN|iReloadPIN|iUnblockPIN> [iType|null]
 *   national-pin-caller <lib> sscard <VerifyPIN|ChangePIN> [small|null]
 *   national-pin-caller <lib> heasec <VerifyPIN|ChangePIN> [null]
 * prints "<rc>|<buffer>".
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 2; }
  void *sym = dlsym(lib, argv[3]);
  if (!sym) { fprintf(stderr, "no export %s\n", argv[3]); return 3; }
  const char *mode = argc > 4 ? argv[4] : "";
  int null = strcmp(mode, "null") == 0;
  char out[1024];
  memset(out, 'Z', sizeof out);
  out[sizeof out - 1] = '\0';
  long rc;
  if (strcmp(argv[2], "mohrss") == 0) {
    long (*fn)(int, char *) = (long (*)(int, char *))sym;
    rc = fn(*mode && !null ? atoi(mode) : 3, null ? NULL : out);
  } else if (strcmp(argv[2], "sscard") == 0) {
    int (*fn)(char *, int) = (int (*)(char *, int))sym;
    rc = fn(null ? NULL : out, null ? 0 : strcmp(mode, "small") == 0 ? 8 : (int)sizeof out);
  } else if (strcmp(argv[2], "heasec") == 0) {
    long (*fn)(char *) = (long (*)(char *))sym;
    rc = fn(null ? NULL : out);
  } else return 2;
  if (null) out[0] = '\0';
  printf("%ld|%s\n", rc, out);
  return 0;
}
