import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

// Every page and route handler, read from the app/ tree itself, so a route
// added tomorrow is in the access matrix without anyone remembering to add it.
// Every file-level Server Action too ("use server" modules and their exports).

export type AppRoute = {
  kind: "page" | "api";
  /** The file, relative to the project root. */
  file: string;
  /** URL pattern with its dynamic segments, e.g. /transactions/[id]. */
  pattern: string;
  /** Exported HTTP methods (pages: GET). */
  methods: string[];
};

export type ServerActionModule = { file: string; exports: string[] };

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function walk(dir: string, visit: (file: string) => void): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
      walk(full, visit);
    } else {
      visit(full);
    }
  }
}

/** The URL pattern of a folder under app/: route groups vanish, parallel-route slots too. */
export function urlPattern(folder: string): string {
  const segments = folder
    .split(path.sep)
    .filter((segment) => segment !== "" && segment !== ".")
    .filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith("@"));
  return `/${segments.join("/")}`;
}

/** The HTTP methods a route.ts exports, whether as functions, constants or re-exports. */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:async\s+)?(?:function|const|let)\s+([A-Z]+)\b/g)) found.add(match[1]!);
  for (const match of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of match[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) found.add(name);
    }
  }
  return HTTP_METHODS.filter((method) => found.has(method));
}

export function listAppRoutes(root: string): AppRoute[] {
  const appDir = path.join(root, "app");
  const routes: AppRoute[] = [];
  walk(appDir, (file) => {
    const base = path.basename(file);
    const folder = path.relative(appDir, path.dirname(file));
    if (/^page\.(tsx|ts|jsx|js|mdx)$/.test(base)) {
      routes.push({ kind: "page", file: path.relative(root, file), pattern: urlPattern(folder), methods: ["GET"] });
    } else if (/^route\.(ts|js)$/.test(base)) {
      routes.push({ kind: "api", file: path.relative(root, file), pattern: urlPattern(folder), methods: exportedMethods(readFileSync(file, "utf8")) });
    }
  });
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** Modules that start with "use server", and the functions they export: each export is a Server Action. */
export function listServerActionModules(root: string): { modules: ServerActionModule[]; inline: string[] } {
  const modules: ServerActionModule[] = [];
  const inline: string[] = [];
  for (const top of ["app", "components", "lib"]) {
    walk(path.join(root, top), (file) => {
      if (!/\.(tsx?|jsx?)$/.test(file)) return;
      const source = readFileSync(file, "utf8");
      if (!source.includes("use server")) return;
      const relative = path.relative(root, file);
      const code = source.replace(/^\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*/, "");
      if (/^["']use server["']/.test(code)) {
        const exports = [...source.matchAll(/export\s+(?:async\s+)?function\s+(\w+)/g), ...source.matchAll(/export\s+const\s+(\w+)\s*=\s*async/g)].map((m) => m[1]!);
        modules.push({ file: relative, exports });
      } else if (/["']use server["']/.test(code)) {
        inline.push(relative);
      }
    });
  }
  return { modules, inline };
}

export type ManifestAction = { id: string; file: string; exportedName: string; pages: string[] };

/** The build's Server Action ids, with the source they come from and the pages that can run them. */
export function readActionManifest(buildDir: string): ManifestAction[] {
  const manifest = JSON.parse(readFileSync(path.join(buildDir, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    file: entry.filename ?? "",
    exportedName: entry.exportedName ?? "",
    pages: Object.keys(entry.workers)
      .filter((worker) => worker.startsWith("app/") && worker.endsWith("/page"))
      .map((worker) => urlPattern(worker.slice("app/".length, -"/page".length).split("/").join(path.sep))),
  }));
}
