/** What the Documents page says about the index in use: when it was built, its passages, the files it skipped. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SkippedFile } from "../../knowledge/types.js";
import { currentVersion, type Manifest } from "../../search/index-store.js";

/** Reads the current index's manifest (undefined when no index was built). */
export async function readIndexInfo(
  indexDir: string,
): Promise<{ builtAt: string; passages: number; skipped: SkippedFile[] } | undefined> {
  const version = await currentVersion(indexDir);
  if (!version) return undefined;
  const m = JSON.parse(await readFile(join(indexDir, version, "manifest.json"), "utf8")) as Manifest;
  return { builtAt: m.builtAt, passages: m.passages, skipped: m.skipped };
}
