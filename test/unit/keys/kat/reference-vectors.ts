/**
 * Known answers for the reference security profile with its TEST master keys, computed
 * independently of sscard's TypeScript by `python3 test/unit/keys/kat/compute-kat.py` (Python
 * `cryptography` 48 on OpenSSL: TripleDES / SM4 ECB and CBC, written from docs/reference/security-profile.md
 * steps 1-8). Spot checks with the openssl CLI: Div(IRK, f1) for both algorithms
 * (`openssl enc -des-ede-ecb` / `-sm4-ecb` over f1 ‖ ~f1) and the 3DES PIN RELOAD MAC
 * (`openssl enc -des-cbc -provider legacy` over the padded input: last block starts F374B6D1).
 */
export const TEST_MASTER_KEYS = {
  IRK: '31ACB399C6397041FDCE38A6341F676E',
  RKSSSE: 'A28169EF4AFC65F035D5271595D087FB',
  UKSSSE: '0A6FA02126121E3E8317D06CB678EF8E',
  PUK: 'BD6B962E16C6501D50FAB81FDD7B33D6',
  BK: 'A7E48FA20774450B5AFA80C6827BB3B0',
} as const;

/** A real-looking card: region 639900, the docs/reference/card-spec.md §6 example ATR. */
export const CARD = {
  regionCode: '639900',
  atr: '3B6D000000814A444686605199000001AC',
  atrHistorical: '00814A444686605199000001AC',
  f1: '3633303030307368', // "63" "0000sh"
  f2: '3633393930307378', // "639900" "sx"
  f3: '86605199000001AC', // historical bytes 6..13
} as const;

/** Inputs used for every algorithm. */
export const INPUTS = {
  internalR8: '1122334455667788',
  d8: '0102030405060708',
  challenge8: 'A1A2A3A4A5A6A7A8',
  challenge4: '12345678',
  pin: '123456',
} as const;

export interface AlgorithmVectors {
  divIrkF1: string;
  ck: Record<keyof typeof TEST_MASTER_KEYS, string>;
  internal: { sk: string; auth: string };
  external: Record<'RKSSSE' | 'UKSSSE' | 'PUK', { sk: string; auth: string }>;
  /** PUK session key from challenge4 ‖ 00000000. */
  pukSk4: string;
  encPin123456: string;
  reloadInput: string;
  reloadMac: string;
  unblockMac: string; // input 84 24 00 00 04
  encPin12345: string;
  encPin14digits: string; // 12345678901234
  bkSk4: string;
  appBlockMac: string; // input 84 1E 00 01 04
  cardBlockMac: string; // input 84 16 00 00 04
}

export const VECTORS: Record<'01' | '03', AlgorithmVectors> = {
  '01': {
    divIrkF1: '5A6B52173D328E180D1B0958EE9F831F',
    ck: {
      IRK: '4F47ED2C8B23CDF7A953A90741282346',
      RKSSSE: '4866DE698FFA7C3759E35C0F75F9F12A',
      UKSSSE: 'CCD7716E6A45A8C87D4B99861A000285',
      PUK: '9949878A9DB884EAE9368948D1FF997D',
      BK: '8EB4BA5311DF4423FCD75884251E9993',
    },
    internal: { sk: '5017E0ECFF0C129E', auth: '3E618DF822B34F0A' },
    external: {
      RKSSSE: { sk: '028AF49DD822630A', auth: 'FC83298B10EB972F' },
      UKSSSE: { sk: '57DA9CCDBA1D8DCF', auth: 'EC8B67F401686830' },
      PUK: { sk: '8ADA1592E7434296', auth: 'DD9AC839C4C22013' },
    },
    pukSk4: 'E63CCA63FB316B0A',
    encPin123456: 'A3F8F26432D3DAA3',
    reloadInput: '842400010CA3F8F26432D3DAA3',
    reloadMac: 'F374B6D1',
    unblockMac: 'F2688F34',
    encPin12345: 'B7189228CEE96419',
    encPin14digits: '773CB6E99660426230E8BECA2A400B5A',
    bkSk4: 'C1BA0F37EB6F58F8',
    appBlockMac: '30EE23F6',
    cardBlockMac: 'E2926BBD',
  },
  '03': {
    divIrkF1: '815DC6782CFFC1BC01CBEED6CE2400F0',
    ck: {
      IRK: '63F493693180F42875332DDA7B88CC8A',
      RKSSSE: '418FB61D29EF51C0433A4E1BA29D2922',
      UKSSSE: 'B18B7301066C94D5261782F0AB0378C8',
      PUK: '0F4989640BBD3D36FCFECC863FC1A4C0',
      BK: 'F3EA1FB7D6F052808DC6002F1371A756',
    },
    internal: { sk: 'CAE9E3CF241A8DF67363254F525BD579', auth: '5F964F6A41E7DD5E' },
    external: {
      RKSSSE: { sk: '8FD978C186BB18FC90E02F4C87EAF552', auth: 'A974873594E370CF' },
      UKSSSE: { sk: '12386B9BA23C64A812D42A82BEF38325', auth: 'E003868ED867A78A' },
      PUK: { sk: '9C2999F6633CD8A23CB2343212299738', auth: '7BC4F8BB53F08845' },
    },
    pukSk4: '017EF9DC6A57F87CCF69AFDFF2C00ACF',
    encPin123456: 'D92A5974B168E61CCB3E53BD48275738',
    reloadInput: '8424000114D92A5974B168E61CCB3E53BD48275738',
    reloadMac: '588A5526',
    unblockMac: 'F078AE2D',
    encPin12345: '037E06C03EE5BDF2E0D60988F1815120',
    encPin14digits: '8F2968BAF36CEDA987D829A62ACB136F',
    bkSk4: 'EDD61859EC7E24172A7C79524A132999',
    appBlockMac: '0BD6E0C8',
    cardBlockMac: 'BBBD3538',
  },
};
