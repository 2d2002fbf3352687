/** A database call that did not finish in time: the database is treated as away. */
export class DeadlineExceeded extends Error {
  constructor(ms: number) {
    super(`no answer from the database within ${ms} ms`);
    this.name = "DeadlineExceeded";
  }
}

/**
 * `work`, or DeadlineExceeded after `ms`. A connection to a database behind a
 * network partition accepts queries and never answers them. The pool's query
 * timeout (DATABASE_QUERY_TIMEOUT_MS) ends such a query, but a webhook may first
 * wait for a pool connection, and must answer before the provider gives up: it
 * answers at its own deadline, whatever it was waiting for. The work is not
 * cancelled: it may still commit later, which is safe because nothing was
 * acknowledged and the provider's retry is then recognised as a duplicate.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  // One promise settled by whichever comes first; a failure after the deadline has nobody left to tell.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineExceeded(ms)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
