"""The national PIN functions through ctypes, as HIS test code loads the vendor .so:
national_pin_ctypes.py <lib> <mohrss|sscard|heasec> <function>; prints '<code>|<hex of the buffer>'."""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
flavour, name = sys.argv[2], sys.argv[3]
fn = getattr(lib, name)
buf = ctypes.create_string_buffer(1024)
if flavour == "mohrss":
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p]
    fn.restype = ctypes.c_long
    code = fn(3, buf)
elif flavour == "sscard":
    fn.argtypes = [ctypes.c_char_p, ctypes.c_int]
    fn.restype = ctypes.c_int64  # declared 64-bit as some HIS callers do
    code = fn(buf, 1024)
else:
    fn.argtypes = [ctypes.c_char_p]
    fn.restype = ctypes.c_long
    code = fn(buf)
print(f"{code}|{buf.value.hex()}")
