import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

// `next build` with a custom distDir (NEXT_DIST_DIR) adds that folder's type
// globs to tsconfig.json and points next-env.d.ts at it. The runners that build
// into a folder of their own (the e2e server, the reliability suite, the bench)
// put both back, so that a run leaves the work tree as it found it.
const FILES_BUILD_REWRITES = ["tsconfig.json", "next-env.d.ts"];

/** Each file's text before the build; null for a file that was not there. */
export type SavedFiles = Map<string, string | null>;

/** The files `next build` rewrites, as they are now. */
export function saveBuildRewrites(): SavedFiles {
  return new Map(FILES_BUILD_REWRITES.map((file) => [file, existsSync(file) ? readFileSync(file, "utf8") : null]));
}

/** Puts back what the build changed in the saved files; one that was not there is removed. */
export function restoreBuildRewrites(saved: SavedFiles | undefined): void {
  for (const [file, content] of saved ?? []) {
    const now = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (now === content) continue;
    if (content === null) rmSync(file, { force: true });
    else writeFileSync(file, content);
  }
}

/** Runs `build`, then puts back what it rewrote, however it ends. */
export async function keepingBuildRewrites<T>(build: () => Promise<T>): Promise<T> {
  const saved = saveBuildRewrites();
  try {
    return await build();
  } finally {
    restoreBuildRewrites(saved);
  }
}
