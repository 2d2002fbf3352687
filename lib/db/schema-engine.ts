import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as runtime from "@prisma/schema-engine-wasm/schema_engine_bg";

// Prisma's schema engine compiled to WebAssembly: migrations without the native
// engine binary, which the Prisma CLI would download from a host we cannot reach.

export type SchemaEngine = runtime.SchemaEngine;

export interface SchemaEngineHandle {
  engine: SchemaEngine;
  /**
   * Frees the engine. It does not close the adapter's connections: whoever
   * created the adapter factory closes them.
   */
  dispose(): void;
  /**
   * An adapter's own JavaScript errors reach the engine only as "External error
   * id#N"; this returns the original error behind such a failure, if any.
   */
  originalError(failure: unknown): unknown;
}

export interface CreateSchemaEngineOptions {
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** [file name, schema text] pairs; only needed by commands that read the datamodel from the engine. */
  datamodels?: Array<[string, string]>;
  /** Receives the engine's JSON log lines. */
  onLog?: (line: string) => void;
}

// The engine arms a 10 s timer around every command (its lock timeout) and never
// cancels it, so a finished command would keep Node alive for 10 s. Timers are
// tracked here and cleared once no engine is alive any more.
const pendingTimers = new Set<ReturnType<typeof setTimeout>>();
let liveEngines = 0;

let loaded: Promise<typeof runtime> | undefined;

async function instantiate(): Promise<typeof runtime> {
  // The package's entry file imports the .wasm file as an ES module, which Node
  // does only as an experimental feature (with a warning, on 24); this is what
  // Prisma's own loader does instead.
  const require = createRequire(import.meta.url);
  const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = await readFile(path.join(path.dirname(glue), "schema_engine_bg.wasm"));

  const imports: Record<string, unknown> = { ...runtime };
  for (const name of Object.keys(runtime)) {
    if (name.startsWith("__wbg_setTimeout_")) {
      imports[name] = (callback: () => void, ms: number) => {
        const timer = setTimeout(() => {
          pendingTimers.delete(timer);
          callback();
        }, ms >>> 0);
        pendingTimers.add(timer);
        return timer;
      };
    }
  }

  const { instance } = await WebAssembly.instantiate(bytes, {
    "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
  });
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return runtime;
}

function loadRuntime(): Promise<typeof runtime> {
  loaded ??= instantiate().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

export async function schemaEngineVersion(): Promise<string> {
  return (await loadRuntime()).version();
}

export async function createSchemaEngine(options: CreateSchemaEngineOptions): Promise<SchemaEngineHandle> {
  const rt = await loadRuntime();
  const onLog = options.onLog ?? (() => {});
  liveEngines++;
  const factory = bindMigrationAwareSqlAdapterFactory(options.adapterFactory);
  const originalError = (failure: unknown): unknown => {
    const message = failure instanceof Error ? failure.message : typeof failure === "string" ? failure : "";
    const id = /External error id#(\d+)/.exec(message)?.[1];
    return id === undefined ? undefined : factory.errorRegistry.consumeError(Number(id))?.error;
  };

  let engine: SchemaEngine;
  try {
    engine = await rt.SchemaEngine.new({ datamodels: options.datamodels }, (line: string) => onLog(line), factory);
  } catch (error) {
    release();
    throw originalError(error) ?? error;
  }

  let disposed = false;
  return {
    engine,
    originalError,
    dispose() {
      if (disposed) return;
      disposed = true;
      engine.free();
      release();
    },
  };
}

function release(): void {
  liveEngines--;
  if (liveEngines === 0) {
    for (const timer of pendingTimers) clearTimeout(timer);
    pendingTimers.clear();
  }
}
