// The deliveries search's bounds, shared by the list's query and its form (a
// client component, which must not import the query's database code).
export const SEARCH_MIN_LENGTH = 3;
export const SEARCH_MAX_LENGTH = 128;
