"""The NHSA SSCard flavour through ctypes, as HIS test code loads SSCard.so: prints '<code>|<hex of pOutBuff>|<hex of pSignBuff>'."""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.Init.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
lib.ReadCardBas.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
# declared 64-bit, as some HIS callers do: the value must still read as the sign-extended code
lib.ReadCardBas.restype = ctypes.c_int64
assert lib.Init(b"http://platform.example/hsa-hgs-adapt/api/card/initDll", b"639900") == 0
out = ctypes.create_string_buffer(1024)
sign = ctypes.create_string_buffer(1024)
code = lib.ReadCardBas(out, 1024, sign, 1024)
print(f"{code}|{out.value.hex()}|{sign.value.hex()}")
