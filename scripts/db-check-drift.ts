// `npm run db:check`: fails when prisma/schema.prisma and prisma/migrations
// disagree, i.e. someone changed the schema without creating a migration.
import { checkDrift, MigrationError } from "@/lib/db/migrate";

async function main(): Promise<number> {
  const { drift, sql } = await checkDrift();
  if (!drift) {
    console.log("prisma/schema.prisma and prisma/migrations are in sync.");
    return 0;
  }
  console.error(
    "prisma/schema.prisma differs from prisma/migrations. Create a migration with\n" +
      "`npm run db:migrate:create -- <name>`. The migrations lack:\n",
  );
  console.error(sql.trimEnd());
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof MigrationError ? error.message : error instanceof Error ? error.stack : String(error);
    console.error(`db:check failed: ${message}`);
    process.exit(1);
  },
);
