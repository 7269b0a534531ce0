/*
 * A HIS-style caller of the HSM two-step (loaded with dlopen like a vendor DLL), one step per run
 * (the daemon keeps the card between the steps). Prints "<code>|<buffer>".
 *   mohrss-hsm-caller LIB step1 <iType>     iReadCardBas_HSM_Step1(iType, out)
 *   mohrss-hsm-caller LIB step2 <pKey>      iReadCardBas_HSM_Step2(pKey, out)
 *   mohrss-hsm-caller LIB step2-nullkey     iReadCardBas_HSM_Step2(NULL, out)
 *   mohrss-hsm-caller LIB step2-nullout     iReadCardBas_HSM_Step2("...", NULL)
 *   mohrss-hsm-caller LIB step1-nullout     iReadCardBas_HSM_Step1(3, NULL)
 *   mohrss-hsm-caller LIB step2-long        a 4096-character pKey
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 2; }
  long (*step1)(int, char *) = (long (*)(int, char *))dlsym(lib, "iReadCardBas_HSM_Step1");
  long (*step2)(char *, char *) = (long (*)(char *, char *))dlsym(lib, "iReadCardBas_HSM_Step2");
  if (!step1 || !step2) return 2;
  char out[1024];
  memset(out, 'Z', sizeof out);
  const char *what = argv[2];
  if (strcmp(what, "step1-nullout") == 0) { printf("%ld|\n", step1(3, NULL)); return 0; }
  if (strcmp(what, "step2-nullout") == 0) { char k[] = "00|"; printf("%ld|\n", step2(k, NULL)); return 0; }
  long rc;
  if (strcmp(what, "step1") == 0 && argc > 3) {
    rc = step1(atoi(argv[3]), out);
  } else if (strcmp(what, "step2") == 0 && argc > 3) {
    rc = step2(argv[3], out);
  } else if (strcmp(what, "step2-nullkey") == 0) {
    rc = step2(NULL, out);
  } else if (strcmp(what, "step2-long") == 0) {
    static char key[4097];
    memset(key, 'A', 4096);
    key[4096] = '\0';
    rc = step2(key, out);
  } else {
    return 2;
  }
  printf("%ld|%s\n", rc, out);
  return 0;
}
