import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/loader.js";
import { KnowledgeIndex } from "../../src/search/knowledge-index.js";
import { KNOWLEDGE } from "../helpers.js";

const { documents } = await loadKnowledge(KNOWLEDGE);
const index = KnowledgeIndex.build(documents);
const top = (q: string) => index.search(q, 3);

describe("questions about the plan", () => {
  it("cites the plan's opening passage for the date of Conclusion 43", () => {
    const r = top("Kết luận 43 ban hành ngày nào?");
    expect(r.answered).toBe(true);
    expect(r.hits[0]?.passage.sectionPath).toEqual([]);
    expect(r.hits[0]?.passage.text).toContain("Kết luận số 43-KL/TW, ngày 07/01/2019");
    expect(r.hits[0]?.document.shortTitle).toBe("Kế hoạch thực hiện KL 43-KL/TW");
  });

  it.each(["kl43 ban hanh ngay nao", "KL 43 ban hành khi nào", "ket luan so 43 ngay nao"])(
    "finds the same passage for %s",
    (q) => {
      const r = top(q);
      expect(r.answered).toBe(true);
      expect(r.hits.slice(0, 2).some((h) => h.passage.text.includes("ngày 07/01/2019"))).toBe(true);
    },
  );

  it.each(["hoi quan chung tu dam bao kinh phi nhu the nao", "hoi quan chung co tu dam bao kinh phi đc ko"])(
    "answers questions typed without diacritics: %s",
    (q) => {
      const r = top(q);
      expect(r.answered).toBe(true);
      expect(r.hits[0]?.passage.text).toContain("tự đảm bảo kinh phí hoạt động");
    },
  );

  it("reads abbreviations such as mttq and matches hoà/hòa spellings", () => {
    expect(top("vai trò của mttq trong đổi mới phương thức hoạt động").hits[0]?.passage.text).toContain(
      "Mặt trận Tổ quốc, các tổ chức chính trị - xã hội",
    );
    expect(
      top("bảo đảm hài hòa lợi ích giữa Nhà nước, doanh nghiệp và Nhân dân").hits[0]?.passage.text,
    ).toContain("hài hoà lợi ích");
  });

  it("points at a numbered item when asked for it by rank", () => {
    expect(top("Nhiệm vụ, giải pháp thứ hai tập trung vào đâu?").hits[0]?.passage.text).toContain(
      "công tác dân vận của các cơ quan Nhà nước",
    );
  });

  it.each(["Giá xăng hôm nay?", "Lịch thi đấu bóng chuyền tuần này?", "cach nau pho bo ngon"])(
    "says it does not know: %s",
    (q) => {
      expect(top(q).answered).toBe(false);
    },
  );

  it("keeps its answers after a round trip through JSON", () => {
    const again = KnowledgeIndex.fromJSON(JSON.parse(JSON.stringify(index.toJSON())));
    const q = "Tập huấn, bồi dưỡng kỹ năng công tác dân vận";
    expect(again.search(q).hits.map((h) => h.passage.id)).toEqual(
      index.search(q).hits.map((h) => h.passage.id),
    );
  });
});
