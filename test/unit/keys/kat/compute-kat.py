#!/usr/bin/env python3
"""Independent computation of the key-service known-answer values.

Written straight from docs/reference/security-profile.md (steps 1-8) on top of the
Python `cryptography` package (OpenSSL-backed, not node:crypto and not sscard's TypeScript).
The printed values are pasted into test/unit/keys/profile-crypto.test.ts. Re-run with
    python3 test/unit/keys/kat/compute-kat.py
"""
import warnings

warnings.filterwarnings("ignore")
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MASTER = {
    "IRK": "31ACB399C6397041FDCE38A6341F676E",
    "RKSSSE": "A28169EF4AFC65F035D5271595D087FB",
    "UKSSSE": "0A6FA02126121E3E8317D06CB678EF8E",
    "PUK": "BD6B962E16C6501D50FAB81FDD7B33D6",
    "BK": "A7E48FA20774450B5AFA80C6827BB3B0",
}


def ecb(alg, key, data):
    # '01' 3DES-EDE2 (16-byte key) or single DES (8-byte key); '03' SM4
    if alg == "01":
        c = TripleDES(key + key if len(key) == 8 else key + key[:8])  # EDE2 = K1 K2 K1
    else:
        c = algorithms.SM4(key)
    e = Cipher(c, modes.ECB()).encryptor()
    return e.update(data) + e.finalize()


def cbc_last(alg, key, data):
    c = TripleDES(key + key + key) if alg == "01" else algorithms.SM4(key)
    bs = 8 if alg == "01" else 16
    e = Cipher(c, modes.CBC(bytes(bs))).encryptor()
    out = e.update(data) + e.finalize()
    return out[-bs:]


def inv(b):
    return bytes(x ^ 0xFF for x in b)


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def pad80(data, bs):
    data = data + b"\x80"
    while len(data) % bs:
        data += b"\x00"
    return data


def div(alg, k, f):  # step 1
    return ecb(alg, k, f) + ecb(alg, k, inv(f)) if alg == "01" else ecb(alg, k, f + inv(f))


def factors(region, hist):  # step 2
    return (region[:2].encode() + b"0000sh", region.encode() + b"sx", hist[5:13])


def card_key(alg, mk, region, hist):
    k = mk
    for f in factors(region, hist):
        k = div(alg, k, f)
    return k


def r8(ch):
    return ch + bytes(4) if len(ch) == 4 else ch


def session_key(alg, ck, ch):  # step 3
    return ecb(alg, ck, r8(ch)) if alg == "01" else ecb(alg, ck, r8(ch) + bytes(8))


def auth(alg, sk, d):  # step 4
    if alg == "01":
        return ecb(alg, sk, d)
    y = ecb(alg, sk, d + bytes(8))
    return xor(y[:8], y[8:])


def mac(alg, sk, inp):  # step 7
    bs = 8 if alg == "01" else 16
    last = cbc_last(alg, sk, pad80(inp, bs))
    if alg == "01":
        return last[:4]
    return xor(xor(last[0:4], last[4:8]), xor(last[8:12], last[12:16]))


def enc_pin(alg, sk, pin):  # step 8
    bs = 8 if alg == "01" else 16
    digits = pin + ("F" if len(pin) % 2 else "")
    bcd = bytes.fromhex(digits)
    return ecb(alg, sk, pad80(bytes([len(bcd)]) + bcd, bs))


H = lambda b: b.hex().upper()

ATR = bytes.fromhex("3B6D000000814A444686605199000001AC")
HIST = ATR[4:]
REGION = "639900"
R8_INT = bytes.fromhex("1122334455667788")
D8 = bytes.fromhex("0102030405060708")
CH8 = bytes.fromhex("A1A2A3A4A5A6A7A8")
CH4 = bytes.fromhex("12345678")

print("hist", H(HIST))
print("factors", [H(f) for f in factors(REGION, HIST)])
for alg in ("01", "03"):
    print(f"\n== alg {alg}")
    print("div(IRK, f1)", H(div(alg, bytes.fromhex(MASTER["IRK"]), factors(REGION, HIST)[0])))
    ck = {r: card_key(alg, bytes.fromhex(m), REGION, HIST) for r, m in MASTER.items()}
    for r in MASTER:
        print("CK", r, H(ck[r]))
    sk = session_key(alg, ck["IRK"], R8_INT)
    print("internal: SK", H(sk), "auth", H(auth(alg, sk, D8)))
    for role in ("RKSSSE", "UKSSSE", "PUK"):
        sk = session_key(alg, ck[role], CH8)
        print(f"external {role}: SK", H(sk), "auth", H(auth(alg, sk, D8)))
    sk = session_key(alg, ck["PUK"], CH4)
    print("PUK SK(ch4)", H(sk))
    enc = enc_pin(alg, sk, "123456")
    print("encPin 123456", H(enc))
    lc = len(enc) + 4
    inp = bytes([0x84, 0x24, 0x00, 0x01, lc]) + enc
    print("reload input", H(inp), "mac", H(mac(alg, sk, inp)))
    print("unblock mac", H(mac(alg, sk, bytes.fromhex("8424000004"))))
    print("encPin 12345", H(enc_pin(alg, sk, "12345")))
    print("encPin 12345678901234", H(enc_pin(alg, sk, "12345678901234")))
    skb = session_key(alg, ck["BK"], CH4)
    print("BK SK", H(skb), "app block mac", H(mac(alg, skb, bytes.fromhex("841E000104"))),
          "card block mac", H(mac(alg, skb, bytes.fromhex("8416000004"))))
