/**
 * Word 97–2003's automatic list numbers, which word-extractor does not write: the list definitions
 * (PlfLst and PlfLfo in the table stream) are read, each paragraph's list and level (sprmPIlfo,
 * sprmPIlvl in its PAPX), and the numbers are counted as Word counts them — by turning the binary
 * definitions into numbering.xml's terms and reusing the .docx counter (docx-numbering.ts). The
 * labels are written into word-extractor's body text at each paragraph's start. Anything it cannot
 * parse leaves the text as word-extractor gives it: numbers lost, nothing else.
 */
import { createRequire } from "node:module";
import { Numbering } from "./docx-numbering.js";
import { parseXml } from "./xml-tree.js";

const require = createRequire(import.meta.url);

interface Piece {
  startCp: number;
  endCp: number;
  startFilePos: number;
  size: number;
  bpc: number;
  text: string;
}

interface WordDocumentObject {
  _body: string;
  getBody(options?: { filterUnicode?: boolean }): string;
}

interface OleExtractor {
  _pieces: Piece[];
  extractWordDocument(document: unknown, buffer: Buffer): Promise<WordDocumentObject>;
  _boundaries: { ccpText: number };
  extract(reader: unknown): Promise<WordDocumentObject>;
  writeParagraphProperties(buffer: Buffer, table: Buffer): void;
  buildDocument(): WordDocumentObject;
}

const WordOleExtractor = require("word-extractor/lib/word-ole-extractor.js") as new () => OleExtractor;
const BufferReader = require("word-extractor/lib/buffer-reader.js") as new (
  b: Buffer,
) => {
  open(): Promise<unknown>;
  close(): Promise<unknown>;
};
const { clean } = require("word-extractor/lib/filters.js") as { clean: (s: string) => string };
const AllocationTable = require("word-extractor/lib/ole-allocation-table.js") as {
  prototype: { _table: number[]; getSecIdChain(startSecId: number): number[] };
};

/** A .doc whose sector allocation table loops, or points past its end: the file is damaged. */
export class BrokenDocChainError extends Error {}

/**
 * word-extractor follows a chain of sectors until it meets a free or end mark: in a damaged file
 * whose table loops (sector 27 → 28 → 27) it loops until the process runs out of memory, taking the
 * whole ingest with it. Replaced, on the class's prototype (the compound file reader makes its own
 * tables), by a walk that remembers the sectors seen and stops at the table's length: a loop or a
 * sector outside the table throws (a sector naming itself still ends the
 * chain, as word-extractor has it), and the file is refused by name.
 */
AllocationTable.prototype.getSecIdChain = function getSecIdChain(startSecId: number): number[] {
  const table = this._table;
  const seen = new Set<number>();
  const chain: number[] = [];
  let secId = startSecId;
  while (secId >= 0) {
    if (seen.has(secId) || secId >= table.length || chain.length >= table.length)
      throw new BrokenDocChainError(`sector chain loops or leaves the table at ${secId}`);
    seen.add(secId);
    chain.push(secId);
    const next = table[secId] ?? -2;
    // A sector naming itself ends the chain, as word-extractor has it (seen in files Word wrote).
    if (next === secId) break;
    secId = next;
  }
  return chain;
};

const SPRM_P_ILVL = 0x260a;
const SPRM_P_ILFO = 0x460b;

/** numFmt names for the nfc codes of Word 97. */
const NFC: Record<number, string> = {
  0: "decimal",
  1: "upperRoman",
  2: "lowerRoman",
  3: "upperLetter",
  4: "lowerLetter",
  22: "decimalZero",
  23: "bullet",
  255: "none",
};

const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One LVL at `at`: its numbering.xml `<w:lvl>` and where the next structure begins. */
function readLvl(t: Buffer, at: number, ilvl: number): { xml: string; next: number; start: number } {
  const start = t.readInt32LE(at);
  const nfc = t.readUInt8(at + 4);
  const legal = (t.readUInt8(at + 5) & 0x04) !== 0;
  const cbChpx = t.readUInt8(at + 24);
  const cbPapx = t.readUInt8(at + 25);
  let p = at + 28 + cbPapx + cbChpx;
  const cch = t.readUInt16LE(p);
  p += 2;
  let text = "";
  for (let i = 0; i < cch; i++) {
    const c = t.readUInt16LE(p + i * 2);
    text += c < 9 ? `%${c + 1}` : String.fromCharCode(c);
  }
  p += cch * 2;
  const xml =
    `<w:lvl w:ilvl="${ilvl}"><w:start w:val="${start}"/><w:numFmt w:val="${NFC[nfc] ?? "decimal"}"/>` +
    `<w:lvlText w:val="${escapeXml(text)}"/>${legal ? "<w:isLgl/>" : ""}</w:lvl>`;
  return { xml, next: p, start };
}

/** The document's lists as a numbering.xml, from PlfLst and PlfLfo, and each LFO's list definition. */
function numberingXml(
  word: Buffer,
  table: Buffer,
): { xml: string; definitions: Map<number, string> } | undefined {
  const fcLst = word.readUInt32LE(0x2e2);
  const lcbLst = word.readUInt32LE(0x2e6);
  const fcLfo = word.readUInt32LE(0x2ea);
  const lcbLfo = word.readUInt32LE(0x2ee);
  if (lcbLst < 2 || lcbLfo < 4) return undefined;
  const cLst = table.readInt16LE(fcLst);
  const lists: { lsid: number; simple: boolean }[] = [];
  for (let i = 0; i < cLst; i++) {
    const at = fcLst + 2 + i * 28;
    lists.push({ lsid: table.readInt32LE(at), simple: (table.readUInt8(at + 26) & 0x01) !== 0 });
  }
  let p = fcLst + 2 + cLst * 28;
  const abstracts: string[] = [];
  const levelsOf: string[] = [];
  lists.forEach((l, i) => {
    const levels: string[] = [];
    for (let ilvl = 0; ilvl < (l.simple ? 1 : 9); ilvl++) {
      const lvl = readLvl(table, p, ilvl);
      levels.push(lvl.xml);
      p = lvl.next;
    }
    levelsOf.push(levels.join(""));
    abstracts.push(`<w:abstractNum w:abstractNumId="${i}">${levels.join("")}</w:abstractNum>`);
  });
  const definitions = new Map<number, string>();
  const lfoMac = table.readInt32LE(fcLfo);
  const lfos: { lsid: number; clfolvl: number }[] = [];
  for (let i = 0; i < lfoMac; i++) {
    const at = fcLfo + 4 + i * 16;
    lfos.push({ lsid: table.readInt32LE(at), clfolvl: table.readUInt8(at + 12) });
  }
  p = fcLfo + 4 + lfoMac * 16;
  const nums: string[] = [];
  lfos.forEach((lfo, i) => {
    const overrides: string[] = [];
    p += 4; // every LFO has its LFOData: a cp, then its clfolvl level overrides
    for (let k = 0; k < lfo.clfolvl; k++) {
      const startAt = table.readInt32LE(p);
      const flags = table.readUInt32LE(p + 4);
      p += 8;
      const ilvl = flags & 0x0f;
      let override = (flags & 0x10) !== 0 ? `<w:startOverride w:val="${startAt}"/>` : "";
      if ((flags & 0x20) !== 0) {
        const lvl = readLvl(table, p, ilvl);
        override += lvl.xml;
        p = lvl.next;
      }
      if (override) overrides.push(`<w:lvlOverride w:ilvl="${ilvl}">${override}</w:lvlOverride>`);
    }
    const list = lists.findIndex((l) => l.lsid === lfo.lsid);
    if (list >= 0) {
      nums.push(`<w:num w:numId="${i + 1}"><w:abstractNumId w:val="${list}"/>${overrides.join("")}</w:num>`);
      definitions.set(i + 1, (levelsOf[list] ?? "") + overrides.join(""));
    }
  });
  return { xml: `<w:numbering>${abstracts.join("")}${nums.join("")}</w:numbering>`, definitions };
}

/** Each paragraph's list (1-based LFO index) and level, by the file position it begins at. */
function listParagraphs(word: Buffer, table: Buffer): { fc: number; ilfo: number; ilvl: number }[] {
  const fcBte = word.readUInt32LE(0x102);
  const lcbBte = word.readUInt32LE(0x106);
  const count = (lcbBte - 4) / 8;
  const out: { fc: number; ilfo: number; ilvl: number }[] = [];
  for (let i = 0; i < count; i++) {
    const pn = table.readUInt32LE(fcBte + (count + 1) * 4 + i * 4);
    const fkp = word.subarray(pn * 512, (pn + 1) * 512);
    const crun = fkp.readUInt8(511);
    for (let j = 0; j < crun; j++) {
      const fc = fkp.readUInt32LE(j * 4);
      const bx = fkp.readUInt8((crun + 1) * 4 + j * 13) * 2;
      if (bx === 0) continue;
      const cb = fkp.readUInt8(bx);
      const grpprl =
        cb !== 0
          ? fkp.subarray(bx + 1, bx + 2 * cb)
          : fkp.subarray(bx + 2, bx + 2 + 2 * fkp.readUInt8(bx + 1));
      let ilfo = 0;
      let ilvl = 0;
      // istd (2 bytes), then the sprms.
      for (let o = 2; o < grpprl.length - 1; ) {
        const sprm = grpprl.readUInt16LE(o);
        o += 2;
        if (sprm === SPRM_P_ILFO) ilfo = grpprl.readInt16LE(o);
        if (sprm === SPRM_P_ILVL) ilvl = grpprl.readUInt8(o);
        const spra = sprm >> 13;
        // Operand sizes by spra; 6 is variable (its first byte, or two for sprmPChgTabs/TDefTable).
        const size = [1, 1, 2, 4, 2, 2, -1, 3][spra] ?? 1;
        if (size >= 0) o += size;
        else if (sprm === 0xd608) o += grpprl.readUInt16LE(o) + 1;
        else o += grpprl.readUInt8(o) + 1;
      }
      if (ilfo > 0 && ilfo < 2047) out.push({ fc, ilfo, ilvl });
    }
  }
  return out;
}

/**
 * LibreOffice saves the first paragraph of a restarted Word list as a list of its own, with the
 * same definition, and the rest as another (it reads its own file back as one list). A list used by
 * a single paragraph is taken as the list with the same definition first used after it, when that
 * list goes on (more than one paragraph) or was defined before the copy; anything else is counted
 * as the file says.
 */
function joinSplitLists(
  paragraphs: { cp: number; ilfo: number; ilvl: number }[],
  definitions: ReadonlyMap<number, string>,
): void {
  const uses = new Map<number, number>();
  const first = new Map<number, number>();
  paragraphs.forEach((p, i) => {
    uses.set(p.ilfo, (uses.get(p.ilfo) ?? 0) + 1);
    if (!first.has(p.ilfo)) first.set(p.ilfo, i);
  });
  paragraphs.forEach((p, i) => {
    if (uses.get(p.ilfo) !== 1) return;
    const definition = definitions.get(p.ilfo);
    for (let j = i + 1; j < paragraphs.length; j++) {
      const q = paragraphs[j];
      if (!q || q.ilfo === p.ilfo || definitions.get(q.ilfo) !== definition) continue;
      // The list goes on (more paragraphs), or the copy was made after it yet comes first.
      if (first.get(q.ilfo) === j && ((uses.get(q.ilfo) ?? 0) > 1 || p.ilfo > q.ilfo)) p.ilfo = q.ilfo;
      break;
    }
  });
}

/** The CP of a file position, by the piece table. */
function cpOf(pieces: readonly Piece[], fc: number): number | undefined {
  for (const p of pieces)
    if (fc >= p.startFilePos && fc < p.startFilePos + p.size)
      return p.startCp + (fc - p.startFilePos) / p.bpc;
  return undefined;
}

function textByCp(pieces: readonly Piece[], start: number, end: number): string {
  let out = "";
  for (const p of pieces) {
    const from = Math.max(start, p.startCp);
    const to = Math.min(end, p.endCp);
    if (from < to) out += p.text.substring(from - p.startCp, to - p.startCp);
  }
  return out;
}

/** A .doc whose FIB says it is encrypted (fEncrypted): its text would be noise. */
export class EncryptedDocError extends Error {}

class NumberedOleExtractor extends WordOleExtractor {
  private lists: { cp: number; ilfo: number; ilvl: number }[] = [];
  private numbering: Numbering | undefined;

  override extractWordDocument(document: unknown, buffer: Buffer): Promise<WordDocumentObject> {
    if (buffer.length >= 12 && (buffer.readUInt16LE(0x0a) & 0x0100) !== 0)
      return Promise.reject(new EncryptedDocError("encrypted"));
    return super.extractWordDocument(document, buffer);
  }

  override writeParagraphProperties(buffer: Buffer, table: Buffer): void {
    super.writeParagraphProperties(buffer, table);
    try {
      const lists = numberingXml(buffer, table);
      if (!lists) return;
      this.numbering = new Numbering(parseXml(lists.xml));
      this.lists = listParagraphs(buffer, table)
        .flatMap((p) => {
          const cp = cpOf(this._pieces, p.fc);
          return cp === undefined ? [] : [{ cp, ilfo: p.ilfo, ilvl: p.ilvl }];
        })
        .sort((a, b) => a.cp - b.cp);
      joinSplitLists(this.lists, lists.definitions);
    } catch {
      this.numbering = undefined;
    }
  }

  override buildDocument(): WordDocumentObject {
    const doc = super.buildDocument();
    const numbering = this.numbering;
    if (!numbering || this.lists.length === 0) return doc;
    try {
      const end = this._boundaries.ccpText;
      let body = "";
      let at = 0;
      for (const p of this.lists) {
        if (p.cp >= end || p.cp < at) continue;
        const label = numbering.next(String(p.ilfo), p.ilvl);
        if (!label) continue;
        body += `${textByCp(this._pieces, at, p.cp)}${label} `;
        at = p.cp;
      }
      body += textByCp(this._pieces, at, end);
      doc._body = clean(body);
    } catch {
      // The text as word-extractor read it, without the numbers.
    }
    return doc;
  }
}

/** Reads a .doc with word-extractor, its automatic list numbers written in; throws on a bad file. */
export async function readDocBody(bytes: Buffer): Promise<string> {
  const reader = new BufferReader(bytes);
  await reader.open();
  try {
    const doc = await new NumberedOleExtractor().extract(reader);
    return doc.getBody({ filterUnicode: false });
  } finally {
    await reader.close();
  }
}
