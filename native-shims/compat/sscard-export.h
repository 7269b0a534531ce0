#ifndef SSCARD_EXPORT_H
#define SSCARD_EXPORT_H
/*
 * How the vendor entry points are exported (docs/c-libraries.md, "Windows"):
 *
 *   SSCARD_EXPORT sscard_result SSCARD_CALL iReadCardBas(int iType, char *pOutInfo);
 *
 * - SSCARD_CALL is __stdcall (WINAPI) on Windows, as the vendor headers declare; on x64 it is the
 *   one Windows convention anyway. The undecorated names come from the .def files in win/ (32-bit
 *   stdcall would otherwise export `iReadCardBas@8`).
 * - sscard_result is the national return value, sign-extended to 64 bits (his-integration §6:
 *   callers declare it 32-bit `int`/`long` or C# 64-bit `long`; only a clean value reads right for
 *   both). Windows' `long` is 32 bits even on x64, so there it is `long long`: EDX:EAX on x86, all
 *   of RAX on x64. On Linux x86-64 `long` already fills RAX.
 */
#ifdef _WIN32
#define SSCARD_EXPORT
#define SSCARD_CALL __stdcall
typedef long long sscard_result;
#else
#define SSCARD_EXPORT __attribute__((visibility("default")))
#define SSCARD_CALL
typedef long sscard_result;
#endif

#endif
