/**
 * The figures a page shows of a compiled release (title, buyer, tender value,
 * contracted and paid amounts) and the product's own red flag: payments
 * (implementation transactions) larger than the contracts. Pure.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const amountOf = (value: unknown): number | null => {
  if (!isObject(value)) return null;
  const amount = typeof value.amount === 'number' ? value.amount : isObject(value.amount) && typeof value.amount.amount === 'number' ? value.amount.amount : null;
  return amount !== null && Number.isFinite(amount) ? amount : null;
};
const currencyOf = (value: unknown): string | null => (isObject(value) && typeof value.currency === 'string' ? value.currency : isObject(value) && isObject(value.amount) && typeof value.amount.currency === 'string' ? value.amount.currency : null);

export interface CompiledFigures {
  readonly title: string | null;
  readonly buyerId: string | null;
  readonly buyerName: string | null;
  readonly tenderAmount: number | null;
  readonly contractAmount: number | null;
  readonly paidAmount: number | null;
  readonly currency: string | null;
}

/** Sums over contracts that are not cancelled; transactions in OCDS 1.1 (`value`) or 1.0 (`amount`) form. */
export function figuresOf(compiled: Json): CompiledFigures {
  const tender = isObject(compiled.tender) ? compiled.tender : {};
  const buyer = isObject(compiled.buyer) ? compiled.buyer : isObject(tender.procuringEntity) ? tender.procuringEntity : {};
  let contractAmount: number | null = null;
  let paidAmount: number | null = null;
  let currency = currencyOf(tender.value);
  for (const contract of Array.isArray(compiled.contracts) ? compiled.contracts : []) {
    if (!isObject(contract) || contract.status === 'cancelled') continue;
    const value = amountOf(contract.value);
    if (value !== null) contractAmount = (contractAmount ?? 0) + value;
    currency ??= currencyOf(contract.value);
    const implementation = isObject(contract.implementation) ? contract.implementation : {};
    for (const transaction of Array.isArray(implementation.transactions) ? implementation.transactions : []) {
      if (!isObject(transaction)) continue;
      const paid = amountOf(transaction.value) ?? amountOf(transaction);
      if (paid !== null) paidAmount = (paidAmount ?? 0) + paid;
    }
  }
  if (contractAmount === null) {
    for (const award of Array.isArray(compiled.awards) ? compiled.awards : []) {
      if (!isObject(award) || award.status !== 'active') continue;
      const value = amountOf(award.value);
      if (value !== null) contractAmount = (contractAmount ?? 0) + value;
    }
  }
  return {
    title: typeof tender.title === 'string' && tender.title !== '' ? tender.title : null,
    buyerId: typeof buyer.id === 'string' || typeof buyer.id === 'number' ? String(buyer.id) : null,
    buyerName: typeof buyer.name === 'string' && buyer.name !== '' ? buyer.name : null,
    tenderAmount: amountOf(tender.value),
    contractAmount,
    paidAmount,
    currency,
  };
}

/** The party names of a compiled release by id (for naming flagged buyers and tenderers). */
export function partyNames(compiled: Json): Map<string, string> {
  const names = new Map<string, string>();
  for (const party of Array.isArray(compiled.parties) ? compiled.parties : []) {
    if (isObject(party) && (typeof party.id === 'string' || typeof party.id === 'number') && typeof party.name === 'string' && party.name !== '') names.set(String(party.id), party.name);
  }
  const buyer = compiled.buyer;
  if (isObject(buyer) && typeof buyer.id === 'string' && typeof buyer.name === 'string' && buyer.name !== '') names.set(buyer.id, buyer.name);
  return names;
}

/** Paid more than contracted (beyond a cent): the product flags it, never refuses it. */
export function paidOverContract(figures: Pick<CompiledFigures, 'contractAmount' | 'paidAmount'>): boolean {
  return figures.contractAmount !== null && figures.paidAmount !== null && figures.paidAmount > figures.contractAmount + 0.005;
}
