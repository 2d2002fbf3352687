import type { PhaseResult, RunContext } from "../lib/run-context";
import { runAccess } from "./access";
import { runBrowser } from "./browser";
import { runConcurrency } from "./concurrency";
import { runDurability } from "./durability";
import { runHostile } from "./hostile";
import { runLeaks } from "./leaks";
import { runOutage } from "./outage";

// The full suite's phases, in the order they run. The access and leak checks
// come after the load phases, so they see a ledger full of data (and logs full
// of everything the load phases made the server say).

export const PHASES: { name: string; run(context: RunContext): Promise<PhaseResult> }[] = [
  { name: "hostile", run: runHostile },
  { name: "concurrency", run: runConcurrency },
  { name: "durability", run: runDurability },
  { name: "outage", run: runOutage },
  { name: "access", run: runAccess },
  { name: "leaks", run: runLeaks },
  { name: "browser", run: runBrowser },
];
