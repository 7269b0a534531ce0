/* A HIS-style caller of iReadCardBas (loaded with dlopen like a vendor DLL): prints "<code>|<buffer>". */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 2; }
  long (*iReadCardBas)(int, char *) = (long (*)(int, char *))dlsym(lib, "iReadCardBas");
  if (!iReadCardBas) return 2;
  if (strcmp(argv[2], "null") == 0) { printf("%ld|\n", iReadCardBas(3, NULL)); return 0; }
  char out[1024];
  memset(out, 'Z', sizeof out);
  long rc = iReadCardBas(atoi(argv[2]), out);
  printf("%ld|%s\n", rc, out);
  return 0;
}
