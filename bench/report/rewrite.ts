import { readFileSync } from "node:fs";
import path from "node:path";
import type { Results } from "./checks";
import { consoleTable, writeResults } from "./report";

// Writes bench/RESULTS.md again from the last run's raw figures (bench/.tmp/results.json),
// e.g. after the analysis of a miss changed: tsx bench/report/rewrite.ts

const results = JSON.parse(readFileSync(path.join("bench", ".tmp", "results.json"), "utf8")) as Results;
writeResults(results, path.join("bench", "RESULTS.md"));
console.log(consoleTable(results));
