import { existsSync } from "node:fs";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/loader.js";
import { describeDocument, identifyDocument, isStructural } from "../../src/knowledge/metadata.js";
import type { KnowledgeDocument } from "../../src/knowledge/types.js";
import { KNOWLEDGE, tempDir } from "../helpers.js";

const FIXTURES = new URL("../fixtures/documents/", import.meta.url).pathname;
const RELATED = new URL("../../../shared/knowledge-related/", import.meta.url).pathname;

const fixture = (name: string) => readFile(join(FIXTURES, name), "utf8");

/** A title must name the document, never a structural heading or residue of the conversion. */
function expectReadable(d: Pick<KnowledgeDocument, "title" | "shortTitle">): void {
  for (const t of [d.title, d.shortTitle]) {
    expect(isStructural(t), t).toBe(false);
    expect(t).not.toMatch(/[|*]|^-+$/);
    expect(t.normalize("NFC")).toBe(t);
  }
  expect(d.shortTitle.length).toBeLessThanOrEqual(45);
}

describe("a standard header block (Nghị định 30/2020/NĐ-CP), as converted from an office file", async () => {
  const id = identifyDocument(await fixture("qd-mau.txt"), "qd-mau");

  it("reads kind, number, issuer, and the date split over two lines", () => {
    expect(id.kind).toBe("Quyết định");
    expect(id.number).toBe("45/QĐ-UBND");
    expect(id.date).toBe("2024-03-05");
    expect(id.place).toBe("Bến Tre");
    expect(id.issuer).toBe("Ủy ban nhân dân tỉnh Bến Tre");
  });

  it("titles it by kind and trích yếu, written as the body writes its words", () => {
    expect(id.title).toMatch(
      /^Quyết định về việc ban hành (Q|q)uy chế công tác dân vận của chính quyền tỉnh Bến Tre$/,
    );
    expect(id.shortTitle).toBe("Quyết định 45/QĐ-UBND");
    expectReadable(id);
  });

  it("describes it in one line for people", () => {
    expect(describeDocument(id)).toBe(
      "Quyết định · số 45/QĐ-UBND · Ủy ban nhân dân tỉnh Bến Tre · 05/03/2024",
    );
  });
});

describe("a Party document (Hướng dẫn 36-HD/VPTW), columns side by side", async () => {
  const id = identifyDocument(await fixture("kh-dang-mau.txt"), "kh-dang-mau");

  it("reads 'Số 123-KH/TU' without a colon, the date, and the issuer: the committee's standing board that signs", () => {
    expect(id).toMatchObject({
      kind: "Kế hoạch",
      number: "123-KH/TU",
      date: "2019-03-15",
      place: "Bến Tre",
      issuer: "Ban Thường vụ Tỉnh ủy Bến Tre",
    });
  });

  it.each([
    ["TỈNH ỦY BẾN TRE\nBAN THƯỜNG VỤ", "Ban Thường vụ Tỉnh ủy Bến Tre"],
    ["BAN CHẤP HÀNH TRUNG ƯƠNG\n*", "Ban Chấp hành Trung ương"],
    ["ĐẢNG BỘ TỈNH BẾN TRE\nTỈNH UỶ", "Tỉnh ủy Bến Tre"],
    ["HUYỆN ỦY CHÂU THÀNH", "Huyện ủy Châu Thành"],
  ])("writes the Party body %j as %s", (block, issuer) => {
    const text = `${block}\nSố 5-KH/HU\nĐẢNG CỘNG SẢN VIỆT NAM\nBến Tre, ngày 1 tháng 2 năm 2020\n\nKẾ HOẠCH\nvề công tác dân vận\n\nNội dung.\n`;
    expect(identifyDocument(text, "x").issuer).toBe(issuer);
  });

  it("keeps a trích yếu in lower case over two lines", () => {
    expect(id.title).toBe("Kế hoạch thực hiện Kết luận số 43-KL/TW của Ban Bí thư về công tác dân vận");
    expect(id.shortTitle).toBe("Kế hoạch 123-KH/TU");
  });
});

describe("a công văn: no kind line, its trích yếu under the number as 'V/v …'", async () => {
  const id = identifyDocument(await fixture("cv-mau.txt"), "cv-mau");

  it("is a Công văn titled by its V/v, the date beside it in the other column", () => {
    expect(id).toEqual({
      title: "Công văn về việc tổ chức hội nghị định kỳ của cộng đồng dân cư",
      shortTitle: "Công văn 12/UBND-VP",
      kind: "Công văn",
      number: "12/UBND-VP",
      date: "2024-04-02",
      issuer: "Ủy ban nhân dân xã Tân Phú",
      place: "Tân Phú",
    });
  });
});

describe("a codified document (Bộ pháp điển)", async () => {
  const id = identifyDocument(await fixture("luat-phap-dien.txt"), "luat-phap-dien");

  it("takes the law's name, number, date and issuer from its first source line", () => {
    expect(id).toEqual({
      title: "Luật Mẫu về hội quần chúng",
      shortTitle: "Luật 12/2030/QH16",
      kind: "Luật",
      number: "12/2030/QH16",
      date: "2030-02-01",
      issuer: "Quốc hội",
    });
  });
});

describe("a trích yếu written in mixed case under the kind", () => {
  it('joins the kind as one title: "Quyết định về việc…", not "Quyết định Về việc…"', () => {
    const text = [
      "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "TỈNH BẾN TRE\tĐộc lập - Tự do - Hạnh phúc",
      "Số: 245/QĐ-UBND\tBến Tre, ngày 05 tháng 3 năm 2024",
      "",
      "QUYẾT ĐỊNH",
      "Về việc ban hành Quy chế công tác dân vận của chính quyền các cấp",
      "",
      "Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác dân vận.",
    ].join("\n");
    expect(identifyDocument(text, "qd-245").title).toBe(
      "Quyết định về việc ban hành Quy chế công tác dân vận của chính quyền các cấp",
    );
  });
});

describe("documents that say nothing about themselves", () => {
  it("fall back to the file name made readable, never a heading or a symbol", () => {
    expect(
      identifyDocument("Chương I\nNHỮNG QUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi\n\nNội dung.", "van-ban_moi").title,
    ).toBe("van ban moi");
    expect(identifyDocument("|\n**\n---\n\nNội dung ngắn.", "ghi-chu").title).toBe("ghi chu");
    expect(identifyDocument("# Hướng dẫn tuyên truyền\n\nNội dung.", "x").title).toBe(
      "Hướng dẫn tuyên truyền",
    );
    expect(identifyDocument("# Điều 5. Quyền của công dân\n\nNội dung.", "dieu-5").title).toBe("dieu 5");
  });
});

describe("a codified law its own text never names", async () => {
  const codified = (n: number) =>
    `Điều 35.4.LQ.${n}. Điều ${n}\n\n(Điều ${n} Luật số 75/2015/QH13, có hiệu lực thi hành kể từ ngày 01/01/2016)\n\nNội dung điều ${n}.\n`;
  const lawText = [1, 2, 3].map(codified).join("\n");
  const citing =
    "Điều 1. Phạm vi điều chỉnh\n\nNghị quyết này quy định chi tiết Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13 và Luật Đất đai và Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13.\n";

  it("is known by the name another document cites it by", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "luat-75.txt"), lawText);
    await writeFile(join(dir, "nqlt.txt"), citing);
    const { documents } = await loadKnowledge(dir);
    const law = documents.find((d) => d.source === "luat-75.txt");
    expect(law?.title).toBe("Luật Mặt trận Tổ quốc Việt Nam");
    expect(law?.shortTitle).toBe("Luật 75/2015/QH13");
  });

  it("keeps its number as its title when no document names it, and its hash then", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "luat-75.txt"), lawText);
    const alone = (await loadKnowledge(dir)).documents[0];
    expect(alone?.title).toBe("Luật số 75/2015/QH13");
    await writeFile(join(dir, "nqlt.txt"), citing);
    const named = (await loadKnowledge(dir)).documents.find((d) => d.source === "luat-75.txt");
    // Named now: its passages carry the name, so its vectors must be remade.
    expect(named?.hash).not.toBe(alone?.hash);
  });

  it("keeps the title an administrator gave it", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "luat-75.txt"), lawText);
    await writeFile(join(dir, "luat-75.meta.yaml"), "title: Luật MTTQ (bản pháp điển)\n");
    await writeFile(join(dir, "nqlt.txt"), citing);
    const { documents } = await loadKnowledge(dir);
    expect(documents.find((d) => d.source === "luat-75.txt")?.title).toBe("Luật MTTQ (bản pháp điển)");
  });
});

describe("the administrator's metadata overrides what the document says", async () => {
  const dir = await tempDir();
  await copyFile(join(FIXTURES, "qd-mau.txt"), join(dir, "qd-mau.txt"));
  await writeFile(
    join(dir, "qd-mau.meta.yaml"),
    "title: Quy chế dân vận của tỉnh\nissuer: UBND tỉnh Bến Tre\n",
  );
  const { documents } = await loadKnowledge(dir);

  it("field by field: title and issuer from the sidecar, number and date from the header", () => {
    const d = documents[0];
    expect(d?.title).toBe("Quy chế dân vận của tỉnh");
    expect(d?.shortTitle).toBe("Quyết định 45/QĐ-UBND");
    expect(d?.meta).toMatchObject({ issuer: "UBND tỉnh Bến Tre", number: "45/QĐ-UBND", date: "2024-03-05" });
  });
});

describe("the plan", async () => {
  const dir = await tempDir();
  await copyFile(join(KNOWLEDGE, "000_3cba0417107b8cbb.txt"), join(dir, "000_3cba0417107b8cbb.txt"));
  const bare = (await loadKnowledge(dir)).documents[0];
  const withSidecar = (await loadKnowledge(KNOWLEDGE)).documents[0];

  it("without its sidecar, is titled by its own header: kind and trích yếu", () => {
    expect(bare?.title).toMatch(
      /^Kế hoạch thực hiện Kết luận số 43-KL\/TW, ngày 07\/01\/2019 của Ban Bí thư/,
    );
    expect(bare?.shortTitle).toBe("Kế hoạch thực hiện Kết luận số 43-KL/TW");
    expect(bare?.meta.kind).toBe("Kế hoạch");
    if (bare) expectReadable(bare);
  });

  it("with its sidecar, keeps the sidecar's titles and issuer", () => {
    expect(withSidecar?.shortTitle).toBe("Kế hoạch thực hiện KL 43-KL/TW");
    expect(withSidecar?.meta.kind).toBe("Kế hoạch");
    expect(describeDocument(withSidecar?.meta ?? {})).toBe("Kế hoạch · Ban Thường vụ Tỉnh ủy");
  });
});

describe.skipIf(!existsSync(RELATED))(
  "the related documents in ../shared/knowledge-related (skipped when that folder is absent)",
  async () => {
    const { documents, skipped } = existsSync(RELATED)
      ? await loadKnowledge(RELATED)
      : { documents: [], skipped: [] };
    const by = (source: string) => documents.find((d) => d.source === source);

    it.each([
      [
        "luat-10-2022-qh15.txt",
        "Luật Thực hiện dân chủ ở cơ sở",
        "Luật 10/2022/QH15",
        { kind: "Luật", number: "10/2022/QH15", date: "2022-11-10", issuer: "Quốc hội" },
      ],
      [
        "luat-75-2015-qh13-mttq.txt",
        // Its own text never names it; the Nghị quyết liên tịch cites it by name and number.
        "Luật Mặt trận Tổ quốc Việt Nam",
        "Luật 75/2015/QH13",
        { kind: "Luật", number: "75/2015/QH13", issuer: "Quốc hội" },
      ],
      [
        "nd-59-2023-nd-cp.txt",
        "Nghị định quy định chi tiết một số điều của Luật thực hiện dân chủ ở cơ sở",
        "Nghị định 59/2023/NĐ-CP",
        { kind: "Nghị định", number: "59/2023/NĐ-CP", date: "2023-08-14", issuer: "Chính phủ" },
      ],
      [
        "nd-61-2023-nd-cp.txt",
        "Nghị định về xây dựng và thực hiện hương ước, quy ước của cộng đồng dân cư",
        "Nghị định 61/2023/NĐ-CP",
        { kind: "Nghị định", number: "61/2023/NĐ-CP", date: "2023-08-16", issuer: "Chính phủ" },
      ],
      [
        "nqlt-403-2017.txt",
        "Nghị quyết liên tịch quy định chi tiết các hình thức giám sát, phản biện xã hội của Mặt trận Tổ quốc Việt Nam",
        "Nghị quyết liên tịch 403/2017/NQLT",
        {
          kind: "Nghị quyết liên tịch",
          number: "403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN",
          date: "2017-06-15",
          issuer:
            "Chính phủ, Ủy ban Thường vụ Quốc hội và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
        },
      ],
      [
        "qd-2579-2025-ubnd-cantho.txt",
        "Quyết định ban hành Quy định tiêu chí đánh giá, xếp loại công tác dân vận và thực hiện dân chủ ở cơ sở tại các cơ quan nhà nước trên địa bàn thành phố Cần Thơ",
        "Quyết định 2579/QĐ-UBND",
        {
          kind: "Quyết định",
          number: "2579/QĐ-UBND",
          date: "2025-11-21",
          issuer: "Ủy ban nhân dân thành phố Cần Thơ",
          place: "Cần Thơ",
        },
      ],
    ])("%s is titled by what it says about itself", (source, title, shortTitle, meta) => {
      expect(skipped).toEqual([]);
      const d = by(source);
      expect(d?.title).toBe(title);
      expect(d?.shortTitle).toBe(shortTitle);
      expect(d?.meta).toEqual(meta);
      if (d) expectReadable(d);
    });

    it("describes each in one line, e.g. the Luật", () => {
      expect(describeDocument(by("luat-10-2022-qh15.txt")?.meta ?? {})).toBe(
        "Luật · số 10/2022/QH15 · Quốc hội · 10/11/2022",
      );
    });
  },
);
