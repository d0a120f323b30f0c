/**
 * Word files the tests (and scripts/make-format-fixtures.ts) build with the `docx` package: a plan
 * typed the way an office types one, header table, automatic list numbers, a TCVN3 run, a .VnTimeH
 * heading, soft line breaks, tabs, a page header and footer that must stay out of the text.
 */
import {
  Document,
  Footer,
  Header,
  LevelFormat,
  Packer,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";

const cell = (lines: string[]) =>
  new TableCell({
    width: { size: 50, type: WidthType.PERCENTAGE },
    children: lines.map((l) => new Paragraph(l)),
  });

/** The plan's list levels: "I." sections, "1." items, "a)" points, bullets. */
export const PLAN_LEVELS = [
  { level: 0, format: LevelFormat.UPPER_ROMAN, text: "%1." },
  { level: 1, format: LevelFormat.DECIMAL, text: "%2." },
  { level: 2, format: LevelFormat.LOWER_LETTER, text: "%3)" },
  { level: 3, format: LevelFormat.BULLET, text: "•" },
];

const listed = (level: number, children: (TextRun | string)[], instance?: number) =>
  new Paragraph({
    children: children.map((c) => (typeof c === "string" ? new TextRun(c) : c)),
    numbering: { reference: "plan", level, ...(instance !== undefined ? { instance } : {}) },
  });

/** A plan of the Ban Dân vận with the standard header table and auto-numbered sections. */
export async function planDocx(): Promise<Buffer> {
  const doc = new Document({
    numbering: { config: [{ reference: "plan", levels: PLAN_LEVELS }] },
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph("Tài liệu lưu hành nội bộ đầu trang")] }) },
        footers: { default: new Footer({ children: [new Paragraph("Chân trang số 1")] }) },
        children: [
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [
              new TableRow({
                children: [
                  cell(["TỈNH ỦY LÀO CAI", "BAN DÂN VẬN", "*", "Số: 15-KH/BDVTU"]),
                  cell(["ĐẢNG CỘNG SẢN VIỆT NAM", "Lào Cai, ngày 12 tháng 3 năm 2024"]),
                ],
              }),
            ],
          }),
          new Paragraph("KẾ HOẠCH"),
          new Paragraph("triển khai công tác dân vận chính quyền năm 2024"),
          new Paragraph(
            "Thực hiện Chương trình công tác năm 2024, Ban Dân vận Tỉnh ủy xây dựng kế hoạch như sau:",
          ),
          listed(0, ["MỤC ĐÍCH, YÊU CẦU"]),
          listed(1, ["Nâng cao nhận thức của cán bộ, đảng viên về công tác dân vận chính quyền."]),
          listed(1, [
            "Bám sát cơ sở, lắng nghe ý kiến của Nhân dân;",
            new TextRun({ text: "giải quyết kịp thời kiến nghị chính đáng.", break: 1 }),
          ]),
          listed(0, ["NHIỆM VỤ, GIẢI PHÁP"]),
          listed(1, ["Tăng cường đối thoại giữa người đứng đầu cấp ủy với Nhân dân."]),
          listed(1, ["Đổi mới phương thức vận động đồng bào dân tộc thiểu số ở vùng cao biên giới."]),
          listed(2, ["Xây dựng đội ngũ người có uy tín trong từng thôn, bản."]),
          listed(2, ["Phát huy vai trò của già làng, trưởng bản trong hòa giải ở cơ sở."]),
          listed(3, ["Tổ chức gặp mặt người có uy tín hằng năm."]),
          listed(1, [
            new TextRun({ text: "Uû ban nh©n d©n c¸c cÊp phèi hîp thùc hiÖn", font: ".VnTime" }),
            new TextRun({ children: [new Tab(), "theo chức năng, nhiệm vụ."] }),
          ]),
          listed(0, [new TextRun({ text: "tæ chøc thùc hiÖn", font: ".VnTimeH" })]),
          new Paragraph({
            children: [
              new TextRun("Các bước triển khai:"),
              new TextRun({ text: "1. Quán triệt kế hoạch đến chi bộ.", break: 1 }),
            ],
          }),
          new Paragraph("Ban Dân vận Tỉnh ủy theo dõi, đôn đốc việc thực hiện kế hoạch này."),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * Short lists, each restarted: two roman sections of one item each, the items a list per section
 * (how a .doc saved by LibreOffice splits a restarted list is tested on it).
 */
export async function shortListsDocx(): Promise<Buffer> {
  const doc = new Document({
    numbering: {
      config: [
        { reference: "roman", levels: [{ level: 0, format: LevelFormat.UPPER_ROMAN, text: "%1." }] },
        { reference: "items", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1." }] },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: "MỤC ĐÍCH", numbering: { reference: "roman", level: 0 } }),
          new Paragraph({
            text: "Nâng cao nhận thức.",
            numbering: { reference: "items", level: 0, instance: 1 },
          }),
          new Paragraph({ text: "NHIỆM VỤ", numbering: { reference: "roman", level: 0 } }),
          new Paragraph({
            text: "Đổi mới phương thức.",
            numbering: { reference: "items", level: 0, instance: 2 },
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
