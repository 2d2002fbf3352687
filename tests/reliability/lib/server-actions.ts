import { randomBytes } from "node:crypto";
import type { CookieJar, HttpClient, HttpResponse } from "./http";

// Calling a Server Action over HTTP the way React's client does: a POST to the
// page with the action's id in `Next-Action`, the arguments encoded as React
// encodes them ([previousState, FormData] for a form action with state).

function multipart(fields: [string, string][]): { body: Buffer; contentType: string } {
  const boundary = `----reliability${randomBytes(8).toString("hex")}`;
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return { body: Buffer.from(`${parts.join("")}--${boundary}--\r\n`, "utf8"), contentType: `multipart/form-data; boundary=${boundary}` };
}

export type ActionCall = {
  page: string;
  actionId: string;
  form: Record<string, string>;
  jar: CookieJar | null;
  origin: string;
};

/** Invokes `action(null, formData)`; the answer is React's flight text, with the returned object in it. */
export function callServerAction(client: HttpClient, call: ActionCall): Promise<HttpResponse> {
  // React encodes the argument list as JSON in part 0, written last; a FormData argument becomes "$K1" and its
  // fields "_1_<name>", which the server reads in order before part 0. (An array: an object would put "0" first.)
  const fields: [string, string][] = Object.entries(call.form).map(([name, value]) => [`_1_${name}`, value]);
  fields.push(["0", JSON.stringify([null, "$K1"])]);
  const { body, contentType } = multipart(fields);
  const cookie = call.jar?.header();
  const host = new URL(client.baseURL).host;
  return client.request({
    method: "POST",
    path: call.page,
    headers: {
      accept: "text/x-component",
      "next-action": call.actionId,
      "content-type": contentType,
      origin: call.origin,
      host,
      ...(cookie ? { cookie } : {}),
    },
    body,
  });
}

/** The `{ ok, message }` an action returned, read out of the flight answer (a refreshed page may come with it). */
export function actionResult(response: HttpResponse): { ok: boolean; message: string } | null {
  const text = response.body.toString("utf8");
  const match = /^\d+:(\{"ok":(?:true|false)[^\n]*\})$/m.exec(text);
  if (!match) return null;
  try {
    const value = JSON.parse(match[1]!) as { ok: boolean; message?: string };
    return { ok: value.ok, message: value.message ?? "" };
  } catch {
    return null;
  }
}
