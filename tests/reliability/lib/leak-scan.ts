// What must never show up outside its one home: private keys, the session
// secret, passwords and their hashes, session tokens. Each secret is searched
// for whole and, for long ones, by fragments, so a reformatted or truncated copy
// is caught too.

export type Secret = { name: string; needles: string[] };

const BCRYPT = /\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}/;

/** A PEM's base64 body cut into 40-character pieces: any one of them in the open is a leak. */
export function pemFragments(pem: string): string[] {
  const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const pieces: string[] = [];
  for (let at = 0; at + 40 <= body.length; at += 40) pieces.push(body.slice(at, at + 40));
  return pieces;
}

export function secret(name: string, value: string): Secret {
  return { name, needles: value.length > 64 ? [value, ...[0, 1, 2].map((i) => value.slice(i * 32, i * 32 + 32))] : [value] };
}

export type Leak = { secret: string; source: string; excerpt: string };

/** Every secret found in `text`, with a short excerpt around it (the secret itself masked). */
export function findLeaks(text: string, source: string, secrets: Secret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const { name, needles } of secrets) {
    for (const needle of needles) {
      const at = text.indexOf(needle);
      if (at >= 0) {
        leaks.push({ secret: name, source, excerpt: `${text.slice(Math.max(0, at - 60), at)}[${name}]${text.slice(at + needle.length, at + needle.length + 40)}`.replace(/\s+/g, " ") });
        break;
      }
    }
  }
  const hash = BCRYPT.exec(text);
  if (hash) leaks.push({ secret: "a bcrypt password hash", source, excerpt: text.slice(Math.max(0, hash.index - 60), hash.index).replace(/\s+/g, " ") });
  return leaks;
}
