/* A HIS-style caller of the NHSA SSCard flavour (dlopen): Init, then ReadCardBas or VerifyPIN; prints "<rc>|<out>|<sign>". */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 2; }
  int (*Init)(char *, char *) = (int (*)(char *, char *))dlsym(lib, "Init");
  int (*ReadCardBas)(char *, int, char *, int) = (int (*)(char *, int, char *, int))dlsym(lib, "ReadCardBas");
  int (*VerifyPIN)(char *, int) = (int (*)(char *, int))dlsym(lib, "VerifyPIN");
  if (!Init || !ReadCardBas || !VerifyPIN) return 2;
  char url[] = "http://platform.example/hsa-hgs-adapt/api/card/initDll", user[] = "639900|his-host";
  if (Init(url, user) != 0) return 3;
  char out[4096], sign[4096];
  memset(out, 'Z', sizeof out);
  memset(sign, 'Z', sizeof sign);
  out[sizeof out - 1] = sign[sizeof sign - 1] = '\0';
  int rc;
  if (strcmp(argv[2], "read") == 0) rc = ReadCardBas(out, sizeof out, sign, sizeof sign);
  else if (strcmp(argv[2], "small") == 0) rc = ReadCardBas(out, 20, sign, sizeof sign);
  else if (strcmp(argv[2], "nullout") == 0) { rc = ReadCardBas(NULL, 0, sign, sizeof sign); out[0] = sign[0] = 0; }
  else if (strcmp(argv[2], "verify") == 0) { rc = VerifyPIN(out, sizeof out); sign[0] = '\0'; }
  else return 2;
  printf("%d|%s|%s\n", rc, out, sign);
  return 0;
}
