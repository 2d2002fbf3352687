import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

// The openssl command-line tool as a signer independent of node:crypto.

const run = promisify(execFile);

async function openssl(args: string[]): Promise<string> {
  const { stdout } = await run("openssl", args, { maxBuffer: 1024 * 1024 });
  return stdout;
}

export type OpensslKey = {
  privateKeyPath: string;
  publicKeyPemPath: string;
  /** DER SPKI in base64, the form providers hand public keys out in. */
  publicKeyBase64: string;
  publicKeyPem: string;
  /** "SHA256:<base64 without padding>" of the DER SPKI, computed by openssl. */
  fingerprint: string;
};

export type Workspace = { dir: string; remove(): Promise<void> };

export async function createWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "payhook-openssl-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

let fileCounter = 0;
const nextFile = (dir: string, suffix: string) => join(dir, `f${++fileCounter}.${suffix}`);

export async function generateKey(dir: string, name: string, algorithm: "RSA" | "EC", option: string): Promise<OpensslKey> {
  const privateKeyPath = join(dir, `${name}.key.pem`);
  const publicKeyPemPath = join(dir, `${name}.pub.pem`);
  const publicKeyDerPath = join(dir, `${name}.pub.der`);
  await openssl(["genpkey", "-algorithm", algorithm, "-pkeyopt", option, "-out", privateKeyPath]);
  await openssl(["pkey", "-in", privateKeyPath, "-pubout", "-out", publicKeyPemPath]);
  await openssl(["pkey", "-in", privateKeyPath, "-pubout", "-outform", "DER", "-out", publicKeyDerPath]);
  const digestPath = join(dir, `${name}.pub.sha256`);
  await openssl(["dgst", "-sha256", "-binary", "-out", digestPath, publicKeyDerPath]);
  const digest = (await openssl(["base64", "-A", "-in", digestPath])).trim();
  return {
    privateKeyPath,
    publicKeyPemPath,
    publicKeyBase64: (await openssl(["base64", "-A", "-in", publicKeyDerPath])).trim(),
    publicKeyPem: await readFile(publicKeyPemPath, "utf8"),
    fingerprint: `SHA256:${digest.replace(/=+$/, "")}`,
  };
}

export const generateRsaKey = (dir: string, name: string, bits: number) => generateKey(dir, name, "RSA", `rsa_keygen_bits:${bits}`);

/** `openssl dgst -sha256 -sign` over the bytes, base64 without line breaks. */
export async function opensslSign(dir: string, privateKeyPath: string, bytes: Buffer): Promise<string> {
  const dataPath = nextFile(dir, "bin");
  const signaturePath = nextFile(dir, "sig");
  await writeFile(dataPath, bytes);
  await openssl(["dgst", "-sha256", "-sign", privateKeyPath, "-out", signaturePath, dataPath]);
  return (await openssl(["base64", "-A", "-in", signaturePath])).trim();
}

/** `openssl dgst -sha256 -verify`: true when openssl accepts the signature. */
export async function opensslVerify(dir: string, publicKeyPemPath: string, bytes: Buffer, signatureBase64: string): Promise<boolean> {
  const dataPath = nextFile(dir, "bin");
  const signaturePath = nextFile(dir, "sig");
  await writeFile(dataPath, bytes);
  await writeFile(signaturePath, Buffer.from(signatureBase64, "base64"));
  try {
    const out = await openssl(["dgst", "-sha256", "-verify", publicKeyPemPath, "-signature", signaturePath, dataPath]);
    return out.includes("Verified OK");
  } catch {
    return false;
  }
}
