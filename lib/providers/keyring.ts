import { createHash, createPublicKey, type KeyObject } from "node:crypto";

// A provider's public keys, from one environment variable holding one or more
// keys separated by commas (so a key can be rotated without downtime). Each is
// base64 X.509/SPKI exactly as the providers hand it out, or PEM.

export type PublicKeyEntry = {
  key: KeyObject;
  /** "SHA256:<base64>" of the SPKI DER, the form `ssh-keygen -l` made familiar. */
  fingerprint: string;
  bits: number;
};

export type Keyring =
  | { ok: true; keys: PublicKeyEntry[] }
  | { ok: false; reason: "missing" | "invalid"; message: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The entries in the order given: PEM blocks whole, everything else split on commas. */
function splitEntries(value: string): string[] {
  const entries: string[] = [];
  const addBase64 = (text: string) => {
    for (const part of text.split(",")) {
      const entry = part.replace(/\s+/g, "");
      if (entry !== "") entries.push(entry);
    }
  };
  // PEM pasted into an env var often arrives with literal "\n" sequences.
  const text = value.replace(/\\n/g, "\n");
  let rest = 0;
  for (const match of text.matchAll(PEM_BLOCK)) {
    addBase64(text.slice(rest, match.index));
    entries.push(match[0]);
    rest = match.index + match[0].length;
  }
  addBase64(text.slice(rest));
  return entries;
}

function toKeyObject(entry: string): KeyObject {
  if (entry.startsWith("-----BEGIN")) {
    // createPublicKey would happily derive a public key from a private one; a
    // private key in this variable is a leak to report, not a key to use.
    if (/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(entry)) throw new Error("a private key");
    return createPublicKey(entry);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) throw new Error("not base64");
  return createPublicKey({ key: Buffer.from(entry, "base64"), format: "der", type: "spki" });
}

export function fingerprintOf(key: KeyObject): string {
  const der = key.export({ format: "der", type: "spki" });
  return `SHA256:${createHash("sha256").update(der).digest("base64").replace(/=+$/, "")}`;
}

export function parseKeyring(value: string | undefined, variable: string): Keyring {
  if (!value) {
    return {
      ok: false,
      reason: "missing",
      message: `${variable} is not set: put the provider's callback public key (base64 X.509 or PEM) in it`,
    };
  }
  const keys: PublicKeyEntry[] = [];
  const entries = splitEntries(value);
  for (const [index, entry] of entries.entries()) {
    let key: KeyObject;
    try {
      key = toKeyObject(entry);
    } catch (error) {
      const privateKey = (error as Error).message === "a private key";
      return {
        ok: false,
        reason: "invalid",
        message: privateKey
          ? `${variable}: key ${index + 1} of ${entries.length} is a PRIVATE key: remove it (and rotate it, it is no longer secret) and put the provider's public key here`
          : `${variable}: key ${index + 1} of ${entries.length} is not a public key in base64 X.509/SPKI or PEM form`,
      };
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== "rsa" || bits < 2048) {
      return {
        ok: false,
        reason: "invalid",
        message: `${variable}: key ${index + 1} of ${entries.length} must be an RSA key of at least 2048 bits`,
      };
    }
    keys.push({ key, bits, fingerprint: fingerprintOf(key) });
  }
  if (keys.length === 0) {
    return { ok: false, reason: "missing", message: `${variable} is empty: put the provider's public key in it` };
  }
  return { ok: true, keys };
}

/** A keyring parsed again only when its variable's value changes. */
export function cachedKeyring(variable: string, read: () => string | undefined): () => Keyring {
  let cache: { source: string | undefined; value: Keyring } | undefined;
  return () => {
    const source = read();
    if (!cache || cache.source !== source) cache = { source, value: parseKeyring(source, variable) };
    return cache.value;
  };
}
