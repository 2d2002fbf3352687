// `npm run db:generate` (and `postinstall`): generates the Prisma client into
// lib/generated/prisma without downloading anything.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// The CLI's own entry point (what node_modules/.bin/prisma links to), run with
// this Node so it works the same wherever the .bin shims differ.
const prismaCli = require.resolve("prisma/build/index.js");

const env = { ...process.env };
// The Prisma CLI insists on its native schema engine before any command and
// downloads it when absent, from a host these machines cannot reach. The
// `prisma-client` generator never runs that engine (migrations go through the
// WebAssembly engine in lib/db/schema-engine.ts), so any existing file
// satisfies the check. Prisma's own package.json is always present after
// `npm install` and is not executable: should anything ever try to run it as
// the engine, that fails loudly instead of running something else.
env.PRISMA_SCHEMA_ENGINE_BINARY ??= require.resolve("prisma/package.json");
// The update check is a request to Prisma's servers from a detached child process.
env.CHECKPOINT_DISABLE ??= "1";

const result = spawnSync(process.execPath, [prismaCli, "generate", "--schema", "prisma/schema.prisma"], {
  stdio: "inherit",
  env,
});
if (result.error) {
  console.error(`db:generate failed: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
