/**
 * Text as laid out on pages (a PDF's text items, an OCR engine's words) back into the lines and
 * paragraphs the structure parser reads: runs on one baseline make a line, lines of one paragraph
 * are joined with a space (Vietnamese does not hyphenate), a numbered item ("1.", "a)", "II-",
 * "Điều 5.") always starts its own line, and what a printer adds to every page (page numbers,
 * running headers and footers) is left out. Units do not matter (points or pixels): every
 * threshold is relative to the text's size.
 */

/** A piece of text at a place on a page: x and y from the top-left corner, y at the baseline. */
export interface Run {
  text: string;
  x: number;
  y: number;
  width: number;
  /** Height of the text (the font size for PDF, the line box for OCR). */
  size: number;
}

/** A line of a page. Cells far apart on one baseline (the header table's columns) are tab-separated. */
export interface Line {
  text: string;
  left: number;
  right: number;
  y: number;
  size: number;
}

/** A page's lines, top to bottom, with the page's size in the same units. */
export interface PageLines {
  width: number;
  height: number;
  lines: Line[];
}

/**
 * A gap wider than this many text heights, with no space character at it, splits a line into cells
 * (the columns of the header table); a justified line's widest spaces stay under it.
 */
const COLUMN_GAP = 1.2;
/** A gap wider than this many text heights between runs is a space. */
const SPACE_GAP = 0.15;

/** Groups a page's runs into lines, top to bottom, each left to right. */
export function linesOf(runs: readonly Run[]): Line[] {
  const sorted = runs
    .filter((r) => r.text.trim().length > 0 && r.size > 0)
    .slice()
    .sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: Run[][] = [];
  for (const run of sorted) {
    const last = groups[groups.length - 1];
    const ref = last?.[0];
    // Same line when the baselines are within 40% of the text height (superscripts, marks).
    if (last && ref && Math.abs(run.y - ref.y) <= 0.4 * Math.max(ref.size, run.size)) last.push(run);
    else groups.push([run]);
  }
  const lines: Line[] = [];
  for (const group of groups) {
    group.sort((a, b) => a.x - b.x);
    const size = median(group.map((r) => r.size));
    let text = "";
    let left = group[0]?.x ?? 0;
    let right = left;
    let cellStart = left;
    const push = () => {
      const t = text.replace(/[ \u00a0]+/g, " ").trim();
      if (t) lines.push({ text: t, left: cellStart, right, y: group[0]?.y ?? 0, size });
      text = "";
    };
    for (const run of group) {
      const gap = run.x - right;
      if (text && gap > COLUMN_GAP * size && !/\s$/.test(text) && !/^\s/.test(run.text)) {
        // Cells of one row stay on one line, tab-separated, as the header reader expects.
        text += "\t";
      } else if (text && gap > SPACE_GAP * size && !/\s$/.test(text) && !/^\s/.test(run.text)) {
        text += " ";
      }
      if (!text) cellStart = run.x;
      text += run.text;
      right = Math.max(right, run.x + run.width);
    }
    left = cellStart;
    push();
  }
  return lines;
}

/** "3", "- 3 -", "Trang 3", "Trang 3/12", "3 / 12", "Page 3 of 12". */
const PAGE_NUMBER =
  /^(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:trang|page)?\s*\d{1,4}(?:\s*(?:\/|trên|of)\s*\d{1,4})?|[ivxlc]{1,6})$/iu;
/** What opens a new line whatever the layout: a numbered item, a point, a part, an article, a bullet. */
const BLOCK_START =
  /^(?:\d{1,3}(?:\.\d{1,3})*\s*[.)]\s|[a-zđ]\s*[.)]\s|[IVXLC]{1,6}\s*[-.)/–]\s*\S|(?:Điều|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN|Khoản)\s+[\dIVXLC]|[-+•–]\s)/u;
const SENTENCE_END = /[.!?…:;]["”’)\]]*$/u;

/** Share of the page height, from the top and the bottom, where running headers and footers sit. */
const MARGIN_ZONE = 0.12;

function marginLine(line: Line, page: PageLines): boolean {
  return line.y < page.height * MARGIN_ZONE || line.y > page.height * (1 - MARGIN_ZONE);
}

/** The same text (numbers aside) at the same height of the page. */
function repeatKey(line: Line): string {
  return line.text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ");
}

/**
 * Removes page numbers and the lines repeated at the same place on most pages (running headers
 * and footers), from the margin zones only: body text is never touched.
 */
export function withoutPageFurniture(pages: readonly PageLines[]): PageLines[] {
  const counts = new Map<string, { y: number; pages: Set<number> }[]>();
  pages.forEach((page, i) => {
    for (const line of page.lines) {
      if (!marginLine(line, page)) continue;
      const key = repeatKey(line);
      const places = counts.get(key) ?? [];
      const rel = line.y / page.height;
      const place = places.find((p) => Math.abs(p.y - rel) < 0.03);
      if (place) place.pages.add(i);
      else places.push({ y: rel, pages: new Set([i]) });
      counts.set(key, places);
    }
  });
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  return pages.map((page) => ({
    ...page,
    lines: page.lines.filter((line) => {
      if (!marginLine(line, page)) return true;
      if (PAGE_NUMBER.test(line.text.trim())) return false;
      if (pages.length < 2) return true;
      const rel = line.y / page.height;
      const place = counts.get(repeatKey(line))?.find((p) => Math.abs(p.y - rel) < 0.03);
      return !place || place.pages.size < needed;
    }),
  }));
}

/** The layout of the text column over the whole document. */
interface Column {
  left: number;
  right: number;
  /** Baseline to baseline within a paragraph, in text heights. */
  spacing: number;
}

function columnOf(pages: readonly PageLines[]): Column {
  const lines = pages.flatMap((p) => p.lines).filter((l) => !l.text.includes("\t"));
  const lefts = lines.map((l) => l.left);
  const rights = lines.map((l) => l.right);
  const steps: number[] = [];
  for (const page of pages)
    for (let i = 1; i < page.lines.length; i++) {
      const a = page.lines[i - 1] as Line;
      const b = page.lines[i] as Line;
      if (Math.abs(a.size - b.size) < 0.1 * a.size && b.y > a.y) steps.push((b.y - a.y) / a.size);
    }
  return {
    left: lefts.length ? percentile(lefts, 0.1) : 0,
    right: rights.length ? percentile(rights, 0.9) : 0,
    spacing: steps.length ? percentile(steps, 0.3) : 1.2,
  };
}

/** True when `line` is the first line of a new paragraph after `prev` (on the same page or the next). */
function startsParagraph(prev: Line, line: Line, column: Column, samePage: boolean): boolean {
  if (BLOCK_START.test(line.text) || prev.text.includes("\t") || line.text.includes("\t")) return true;
  if (Math.abs(prev.size - line.size) > 0.2 * prev.size) return true;
  if (samePage && line.y - prev.y > (column.spacing + 0.5) * prev.size) return true;
  const width = column.right - column.left;
  const full = prev.right >= column.right - 0.06 * width;
  if (full) {
    // An indented first line after a sentence's end opens a paragraph even after a full line.
    return SENTENCE_END.test(prev.text) && line.left > prev.left + 0.8 * prev.size;
  }
  // A title centred over two lines is one paragraph; so is a heading in capitals broken in two.
  if (centred(prev, column) && centred(line, column) && !SENTENCE_END.test(prev.text))
    return isUpper(prev.text) !== isUpper(line.text);
  return true;
}

/** Indented from the column's left and as far from its right, give or take two text heights. */
function centred(l: Line, column: Column): boolean {
  const left = l.left - column.left;
  const right = column.right - l.right;
  return left > 0.5 * l.size && Math.abs(left - right) < 2 * l.size;
}

function isUpper(text: string): boolean {
  return /\p{Lu}/u.test(text) && text === text.toUpperCase();
}

/**
 * The document's text from its pages: one paragraph per line, a blank line between paragraphs.
 * A paragraph that runs over a page break is one paragraph.
 */
export function paragraphsOf(pages: readonly PageLines[]): string {
  const clean = withoutPageFurniture(pages);
  const column = columnOf(clean);
  const paragraphs: string[] = [];
  let current: string[] = [];
  let prev: Line | undefined;
  let prevPage = -1;
  clean.forEach((page, p) => {
    for (const line of page.lines) {
      if (prev && startsParagraph(prev, line, column, p === prevPage)) {
        paragraphs.push(current.join(" "));
        current = [];
      }
      current.push(line.text);
      prev = line;
      prevPage = p;
    }
  });
  if (current.length) paragraphs.push(current.join(" "));
  return paragraphs
    .map((t) => t.replace(/ {2,}/g, " ").trim())
    .filter(Boolean)
    .join("\n\n")
    .normalize("NFC");
}

function median(xs: number[]): number {
  return percentile(xs, 0.5);
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))] as number;
}
