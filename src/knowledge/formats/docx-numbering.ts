/**
 * Word's automatic list numbers (word/numbering.xml), recovered as the text a reader sees: "II.",
 * "2.", "a)". A document typed with auto-numbered lists holds no number in its text, and the
 * structure parser needs exactly those numbers to cite "II.2". Modelled on how Word counts:
 * levels with their numFmt, lvlText ("%1.", "%1.%2.") and start; a deeper level restarts after a
 * higher one; list instances (w:num) sharing an abstract list continue one counter unless an
 * instance overrides its start (w:lvlOverride/w:startOverride), which begins its own.
 */
import { childOf, childrenOf, flagOf, valOf, type XmlElement } from "./xml-tree.js";

interface Level {
  start: number;
  format: string;
  text: string;
  /** Legal numbering: every level shown in decimal. */
  legal: boolean;
  /** The paragraph style this level belongs to (a heading style linked to the list). */
  style?: string;
  /** 0: never restarts; otherwise restarts after any higher level (Word's default). */
  restart?: number;
}

interface NumInstance {
  abstract: string;
  /** Levels whose start (or whole definition) this instance overrides. */
  overrides: Map<number, { start?: number; level?: Level }>;
}

function readLevel(lvl: XmlElement): Level {
  const restart = valOf(lvl, "w:lvlRestart");
  return {
    start: Number(valOf(lvl, "w:start") ?? 1),
    format: valOf(lvl, "w:numFmt") ?? "decimal",
    text: valOf(lvl, "w:lvlText") ?? "",
    legal: flagOf(lvl, "w:isLgl") ?? false,
    style: valOf(lvl, "w:pStyle"),
    restart: restart === undefined ? undefined : Number(restart),
  };
}

function roman(n: number): string {
  const table: [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let out = "";
  let rest = n;
  for (const [value, letters] of table)
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  return out;
}

/** Word's letters: a…z, then aa…zz, aaa… */
function letters(n: number): string {
  if (n < 1) return String(n);
  const letter = String.fromCharCode(0x61 + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

/** A counter's value as its level's format writes it. */
export function formatNumber(n: number, format: string): string {
  switch (format) {
    case "lowerLetter":
      return letters(n);
    case "upperLetter":
      return letters(n).toUpperCase();
    case "lowerRoman":
      return roman(n).toLowerCase();
    case "upperRoman":
      return roman(n);
    case "decimalZero":
      return String(n).padStart(2, "0");
    case "none":
      return "";
    default:
      return String(n);
  }
}

/** The lists of one document and their running counters. */
export class Numbering {
  private readonly abstracts = new Map<string, Map<number, Level>>();
  private readonly nums = new Map<string, NumInstance>();
  private readonly counters = new Map<string, (number | undefined)[]>();

  /**
   * Reads word/numbering.xml's root (w:numbering); without one, no paragraph is numbered.
   * `numIdOfStyle` gives the list a numbering style stands for (styles.xml), for an abstract list
   * that only links to a list style (w:numStyleLink) and holds no levels of its own.
   */
  constructor(root?: XmlElement, numIdOfStyle: (styleId: string) => string | undefined = () => undefined) {
    const links = new Map<string, string>();
    for (const a of childrenOf(root, "w:abstractNum")) {
      const levels = new Map<number, Level>();
      for (const lvl of childrenOf(a, "w:lvl")) levels.set(Number(lvl.attrs["w:ilvl"] ?? 0), readLevel(lvl));
      const id = a.attrs["w:abstractNumId"] ?? "";
      this.abstracts.set(id, levels);
      const link = valOf(a, "w:numStyleLink");
      if (link && levels.size === 0) links.set(id, link);
    }
    for (const n of childrenOf(root, "w:num")) {
      const overrides = new Map<number, { start?: number; level?: Level }>();
      for (const o of childrenOf(n, "w:lvlOverride")) {
        const start = valOf(o, "w:startOverride");
        const lvl = childOf(o, "w:lvl");
        overrides.set(Number(o.attrs["w:ilvl"] ?? 0), {
          start: start === undefined ? undefined : Number(start),
          level: lvl ? readLevel(lvl) : undefined,
        });
      }
      this.nums.set(n.attrs["w:numId"] ?? "", { abstract: valOf(n, "w:abstractNumId") ?? "", overrides });
    }
    // A list using a list style counts with the abstract list that style defines (one hop).
    for (const num of this.nums.values()) {
      const link = links.get(num.abstract);
      const target = link ? this.nums.get(numIdOfStyle(link) ?? "") : undefined;
      if (target && !links.has(target.abstract)) num.abstract = target.abstract;
    }
  }

  /** The level of list `numId` that belongs to paragraph style `style` (a linked heading style). */
  levelOfStyle(numId: string, style: string): number | undefined {
    const num = this.nums.get(numId);
    const levels = num && this.abstracts.get(num.abstract);
    if (!levels) return undefined;
    for (const [ilvl, level] of levels) if (level.style === style) return ilvl;
    return undefined;
  }

  private level(num: NumInstance, ilvl: number): Level | undefined {
    const base = this.abstracts.get(num.abstract)?.get(ilvl);
    const o = num.overrides.get(ilvl);
    if (o?.level) return { ...o.level, ...(o.start !== undefined ? { start: o.start } : {}) };
    if (base && o?.start !== undefined) return { ...base, start: o.start };
    return base;
  }

  /**
   * Counts a paragraph of list `numId` at level `ilvl` and returns its number as shown ("II.",
   * "2.", "a)", "-" for a bullet), or undefined when the list or the level does not exist.
   */
  next(numId: string, ilvl: number): string | undefined {
    if (numId === "0") return undefined;
    const num = this.nums.get(numId);
    if (!num) return undefined;
    const level = this.level(num, ilvl);
    if (!level) return undefined;
    const key = num.overrides.size > 0 ? `num:${numId}` : `abstract:${num.abstract}`;
    let counts = this.counters.get(key);
    if (!counts) {
      counts = [];
      this.counters.set(key, counts);
    }
    const current = counts[ilvl];
    counts[ilvl] = current === undefined ? level.start : current + 1;
    for (let deeper = ilvl + 1; deeper < 9; deeper++) {
      if (this.level(num, deeper)?.restart !== 0) counts[deeper] = undefined;
    }
    if (level.format === "bullet") return "-";
    const label = level.text.replace(/%([1-9])/g, (_, k: string) => {
      const at = Number(k) - 1;
      const l = this.level(num, at);
      const value = counts?.[at] ?? l?.start ?? 1;
      return formatNumber(value, level.legal ? "decimal" : (l?.format ?? "decimal"));
    });
    return label.trim() || undefined;
  }
}
