"""The NHSA HeaSecReadInfo flavour through ctypes: [init] then ReadCardBas; prints '<code>|<hex of pCardInfo>|<hex of pBusiCardInfo>'."""
import ctypes
import json
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.Init.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
lib.ReadCardBas.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
lib.ReadCardBas.restype = ctypes.c_long
err = ctypes.create_string_buffer(1024)
if sys.argv[2] == "init":
    cfg = {"IP": "10.0.0.1", "PORT": 8080, "TIMEOUT": 30, "LOG_PATH": "C:\\logs", "CARD_PASSTYPE": "1", "ORG_ID": "H32010000001", "AREA_CODE": "320100"}
    assert lib.Init(json.dumps(cfg).encode(), err) == 0, err.value
card = ctypes.create_string_buffer(2048)
busi = ctypes.create_string_buffer(8192)
busi.value = b"stale"
code = lib.ReadCardBas(card, busi)
print(f"{code}|{card.value.hex()}|{busi.value.hex()}")
