import { readFileSync } from "node:fs";

// The project runs on the Node.js major that package.json's engines.node names:
// what Vercel runs and what the benchmark's figures are for. `npm install` puts
// that Node in node_modules/.bin (the `node` dev dependency) and every npm
// script and npx command finds it first on its PATH. If that step did not
// happen (install scripts turned off, say), a script would quietly run on the
// machine's own Node instead; the entry points call this to stop and say so.

export function requireProjectNode(): void {
  const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { engines: { node: string } };
  const wanted = packageJson.engines.node;
  const wantedMajor = Number.parseInt(wanted, 10);
  const runningMajor = Number.parseInt(process.versions.node, 10);
  if (runningMajor === wantedMajor) return;
  throw new Error(
    `Payhook runs on Node ${wanted}; this is Node ${process.version}. Start it through npm (npm run dev, npm test, npm run bench): ` +
      `npm install puts Node ${wantedMajor} in node_modules/.bin and npm scripts use it. If node_modules/.bin/node is missing, ` +
      `npm install ran without install scripts: run it again with them allowed, or install Node ${wantedMajor} yourself.`,
  );
}
