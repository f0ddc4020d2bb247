/**
 * Privacy: masking personal data in free text before it is shown publicly
 * (phones, identity numbers, e-mail, plates, bank cards, names, door numbers).
 */
export { maskPersonalData, maskText, type MaskOptions, type MaskResult } from './mask.ts';
export { PERSONAL_DATA_KINDS, type PersonalDataKind, type PersonalDataMatch } from './personal-data.ts';
