/**
 * Line-level cleaning of documents as they arrive: conversion residue from office documents (stray
 * table bars "|", unbalanced "**" and "*" emphasis, rules of dashes, columns side by side) and
 * decomposed characters. Shared by the metadata reader and the structure parser so both see the
 * same lines.
 */

/** Removes Markdown emphasis and escapes so passages read as plain text. */
export function stripMarkdown(line: string): string {
  return line
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\p{L}\p{N}*])\*(?!\s)(.+?)\*(?![\p{L}\p{N}])/gu, "$1$2")
    .replace(/\\([*_`#>-])/g, "$1");
}

/**
 * One line as a reader sees it: NFC, emphasis markers gone (balanced or not), no table bars, no
 * rules of dashes or underscores, spaces collapsed. A Markdown bullet "* " at the start and "(*)"
 * stay. Returns "" for a line that held only residue.
 */
export function cleanLine(raw: string): string {
  let line = stripMarkdown(raw.normalize("NFC").trim());
  // A rule ("-------", "___", "* * *") or a bar alone is layout, not text.
  if (/^[\s|*_=~\-–—.]*$/u.test(line) && !/^\.{3}$/.test(line)) return "";
  const bullet = /^\*\s+/.test(line) ? "- " : "";
  if (bullet) line = line.replace(/^\*\s+/, "");
  line = line
    // Every "*" left is an emphasis marker, except a footnote sign "(*)".
    .replace(/(?<!\()\*+|\*+(?!\))/g, " ")
    .replace(/(^|\s)\|(?=\s|$)/g, "$1")
    .replace(/^\|+|\|+$/g, "")
    .replace(/\s+/g, " ")
    .trim()
    // "hết hạn ;" left by a removed marker before punctuation.
    .replace(/\s+([;,.:)])/g, "$1");
  return line.length > 0 ? bullet + line : "";
}

/** Splits a line laid out as columns (3+ spaces or a tab between cells) into its cells. */
export function cells(raw: string): string[] {
  return raw
    .split(/\t+| {3,}/)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/** True for a line written in capitals ("KẾ HOẠCH", "ỦY BAN NHÂN DÂN"). */
export function isUpperLine(text: string): boolean {
  return /\p{Lu}/u.test(text) && text === text.toUpperCase();
}
