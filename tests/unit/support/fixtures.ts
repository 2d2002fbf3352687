import { readFileSync } from "node:fs";

// The providers' documented examples, copied verbatim from their pages.

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return fixtureBytes(name).toString("utf8");
}

export type PaycoolsEnvelope = { sign: string; param: string };

export const paycoolsGlobalExample = (): PaycoolsEnvelope =>
  JSON.parse(fixtureText("paycools-global-payment-notification.json")) as PaycoolsEnvelope;

export const paycoolsIndonesiaExample = (): PaycoolsEnvelope =>
  JSON.parse(fixtureText("paycools-indonesia-static-va-notification.json")) as PaycoolsEnvelope;

export const payermaxExampleBytes = (): Buffer => fixtureBytes("payermax-payment-notification.json");

export const payermaxExample = (): Record<string, unknown> =>
  JSON.parse(fixtureText("payermax-payment-notification.json")) as Record<string, unknown>;

export const payermaxExampleSignature = (): string => fixtureText("payermax-payment-notification.sign.txt").trim();
