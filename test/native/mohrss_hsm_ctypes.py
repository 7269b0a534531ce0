"""Calls the HSM two-step the way HIS test code loads the vendor .so (ctypes), one step per run; prints '<code>|<hex of the buffer>'.

    mohrss_hsm_ctypes.py LIB step1 <iType>
    mohrss_hsm_ctypes.py LIB step2 <pKey>
"""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.iReadCardBas_HSM_Step1.argtypes = [ctypes.c_int, ctypes.c_char_p]
lib.iReadCardBas_HSM_Step1.restype = ctypes.c_long
lib.iReadCardBas_HSM_Step2.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
lib.iReadCardBas_HSM_Step2.restype = ctypes.c_long
buf = ctypes.create_string_buffer(1024)
if sys.argv[2] == "step1":
    code = lib.iReadCardBas_HSM_Step1(int(sys.argv[3]), buf)
else:
    code = lib.iReadCardBas_HSM_Step2(sys.argv[3].encode("ascii"), buf)
print(f"{code}|{buf.value.hex()}")
