import { randomInt } from "node:crypto";

/**
 * An X-Forwarded-For address of a sender of its own (a random /64 of the IPv6
 * documentation range, written as Payhook writes it), for a test that needs
 * its refusals recorded: the server records at most so many a minute per
 * sender, and other tests send refusals from this machine's address alongside.
 */
export function ownSenderAddress(): string {
  const group = () => randomInt(0x1000, 0x10000).toString(16);
  return `2001:db8:${group()}:${group()}::1`;
}
