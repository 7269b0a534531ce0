import type { FinancialRead } from '../service/domain-types.js';
import type { WireFinancialRead } from './protocol/wire-financial.js';

/** The financial model -> wire, field by field (docs/protocol.md, docs/financial.md). */
export function wireFinancial(f: FinancialRead): WireFinancialRead {
  const a = f.application;
  return {
    application: {
      aid: a.aid,
      kind: a.kind,
      label: a.label,
      preferredName: a.preferredName,
      codeTableIndex: a.codeTableIndex,
      languages: [...a.languages],
      priority: a.priority,
      pdol: a.pdol,
      selectedVia: a.selectedVia,
    },
    path: f.path,
    ...(f.gpoReason ? { gpoReason: f.gpoReason } : {}),
    ...(f.gpoFormat ? { gpoFormat: f.gpoFormat } : {}),
    pan: f.pan,
    panMasked: f.panMasked,
    panSequenceNumber: f.panSequenceNumber,
    expiryDate: f.expiryDate,
    effectiveDate: f.effectiveDate,
    holderName: f.holderName,
    holderIdNumber: f.holderIdNumber,
    holderIdType: f.holderIdType ? { code: f.holderIdType.code, label: f.holderIdType.label } : null,
    ecBalanceFen: f.ecBalanceFen,
    ecBalance: f.ecBalance,
    ecLimitFen: f.ecLimitFen,
    ecSingleLimitFen: f.ecSingleLimitFen,
    transactions: f.transactions.map((t) => ({
      date: t.date,
      time: t.time,
      amountFen: t.amountFen,
      otherAmountFen: t.otherAmountFen,
      currency: t.currency,
      country: t.country,
      type: t.type,
      merchantName: t.merchantName,
      atc: t.atc,
      other: { ...t.other },
    })),
    logFormat: f.logFormat,
    unknownTags: f.unknownTags.map((u) => ({ tag: u.tag, value: u.value })),
    warnings: f.warnings.map((w) => ({ code: w.code, field: w.field, message: w.message })),
  };
}
