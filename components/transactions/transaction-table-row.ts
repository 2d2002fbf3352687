import { formatDateTime, formatMoney, PROVIDER_LABELS } from "@/lib/format";
import { duplicateLabel, type TransactionListRow } from "@/lib/transactions/find-transactions";

// What the client table shows, formatted once on the server: the browser's
// Intl could format a little differently and break hydration.

export type TransactionTableRow = {
  id: string;
  firstSeen: string;
  firstSeenIso: string;
  provider: string;
  providerLabel: string;
  kind: string;
  merchantOrderId: string;
  providerTransactionId: string;
  status: string;
  providerStatus: string;
  statusConflict: boolean;
  conflictingStatus: string | null;
  amount: string;
  amountDisplay: string;
  rawAmount: string;
  currency: string;
  channel: string | null;
  paymentMethod: string | null;
  referenceNumber: string | null;
  duplicate: "declared" | "detected" | "original" | "";
};

export function toTableRow(row: TransactionListRow, timeZone: string): TransactionTableRow {
  return {
    id: row.id,
    firstSeen: formatDateTime(row.firstSeenAt, timeZone),
    firstSeenIso: row.firstSeenAt.toISOString(),
    provider: row.provider,
    providerLabel: PROVIDER_LABELS[row.provider] ?? row.provider,
    kind: row.kind,
    merchantOrderId: row.merchantOrderId,
    providerTransactionId: row.providerTransactionId,
    status: row.status,
    providerStatus: row.providerStatus,
    statusConflict: row.statusConflict,
    conflictingStatus: row.conflictingStatus,
    amount: row.amount,
    amountDisplay: formatMoney(row.amount, row.currency),
    rawAmount: row.rawAmount,
    currency: row.currency,
    channel: row.channel,
    paymentMethod: row.paymentMethod,
    referenceNumber: row.referenceNumber,
    duplicate: duplicateLabel(row),
  };
}
