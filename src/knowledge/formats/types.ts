/**
 * What the format readers share: the formats a document arrives in, what reading one yields (text
 * with its structure as lines, ready for the structure parser), and the error that names why a file
 * cannot be read, in words an administrator understands.
 */

import type { OcrEngine } from "./ocr.js";

/** The formats the knowledge folder, the web page and a file sent in chat may hold. */
export type DocumentFormat = "text" | "markdown" | "docx" | "doc" | "pdf" | "image";

/** A document read from its bytes. */
export interface Extracted {
  /** The text, NFC, LF line endings, one paragraph per line (blank lines between blocks allowed). */
  text: string;
  format: DocumentFormat;
  /** The format as people name it: "Word (.docx)", "PDF", "ảnh PNG", "văn bản". */
  label: string;
  /** What the administrator should know (pages read by OCR, an encoding converted…), in Vietnamese. */
  warnings: string[];
  /** Pages, for formats that have them. */
  pages?: number;
  /** 1-based numbers of the pages read by OCR. */
  ocrPages?: number[];
  /** The legacy encoding converted to Unicode, when there was one ("TCVN3", "VNI-Windows"). */
  encoding?: string;
}

/** Progress of one file's reading: pages done of pages (PDF, OCR). */
export type ExtractProgress = (done: number, total: number, stage: "pages" | "ocr") => void;

export interface ExtractOptions {
  /** Largest number of pages read from one file (a longer PDF is refused by name). */
  maxPages?: number;
  /** Time allowed for one file, in milliseconds. */
  timeoutMs?: number;
  onProgress?: ExtractProgress;
  /** The OCR engine for scans and broken text layers (default: Tesseract, detected once). */
  ocr?: OcrEngine;
}

/** A file that cannot be read, with the reason in Vietnamese ("tệp PDF có mật khẩu"). */
export class UnreadableDocumentError extends Error {
  override readonly name = "UnreadableDocumentError";
}
