/**
 * Remakes the PDF and image fixtures of test/fixtures/formats/ from pdf-sources.json:
 *
 *   ke-hoach-12.pdf     a text PDF of three A5 pages: the standard two-column header, a running
 *                       header from page 2 on, "Trang n/3" at the foot of every page
 *   quyet-dinh-245.pdf  two pages: page 1 a good text layer, page 2 drawn right but its font's
 *                       ToUnicode map broken (letters with marks followed by a space, "ĐIỀ U";
 *                       đ and Đ mapped to private-use code points), as old PDF printers do
 *   quyet-dinh-scan.pdf page 1 of the decision rasterised (200 dpi, gray) and put back as an image
 *   trang-anh.png       a short page as a gray PNG
 *   mat-khau.pdf        a PDF that needs a password to open
 *
 * Needs pdfkit (a dev dependency), the DejaVu fonts and poppler's pdftoppm:
 * `apt-get install -y fonts-dejavu-core poppler-utils`, then `npx tsx scripts/make-pdf-fixtures.ts`.
 * The bench (bench/formats-pdf.ts) uses the same functions to lay out the plan.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import PDFDocument from "pdfkit";

const FONTS = "/usr/share/fonts/truetype/dejavu";
export const SERIF = join(FONTS, "DejaVuSerif.ttf");
export const SERIF_BOLD = join(FONTS, "DejaVuSerif-Bold.ttf");
export const SANS = join(FONTS, "DejaVuSans.ttf");
/** A5, in points. */
const A5: [number, number] = [419.53, 595.28];
const MARGIN = 45;
const SIZE = 11;

export interface Source {
  header?: [string, string][];
  title?: string[];
  runningHeader?: string;
  paragraphs: string[];
  brokenParagraphs?: string[];
}

/** Collects a pdfkit document into bytes. */
export function toBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.end();
  });
}

/**
 * Breaks the text layer of the font in use (the glyphs stay right): every letter with a mark maps
 * to itself and a space, đ and Đ to private-use code points.
 */
function breakToUnicode(doc: PDFKit.PDFDocument): void {
  const font = (doc as unknown as { _font: { unicode: number[][]; toUnicodeCmap: () => unknown } })._font;
  const original = font.toUnicodeCmap.bind(font);
  font.toUnicodeCmap = () => {
    font.unicode = font.unicode.map((cps) => {
      const cp = cps[0];
      if (cps.length !== 1 || cp === undefined || cp < 0x80) return cps;
      if (cp === 0x110 || cp === 0x111) return [0xe000 + (cp & 0xff)];
      return /\p{L}/u.test(String.fromCodePoint(cp)) ? [cp, 0x20] : cps;
    });
    return original();
  };
}

/** Lays out a document the way an office prints one: header table, title, justified paragraphs. */
export async function textPdf(
  src: Source,
  options: { pageSize?: [number, number]; size?: number; pageNumbers?: boolean } = {},
): Promise<Buffer> {
  const [width, height] = options.pageSize ?? A5;
  const size = options.size ?? SIZE;
  const doc = new PDFDocument({
    size: [width, height],
    margins: { top: MARGIN + 10, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: src.title?.join(" ") ?? "", Producer: "danvan-bot fixtures", CreationDate: new Date(0) },
  });
  const inner = width - 2 * MARGIN;
  doc.font(SERIF).fontSize(size);
  for (const [left, right] of src.header ?? []) {
    const y = doc.y;
    doc
      .font(SERIF_BOLD)
      .fontSize(size - 3)
      .text(left, MARGIN, y, { width: inner * 0.38, align: "center" });
    const afterLeft = doc.y;
    doc.text(right, MARGIN + inner * 0.38, y, { width: inner * 0.62, align: "center" });
    doc.y = Math.max(afterLeft, doc.y);
  }
  doc.x = MARGIN;
  if (src.title?.length) {
    doc.moveDown(1);
    const [first, ...rest] = src.title;
    doc
      .font(SERIF_BOLD)
      .fontSize(size + 2)
      .text(first ?? "", { align: "center" });
    doc.font(SERIF_BOLD).fontSize(size).text(rest.join(" "), { align: "center" });
    doc.moveDown(1);
  }
  doc.font(SERIF).fontSize(size);
  for (const p of src.paragraphs)
    doc.text(p, { align: "justify", indent: 18, paragraphGap: size * 0.35, lineGap: size * 0.12 });
  if (src.brokenParagraphs?.length) {
    doc.addPage();
    doc.font(SANS).fontSize(size);
    breakToUnicode(doc);
    for (const p of src.brokenParagraphs)
      doc.text(p, { align: "justify", indent: 18, paragraphGap: size * 0.35, lineGap: size * 0.12 });
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin pdfkit would start a new page: the furniture goes outside it.
    doc.page.margins.bottom = 0;
    doc.font(SERIF).fontSize(size - 2);
    if (src.runningHeader && i > range.start)
      doc.text(src.runningHeader, MARGIN, MARGIN - 18, { width: inner, align: "right" });
    if (options.pageNumbers !== false)
      doc.text(`Trang ${i - range.start + 1}/${range.count}`, MARGIN, height - MARGIN + 8, {
        width: inner,
        align: "center",
      });
  }
  return toBytes(doc);
}

/** Page `page` of a PDF as a gray PNG at `dpi` (pdftoppm). */
export function rasterise(pdf: Buffer, page: number, dpi: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "fixtures-"));
  try {
    writeFileSync(join(dir, "in.pdf"), pdf);
    const args = ["-r", String(dpi), "-gray", "-png", "-singlefile", "-f", String(page), "-l", String(page)];
    execFileSync("pdftoppm", [...args, join(dir, "in.pdf"), join(dir, "out")]);
    return readFileSync(join(dir, "out.png"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An image-only PDF: each PNG fills one page of `pageSize` points. */
export function scanPdf(pngs: Buffer[], pageSize: [number, number] = A5): Promise<Buffer> {
  const doc = new PDFDocument({ size: pageSize, margin: 0, autoFirstPage: false });
  for (const png of pngs) {
    doc.addPage({ size: pageSize, margin: 0 });
    doc.image(png, 0, 0, { width: pageSize[0], height: pageSize[1] });
  }
  return toBytes(doc);
}

/**
 * A PDF of `count` pages, one short text on each (the page limit's test, the memory bench). With
 * `font` unset it uses Helvetica, which needs no font file: the text must then be ASCII.
 */
export async function manyPages(count: number, text: (n: number) => string, font?: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: A5, autoFirstPage: false });
  doc.font(font ?? "Helvetica").fontSize(SIZE);
  for (let n = 1; n <= count; n++) {
    doc.addPage({ size: A5, margin: MARGIN });
    doc.text(text(n), { align: "justify" });
  }
  return toBytes(doc);
}

async function main(): Promise<void> {
  const dir = fileURLToPath(new URL("../test/fixtures/formats/", import.meta.url));
  const sources = JSON.parse(readFileSync(join(dir, "pdf-sources.json"), "utf8")) as Record<string, Source>;
  const plan = sources.plan as Source;
  const decision = sources.decision as Source;
  const image = sources.image as Source;
  writeFileSync(join(dir, "ke-hoach-12.pdf"), await textPdf(plan, { size: 12 }));
  writeFileSync(join(dir, "quyet-dinh-245.pdf"), await textPdf(decision));
  const goodPage = await textPdf({ ...decision, brokenParagraphs: [] });
  writeFileSync(join(dir, "quyet-dinh-scan.pdf"), await scanPdf([rasterise(goodPage, 1, 200)]));
  const small: [number, number] = [419.53, 200];
  writeFileSync(
    join(dir, "trang-anh.png"),
    rasterise(await textPdf(image, { pageSize: small, pageNumbers: false }), 1, 200),
  );
  const locked = new PDFDocument({
    size: A5,
    userPassword: "matkhau",
    ownerPassword: "chu",
    pdfVersion: "1.7",
  });
  locked
    .font(SERIF)
    .fontSize(SIZE)
    .text(image.paragraphs[0] ?? "");
  writeFileSync(join(dir, "mat-khau.pdf"), await toBytes(locked));
  console.log(`fixtures written to ${dir}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
