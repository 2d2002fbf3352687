"use client";

import { usePathname, useRouter } from "next/navigation";
import { useCallback, useTransition } from "react";
import { toSearchParams, withoutCursor, type TransactionQuery } from "@/lib/transactions/transaction-query-params";

/**
 * Moves to a new list state by pushing its query string, so each change is a history entry.
 * A page cursor belongs to the rows it was read among: any change that does not set one drops it.
 */
export function useTransactionsNavigation(query: TransactionQuery) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const navigate = useCallback(
    (changes: Partial<TransactionQuery>) => {
      const search = toSearchParams({ ...withoutCursor(query), ...changes }).toString();
      startTransition(() => router.push(search ? `${pathname}?${search}` : pathname));
    },
    [query, pathname, router],
  );
  return { navigate, pending };
}
