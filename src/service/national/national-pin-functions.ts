/** The MOHRSS PIN functions (docs/national-interface.md "PIN functions"); the NHSA VerifyPIN / ChangePIN are the first two. */
export const NATIONAL_PIN_FUNCTIONS = ['iVerifyPIN', 'iChangePIN', 'iReloadPIN', 'iUnblockPIN'] as const;
export type NationalPinFunction = (typeof NATIONAL_PIN_FUNCTIONS)[number];

/** The PINs each function takes when they are typed on the PC, named as the faces carry them, in the order the operation takes them. */
export const PC_PIN_FIELDS: Readonly<Record<NationalPinFunction, readonly string[]>> = { iVerifyPIN: ['pin'], iChangePIN: ['oldPin', 'newPin'], iReloadPIN: ['newPin'], iUnblockPIN: [] };
