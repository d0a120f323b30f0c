/**
 * `npm run ingest`'s progress: a bar redrawn in place on a terminal (per file, and per page when a
 * reader counts pages: a long PDF, OCR), plain lines when the output is piped (a log, CI), where a
 * redrawn line would be noise. The texts come from prompts/replies.yaml.
 */
import type { LoadProgress } from "../knowledge/loader.js";
import { fill, type Replies } from "../prompts.js";

/** Where progress is written: a terminal (`isTTY`, `columns`) or a pipe. */
export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface IngestProgress {
  /** A file begun or a page read. */
  file(p: LoadProgress): void;
  /** Passages embedded (shown for corpora large enough to wait for). */
  vectors(done: number, total: number): void;
  /** Clears the bar before the summary is printed. */
  done(): void;
}

const WIDTH = 24;
/** Pages reported in plain lines: every this many, and the last. */
const PAGE_STEP = 10;

type Texts = Pick<
  Replies,
  | "ingest_bar_file"
  | "ingest_bar_page"
  | "ingest_bar_ocr"
  | "ingest_bar_vectors"
  | "ingest_reading"
  | "ingest_reading_page"
  | "ingest_reading_ocr"
  | "ingest_progress_vectors"
>;

/** The bar itself: "[██████░░░░░░] 42%". */
export function bar(fraction: number, width = WIDTH): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${"█".repeat(full)}${"░".repeat(width - full)}] ${String(Math.round(f * 100)).padStart(3)}%`;
}

/** Progress for `out`: a bar on a terminal, plain lines otherwise. */
export function createIngestProgress(out: ProgressOut, t: Texts): IngestProgress {
  if (out.isTTY) {
    let drawn = false;
    const draw = (fraction: number, label: string) => {
      const columns = out.columns || 80;
      let line = `${bar(fraction)} ${label}`;
      if ([...line].length > columns - 1) line = `${[...line].slice(0, columns - 2).join("")}…`;
      out.write(`\r\x1b[2K${line}`);
      drawn = true;
    };
    return {
      file(p) {
        const pageShare = p.page !== undefined && p.pages ? p.page / p.pages : 0;
        let label = fill(t.ingest_bar_file, { done: p.file, total: p.files, source: p.source });
        if (p.page !== undefined && p.pages !== undefined)
          label += ` · ${fill(p.stage === "ocr" ? t.ingest_bar_ocr : t.ingest_bar_page, { page: p.page, pages: p.pages })}`;
        draw((p.file - 1 + pageShare) / p.files, label);
      },
      vectors(done, total) {
        draw(total > 0 ? done / total : 1, fill(t.ingest_bar_vectors, { done, total }));
      },
      done() {
        if (drawn) out.write("\r\x1b[2K");
        drawn = false;
      },
    };
  }
  const shown = { vectors: 0 };
  return {
    file(p) {
      if (p.page === undefined || p.pages === undefined) {
        out.write(`${fill(t.ingest_reading, { file: p.file, files: p.files, source: p.source })}\n`);
        return;
      }
      if (p.page % PAGE_STEP !== 0 && p.page !== p.pages) return;
      const template = p.stage === "ocr" ? t.ingest_reading_ocr : t.ingest_reading_page;
      out.write(`${fill(template, { source: p.source, page: p.page, pages: p.pages })}\n`);
    },
    vectors(done, total) {
      if (total >= 200 && (done - shown.vectors >= Math.ceil(total / 20) || done === total)) {
        shown.vectors = done;
        out.write(`${fill(t.ingest_progress_vectors, { done, total })}\n`);
      }
    },
    done() {},
  };
}
