import { createHash, createPrivateKey, createPublicKey, generateKeyPair, sign, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

// Key pairs and signatures made in-process with node:crypto.

const generate = promisify(generateKeyPair);

export type NodeKey = {
  privateKey: KeyObject;
  publicKeyBase64: string;
  publicKeyPem: string;
  fingerprint: string;
};

export async function generateNodeKey(bits: number): Promise<NodeKey> {
  const { privateKey, publicKey } = await generate("rsa", { modulusLength: bits });
  return describeKey(privateKey, publicKey);
}

/** A private key from a PEM file, for signing in-process with a key made elsewhere. */
export async function loadNodeKey(privateKeyPemPath: string): Promise<NodeKey> {
  const privateKey = createPrivateKey(await readFile(privateKeyPemPath, "utf8"));
  return describeKey(privateKey, createPublicKey(privateKey));
}

function describeKey(privateKey: KeyObject, publicKey: KeyObject): NodeKey {
  const der = publicKey.export({ format: "der", type: "spki" });
  return {
    privateKey,
    publicKeyBase64: der.toString("base64"),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    fingerprint: `SHA256:${createHash("sha256").update(der).digest("base64").replace(/=+$/, "")}`,
  };
}

export function nodeSign(key: NodeKey, bytes: Buffer): string {
  return sign("sha256", bytes, key.privateKey).toString("base64");
}
