import bcrypt from "bcryptjs";

// bcrypt with cost 12: ~250 ms per check, slow enough to blunt guessing and
// fast enough for a sign-in form.
const COST = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Compared against when the account does not exist, so a wrong email costs as
// long as a wrong password and timing does not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;

export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= bcrypt.hash("no account has this password", COST);
  await bcrypt.compare(password, await dummyHash);
  return false;
}
