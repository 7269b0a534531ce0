"""Loads the library the way existing HIS test code loads the vendor .so (ctypes) and prints '<code>|<hex of the buffer>'."""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.iReadCardBas.argtypes = [ctypes.c_int, ctypes.c_char_p]
lib.iReadCardBas.restype = ctypes.c_long
buf = ctypes.create_string_buffer(1024)
code = lib.iReadCardBas(int(sys.argv[2]), buf)
print(f"{code}|{buf.value.hex()}")