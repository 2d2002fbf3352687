export type ErrorCode =
  | "provider_unknown"
  | "method_not_allowed"
  | "body_too_large"
  | "provider_not_configured"
  | "database_unavailable"
  | "internal_error"
  | (string & {});

/** A JSON error every client can read: a stable code and a sentence that says what to fix. */
export function errorResponse(status: number, code: ErrorCode, message: string, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}
