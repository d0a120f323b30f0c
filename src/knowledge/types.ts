import type { DocumentFormat } from "./formats/types.js";

/** A document of the knowledge base, as loaded from `knowledge/`. */
export interface KnowledgeDocument {
  /** Stable id: the metadata's `id`, else the file name without extension. */
  id: string;
  /** Full title, e.g. "Kế hoạch thực hiện Kết luận số 43-KL/TW …". */
  title: string;
  /** Short title for citations, e.g. "Kế hoạch thực hiện KL 43-KL/TW". */
  shortTitle: string;
  /** Path relative to the knowledge folder. */
  source: string;
  /** SHA-256 of the file's bytes: what the index manifest compares. */
  hash: string;
  meta: DocumentMeta;
  /** The body text (front matter removed), NFC, LF line endings. */
  text: string;
  /** The format the file was read from (absent: text). */
  format?: DocumentFormat;
  /** What reading it needed the administrator to know (OCR pages, an encoding converted), in Vietnamese. */
  warnings?: string[];
}

/**
 * Metadata of a document: what it states about itself (its header block or its codification
 * source lines, see metadata.ts), overridden field by field by what an administrator gives (YAML
 * front matter or a `.meta.yaml` sidecar).
 */
export interface DocumentMeta {
  id?: string;
  title?: string;
  shortTitle?: string;
  /** "Luật", "Nghị định", "Quyết định", "Kế hoạch"… */
  kind?: string;
  /** "Quốc hội", "Ủy ban nhân dân thành phố Cần Thơ"… */
  issuer?: string;
  /** "10/2022/QH15", "2579/QĐ-UBND", "123-KH/TU". */
  number?: string;
  /** Date of issue, yyyy-mm-dd when read from the document. */
  date?: string;
  /** Place of issue from the header ("Cần Thơ"). */
  place?: string;
  implements?: { number: string; date?: string; title?: string; issuer?: string }[];
  [key: string]: unknown;
}

/** A quotable piece of a document with the section it sits in. */
export interface Passage {
  /** Stable across runs while the document's structure does not change. */
  id: string;
  docId: string;
  /** Headings from the outside in, e.g. ["II. NHIỆM VỤ, GIẢI PHÁP", "2", "gạch đầu dòng 1"]. */
  sectionPath: string[];
  /** Heading text of the enclosing sections (weighted in search). */
  headings: string;
  text: string;
  /** Order in the document. */
  ordinal: number;
  /**
   * The lead-in of the list this passage is an item of ("2. Ban Giám sát đầu tư của cộng đồng có
   * các quyền hạn sau đây:"), when the list was too long to quote in one passage and the item
   * stands alone: a quote can show it before the item.
   */
  leadIn?: string;
}

/** A file that was not indexed, and why (reported by name, never fatal for the others). */
export interface SkippedFile {
  source: string;
  reason: string;
}
