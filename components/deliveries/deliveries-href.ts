// The deliveries list's URL for a set of filters and a page cursor; shared by
// the server-rendered table and the client filter form.

/** `sender`: refusals from this source address only. */
export type DeliveryFilterValues = { provider?: string; outcome?: string; errorCode?: string; q?: string; sender?: string };

export function deliveriesHref(values: DeliveryFilterValues, page: { after?: string; before?: string } = {}): string {
  const params = new URLSearchParams();
  for (const key of ["q", "sender", "provider", "outcome", "errorCode"] as const) {
    const value = values[key];
    if (value) params.set(key, value);
  }
  if (page.after) params.set("after", page.after);
  else if (page.before) params.set("before", page.before);
  const search = params.toString();
  return search ? `/deliveries?${search}` : "/deliveries";
}
