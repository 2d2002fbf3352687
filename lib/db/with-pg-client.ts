import pg from "pg";

/**
 * One short-lived connection for a few statements (creating or dropping a
 * database, reading a server's settings), closed whatever happens. Gives up
 * connecting after 10 s rather than waiting on a server that is away.
 */
export async function withPgClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
