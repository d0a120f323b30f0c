import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Document, LevelFormat, Packer, Paragraph, TextRun } from "docx";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Numbering } from "../../../src/knowledge/formats/docx-numbering.js";
import { extractDocument } from "../../../src/knowledge/formats/extract.js";
import { encodeTcvn3 } from "../../../src/knowledge/formats/legacy-encoding.js";
import { parseXml } from "../../../src/knowledge/formats/xml-tree.js";
import { loadKnowledge } from "../../../src/knowledge/loader.js";
import { KnowledgeIndex } from "../../../src/search/knowledge-index.js";
import { planDocx } from "./word-samples.js";

let dir: string;
let plan: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "docx-"));
  plan = await planDocx();
  await writeFile(join(dir, "ke-hoach-dan-van.docx"), plan);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("reading a .docx", () => {
  it("writes Word's automatic list numbers into the text, as the reader sees them", async () => {
    const got = await extractDocument(plan, "ke-hoach.docx");
    expect(got).toMatchObject({ format: "docx", label: "Word (.docx)" });
    const lines = got.text.split("\n").filter(Boolean);
    expect(lines).toContain("I. MỤC ĐÍCH, YÊU CẦU");
    expect(lines).toContain("1. Nâng cao nhận thức của cán bộ, đảng viên về công tác dân vận chính quyền.");
    expect(lines).toContain("II. NHIỆM VỤ, GIẢI PHÁP");
    // Items restart under each section; points restart under each item.
    expect(lines).toContain("1. Tăng cường đối thoại giữa người đứng đầu cấp ủy với Nhân dân.");
    expect(lines).toContain(
      "2. Đổi mới phương thức vận động đồng bào dân tộc thiểu số ở vùng cao biên giới.",
    );
    expect(lines).toContain("a) Xây dựng đội ngũ người có uy tín trong từng thôn, bản.");
    expect(lines).toContain("b) Phát huy vai trò của già làng, trưởng bản trong hòa giải ở cơ sở.");
    expect(lines).toContain("- Tổ chức gặp mặt người có uy tín hằng năm.");
  });

  it("converts runs in TCVN3 fonts, draws .VnTimeH as capitals, and says so", async () => {
    const got = await extractDocument(plan, "ke-hoach.docx");
    const lines = got.text.split("\n").filter(Boolean);
    // A tab is a space.
    expect(lines).toContain("3. Uỷ ban nhân dân các cấp phối hợp thực hiện theo chức năng, nhiệm vụ.");
    expect(lines).toContain("III. TỔ CHỨC THỰC HIỆN");
    expect(got.warnings).toEqual(["đã chuyển từ mã TCVN3 sang Unicode"]);
    expect(got.encoding).toBe("TCVN3");
  });

  it("converts a short TCVN3 line whose font name was lost, judged with the rest of the document", async () => {
    const tcvn3 = (t: string) => Buffer.from(encodeTcvn3(t)).toString("latin1");
    const docx = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              "Sè: 15-KH/BDVTU",
              "Ban Dân vận Tỉnh ủy xây dựng kế hoạch thực hiện công tác dân vận năm 2024 như sau:",
              "Nâng cao nhận thức của cán bộ, đảng viên về công tác dân vận chính quyền.",
            ].map(
              (t, i) =>
                new Paragraph({ children: [new TextRun({ text: i === 0 ? t : tcvn3(t), font: "Arial" })] }),
            ),
          },
        ],
      }),
    );
    const lines = (await extractDocument(docx, "kh.docx")).text.split("\n").filter(Boolean);
    expect(lines[0]).toBe("Số: 15-KH/BDVTU");
    expect(lines[1]).toBe(
      "Ban Dân vận Tỉnh ủy xây dựng kế hoạch thực hiện công tác dân vận năm 2024 như sau:",
    );
  });

  it("joins a soft line break with a space unless a numbered item follows it", async () => {
    const lines = (await extractDocument(plan, "ke-hoach.docx")).text.split("\n").filter(Boolean);
    expect(lines).toContain(
      "2. Bám sát cơ sở, lắng nghe ý kiến của Nhân dân; giải quyết kịp thời kiến nghị chính đáng.",
    );
    expect(lines).toContain("Các bước triển khai:");
    expect(lines).toContain("1. Quán triệt kế hoạch đến chi bộ.");
  });

  it("leaves the page header and footer out, and reads the header table cell by cell", async () => {
    const got = await extractDocument(plan, "ke-hoach.docx");
    expect(got.text).not.toContain("đầu trang");
    expect(got.text).not.toContain("Chân trang");
    const lines = got.text.split("\n").filter(Boolean);
    expect(lines.slice(0, 8)).toEqual([
      "TỈNH ỦY LÀO CAI",
      "BAN DÂN VẬN",
      "*",
      "Số: 15-KH/BDVTU",
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "Lào Cai, ngày 12 tháng 3 năm 2024",
      "KẾ HOẠCH",
      "triển khai công tác dân vận chính quyền năm 2024",
    ]);
  });

  it("gives the loader the document's kind, number, date and issuer from its header table", async () => {
    const { documents, skipped } = await loadKnowledge(dir);
    expect(skipped).toEqual([]);
    const doc = documents.find((d) => d.source === "ke-hoach-dan-van.docx");
    expect(doc?.format).toBe("docx");
    expect(doc?.title).toBe("Kế hoạch triển khai công tác dân vận chính quyền năm 2024");
    expect(doc?.meta).toMatchObject({
      kind: "Kế hoạch",
      number: "15-KH/BDVTU",
      date: "2024-03-12",
      issuer: "Tỉnh ủy Lào Cai Ban Dân Vận",
    });
  });

  it("is cited as II.2 by the real index for an auto-numbered section II item 2", async () => {
    const { documents } = await loadKnowledge(dir);
    const index = KnowledgeIndex.build(documents);
    const hit = index.search("vận động đồng bào dân tộc thiểu số vùng cao biên giới").hits[0];
    expect(hit?.passage.sectionPath).toEqual(["II. NHIỆM VỤ, GIẢI PHÁP", "2"]);
    expect(hit?.passage.text).toContain("Đổi mới phương thức vận động đồng bào dân tộc thiểu số");
  });
});

describe("runs as Word draws them", () => {
  it("converts VNI fonts, shows all-caps runs in capitals, and leaves hidden text out", async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              children: [
                new TextRun({ text: "Coäng hoøa xaõ hoäi chuû nghóa ", font: "VNI-Times" }),
                new TextRun({ text: "việt nam", allCaps: true }),
                new TextRun({ text: " ghi chú ẩn", vanish: true }),
              ],
            }),
          ],
        },
      ],
    });
    const got = await extractDocument(await Packer.toBuffer(doc), "vni.docx");
    expect(got.text).toBe("Cộng hòa xã hội chủ nghĩa VIỆT NAM\n");
    expect(got.warnings).toEqual(["đã chuyển từ mã VNI-Windows sang Unicode"]);
  });
});

describe("numbering from a paragraph style", () => {
  it("numbers paragraphs whose style is linked to a list, as Word does for headings", async () => {
    const doc = new Document({
      numbering: {
        config: [
          {
            reference: "muc",
            levels: [{ level: 0, format: LevelFormat.UPPER_ROMAN, text: "%1." }],
          },
        ],
      },
      styles: {
        paragraphStyles: [
          { id: "MucLon", name: "Mục lớn", paragraph: { numbering: { reference: "muc", level: 0 } } },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({ text: "MỤC ĐÍCH, YÊU CẦU", style: "MucLon" }),
            new Paragraph("Nội dung."),
            new Paragraph({ text: "NHIỆM VỤ, GIẢI PHÁP", style: "MucLon" }),
          ],
        },
      ],
    });
    const got = await extractDocument(await Packer.toBuffer(doc), "style.docx");
    expect(got.text).toBe("I. MỤC ĐÍCH, YÊU CẦU\n\nNội dung.\n\nII. NHIỆM VỤ, GIẢI PHÁP\n");
  });
});

describe("files a .docx reader must refuse", () => {
  it("refuses a zip bomb by the declared size, before inflating it", async () => {
    const bomb = zipSync(
      {
        "[Content_Types].xml": new TextEncoder().encode("<Types/>"),
        "word/document.xml": new Uint8Array(60_000_000).fill(0x20),
      },
      { level: 9 },
    );
    expect(bomb.length).toBeLessThan(1_000_000);
    await expect(extractDocument(bomb, "bom.docx")).rejects.toThrow(/quá lớn khi giải nén/);
  });

  it("names a password-protected Word file", async () => {
    // An encrypted .docx is an OLE compound file whose directory names an EncryptedPackage stream.
    const ole = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from("EncryptedPackage", "utf16le").copy(ole, 1024);
    await expect(extractDocument(ole, "mat-khau.docx")).rejects.toThrow("tệp Word có mật khẩu");
  });

  it("names a damaged .docx", async () => {
    await expect(extractDocument(plan.subarray(0, plan.length / 2), "hong.docx")).rejects.toThrow(/bị hỏng/);
    const noBody = zipSync({
      "[Content_Types].xml": new TextEncoder().encode("<Types/>"),
      "word/x.xml": new Uint8Array(1),
    });
    await expect(extractDocument(noBody, "rong.docx")).rejects.toThrow(/không có phần nội dung/);
  });
});

describe("Word's list counters", () => {
  const xml = `<w:numbering xmlns:w="w">
    <w:abstractNum w:abstractNumId="7">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
      <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl>
    </w:abstractNum>
    <w:abstractNum w:abstractNumId="8">
      <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1-"/></w:lvl>
    </w:abstractNum>
    <w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
    <w:num w:numId="2"><w:abstractNumId w:val="7"/></w:num>
    <w:num w:numId="3"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    <w:num w:numId="4"><w:abstractNumId w:val="8"/></w:num>
  </w:numbering>`;

  it("continues a list across instances of one abstract list, restarts where one overrides its start", () => {
    const n = new Numbering(parseXml(xml));
    expect([n.next("1", 0), n.next("1", 1), n.next("1", 1), n.next("1", 2), n.next("1", 2)]).toEqual([
      "1.",
      "1.1.",
      "1.2.",
      "(i)",
      "(ii)",
    ]);
    // Another w:num of the same abstract list without an override goes on counting.
    expect([n.next("2", 0), n.next("2", 1)]).toEqual(["2.", "2.1."]);
    expect([n.next("3", 0), n.next("3", 0)]).toEqual(["5.", "6."]);
    expect([n.next("4", 0), n.next("4", 0)]).toEqual(["C-", "D-"]);
    expect(n.next("0", 0)).toBeUndefined();
    expect(n.next("99", 0)).toBeUndefined();
  });

  it("counts a list that links to a list style with the style's own list", () => {
    const linked = `<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="1">
        <w:styleLink w:val="DanhMuc"/>
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="DanhMuc"/></w:abstractNum>
      <w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num>
    </w:numbering>`;
    const n = new Numbering(parseXml(linked), (style) => (style === "DanhMuc" ? "5" : undefined));
    expect([n.next("6", 0), n.next("6", 1), n.next("6", 1), n.next("6", 0), n.next("6", 1)]).toEqual([
      "I.",
      "1.",
      "2.",
      "II.",
      "1.",
    ]);
  });
});

describe("a .docx too large to read safely", () => {
  const types = new TextEncoder().encode("<Types/>");
  const body = (inner: string) =>
    new TextEncoder().encode(
      `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${inner}</w:body></w:document>`,
    );

  it("is refused by name when its document.xml is over 15 MB, though it compresses little", async () => {
    // Letters in no pattern deflate to some 60%: the ratio check alone would let this in.
    let seed = 7;
    const letters = Array.from({ length: 16_000_000 }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return "abcdeghiklmnopqrstuvxy "[seed % 23];
    }).join("");
    const file = zipSync(
      {
        "[Content_Types].xml": types,
        "word/document.xml": body(`<w:p><w:r><w:t>${letters}</w:t></w:r></w:p>`),
      },
      { level: 1 },
    );
    await expect(extractDocument(file, "lon.docx")).rejects.toThrow(
      "tệp Word quá lớn khi giải nén (word/document.xml 16 MB; tối đa 15 MB)",
    );
  }, 30_000);

  it("is refused by name when its document.xml deflated far more than Word's XML does", async () => {
    // The reviewer's case at a third of the size: one paragraph repeated, 226 KB for 45 MB.
    const para =
      '<w:p><w:r><w:t xml:space="preserve">Tăng cường công tác dân vận của các cơ quan nhà nước, chính quyền các cấp.</w:t></w:r></w:p>';
    const file = zipSync(
      {
        "[Content_Types].xml": types,
        "word/document.xml": body(para.repeat(Math.floor(12_000_000 / para.length))),
      },
      { level: 9 },
    );
    expect(file.length).toBeLessThan(120_000);
    await expect(extractDocument(file, "lap.docx")).rejects.toThrow(
      /^tệp Word bị nén bất thường \(word\/document\.xml \d+ MB nén còn \d+ KB\), không đọc$/,
    );
  });

  it("is read when a large document.xml compresses as Word's XML does", async () => {
    // Numbered paragraphs, each different: some 15:1, as a long plan.
    const paras = Array.from(
      { length: 20_000 },
      (_, i) =>
        `<w:p><w:r><w:t>${i + 1}. Xã ${(i * 7919) % 10007} thực hiện quy chế dân chủ ở cơ sở, mục ${(i * 31) % 997}.</w:t></w:r></w:p>`,
    );
    const file = zipSync(
      { "[Content_Types].xml": types, "word/document.xml": body(paras.join("")) },
      { level: 9 },
    );
    const read = await extractDocument(file, "dai.docx");
    expect(read.text.split("\n\n")).toHaveLength(20_000);
  }, 30_000);
});
