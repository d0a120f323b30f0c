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

  it("counts an everyday expression as covered when the passage says its very words", () => {
    // "cán bộ dân vận" is in the lexicon (official: "cán bộ làm công tác dân vận"…), and the
    // passage says "cán bộ" and "dân vận" itself: the question is answered, not only nearly.
    const r = top("Cán bộ dân vận cần chống những khuynh hướng nào?");
    expect(r.hits[0]?.passage.text).toContain("Chống các khuynh hướng mị dân");
    expect(r.coverage).toBe(1);
  });

  it("reads abbreviations such as mttq and matches hoà/hòa spellings", () => {
    expect(top("vai trò của mttq trong đổi mới phương thức hoạt động").hits[0]?.passage.text).toContain(
      "Mặt trận Tổ quốc, các tổ chức chính trị - xã hội",
    );
    expect(
      top("bảo đảm hài hòa lợi ích giữa Nhà nước, doanh nghiệp và Nhân dân").hits[0]?.passage.text,
    ).toContain("hài hoà lợi ích");
  });

  it("points at a numbered item when asked for it by rank", () => {
    // Item II.2 is a lead-in to its bullets: its first bullet is found, quoted after the lead-in.
    const best = top("Nhiệm vụ, giải pháp thứ hai tập trung vào đâu?").hits[0]?.passage;
    expect(`${best?.leadIn} ${best?.text}`).toContain("công tác dân vận của các cơ quan Nhà nước");
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

describe("a law divided into articles", () => {
  const law = `Chương I
NHỮNG QUY ĐỊNH CHUNG

Điều 26. Đối tượng giám sát của Mặt trận

Mặt trận Tổ quốc Việt Nam giám sát hoạt động của cơ quan, tổ chức, đại biểu dân cử, cán bộ, công chức, viên chức trong việc thực hiện chính sách, pháp luật và việc tu dưỡng, rèn luyện đạo đức, lối sống.

Điều 27. Hình thức giám sát

1. Nghiên cứu, xem xét văn bản của cơ quan có thẩm quyền liên quan đến quyền và lợi ích hợp pháp, chính đáng của Nhân dân.

2. Tổ chức đoàn giám sát.

3. Thông qua hoạt động của Ban thanh tra nhân dân được thành lập ở cấp xã.

4. Tham gia giám sát với cơ quan, tổ chức có thẩm quyền.

Điều 28. Quyền hạn sau đây của Ban Giám sát

1. Ban Giám sát đầu tư của cộng đồng có các quyền hạn sau đây:

a) Yêu cầu chủ đầu tư và các cơ quan quản lý cung cấp đầy đủ thông tin về chương trình, dự án đầu tư công trên địa bàn xã theo quy định của pháp luật về đầu tư công và pháp luật có liên quan đến hoạt động giám sát;

b) Kiến nghị với cơ quan có thẩm quyền tạm dừng thi công công trình khi phát hiện có vi phạm nghiêm trọng chất lượng, gây thất thoát, lãng phí hoặc ảnh hưởng đến an toàn của cộng đồng dân cư ở nơi thực hiện dự án;

c) Tham dự các cuộc họp của Hội đồng nhân dân, Ủy ban nhân dân cấp xã có nội dung liên quan đến chương trình, dự án mà Ban chịu trách nhiệm kiểm tra, giám sát và được phát biểu ý kiến;

d) Được bồi dưỡng kiến thức, nghiệp vụ giám sát đầu tư của cộng đồng theo chương trình do Ủy ban Mặt trận Tổ quốc Việt Nam cấp tỉnh tổ chức hằng năm.
`;
  const lawIndex = KnowledgeIndex.build([
    {
      id: "luat",
      title: "Luật mẫu",
      shortTitle: "Luật mẫu",
      source: "luat.txt",
      hash: "",
      meta: {},
      text: law,
    },
  ]);

  it("finds the clauses of the article whose title answers, though the clauses never say it", () => {
    const q = "Mặt trận giám sát bằng những hình thức nào?";
    const r = lawIndex.search(q, 3);
    expect(r.hits.slice(0, 2).map((h) => h.passage.sectionPath.slice(-2))).toEqual([
      ["Điều 27", expect.stringMatching(/^khoản [1-4]$/)],
      ["Điều 27", expect.stringMatching(/^khoản [1-4]$/)],
    ]);
  });

  it("shows at most two clauses of one article before the best passage of another", () => {
    // Điều 27's four clauses all match; the third citation is another article's (the one the
    // question might be about).
    const articles = lawIndex
      .search("Mặt trận giám sát bằng những hình thức nào?", 3)
      .hits.map((h) => h.passage.sectionPath.find((s) => s.startsWith("Điều")));
    expect(articles.slice(0, 2)).toEqual(["Điều 27", "Điều 27"]);
    expect(articles[2]).toMatch(/^Điều (26|28)$/);
  });

  it("finds an item of a long list by what its lead-in says", () => {
    const r = lawIndex.search("ban giam sat dau tu cong dong co nhung quyen han gi", 3);
    expect(r.hits[0]?.passage.sectionPath.slice(-2)).toEqual([
      "khoản 1",
      expect.stringMatching(/^điểm [a-d]$/),
    ]);
    expect(r.hits[0]?.passage.leadIn).toBe("1. Ban Giám sát đầu tư của cộng đồng có các quyền hạn sau đây:");
  });
});

describe("a question quoting words", () => {
  const rules = `Điều 6. Xếp loại

1. Hoàn thành xuất sắc nhiệm vụ: cơ quan, đơn vị đạt từ 90 điểm trở lên và không có tiêu chí nào không đạt.

2. Hoàn thành tốt nhiệm vụ: cơ quan, đơn vị đạt từ 75 điểm đến dưới 90 điểm, không có tiêu chí bị điểm không.

3. Không hoàn thành: là những cơ quan đạt dưới 75 điểm.
`;
  const index = KnowledgeIndex.build([
    {
      id: "qd",
      title: "Quy định mẫu",
      shortTitle: "Quy định mẫu",
      source: "qd.txt",
      hash: "",
      meta: {},
      text: rules,
    },
  ]);
  const q = "Cơ quan, đơn vị bị xếp loại “không hoàn thành” khi nào?";

  it("puts first the passage that says the quoted words in that order", () => {
    expect(index.search(q, 3).hits[0]?.passage.text).toMatch(/^3\. Không hoàn thành/);
  });

  it("ranks by the words alone without the quotation boost (the test above would fail)", () => {
    const plain = KnowledgeIndex.build([
      {
        id: "qd",
        title: "Quy định mẫu",
        shortTitle: "Quy định mẫu",
        source: "qd.txt",
        hash: "",
        meta: {},
        text: rules,
      },
    ]);
    plain.quotedWeight = 0;
    expect(plain.search(q, 3).hits[0]?.passage.text).not.toMatch(/^3\. Không hoàn thành/);
  });
});

describe("a question naming a document by its number", () => {
  const doc = (id: string, shortTitle: string, text: string) => ({
    id,
    title: shortTitle,
    shortTitle,
    source: `${id}.txt`,
    hash: "",
    meta: {},
    text,
  });
  const index = KnowledgeIndex.build([
    doc(
      "luat",
      "Luật 10/2022/QH15",
      "Điều 36. Ban Thanh tra nhân dân\n\n1. Ban Thanh tra nhân dân ở xã, phường, thị trấn có từ 05 đến 11 thành viên, được bầu tại hội nghị cộng đồng dân cư ở thôn, tổ dân phố; Ban Thanh tra nhân dân có nhiệm kỳ 05 năm.",
    ),
    doc(
      "nd",
      "Nghị định 59/2023/NĐ-CP",
      "Điều 13. Tổ chức bầu Ban Thanh tra nhân dân\n\n1. Việc bầu thành viên Ban Thanh tra nhân dân ở xã được tiến hành tại hội nghị của cộng đồng dân cư.",
    ),
  ]);
  const best = (q: string) => index.search(q, 2).hits[0]?.document.id;

  it("is answered from that document, with or without diacritics", () => {
    expect(best("Ban Thanh tra nhân dân ở xã có bao nhiêu thành viên, được bầu tại hội nghị nào?")).toBe(
      "luat",
    );
    expect(best("Theo Nghị định 59, Ban Thanh tra nhân dân ở xã được bầu tại hội nghị nào?")).toBe("nd");
    expect(best("theo nd 59 ban thanh tra nhan dan o xa duoc bau tai hoi nghi nao")).toBe("nd");
    expect(
      best("Theo NĐ 59, Ban Thanh tra nhân dân ở xã có bao nhiêu thành viên, được bầu tại hội nghị nào?"),
    ).toBe("nd");
  });
});

describe("a question naming a document by its title", () => {
  const doc = (id: string, title: string, shortTitle: string, text: string) => ({
    id,
    title,
    shortTitle,
    source: `${id}.txt`,
    hash: "",
    meta: {},
    text,
  });
  const index = KnowledgeIndex.build([
    doc(
      "luat10",
      "Luật Thực hiện dân chủ ở cơ sở",
      "Luật 10/2022/QH15",
      "Điều 31. Nội dung, hình thức kiểm tra, giám sát\n\n2. Công dân thực hiện việc giám sát thông qua Mặt trận ở xã và Ban Thanh tra nhân dân.",
    ),
    doc(
      "luat75",
      "Luật Mặt trận Tổ quốc Việt Nam",
      "Luật 75/2015/QH13",
      "Điều 27. Hình thức giám sát\n\nMặt trận giám sát bằng các hình thức: nghiên cứu, xem xét văn bản của cơ quan có thẩm quyền; tổ chức đoàn giám sát.",
    ),
  ]);
  const best = (q: string) => index.search(q, 2).hits[0]?.document.id;

  it("is answered from that document, with or without diacritics", () => {
    const q = "Mặt trận thực hiện giám sát thông qua những hình thức nào?";
    index.namedWeight = 0;
    expect(best(`Luật Mặt trận Tổ quốc Việt Nam quy định ${q}`)).toBe("luat10");
    index.namedWeight = 0.5;
    expect(best(`Luật Mặt trận Tổ quốc Việt Nam quy định ${q}`)).toBe("luat75");
    expect(best("luat mat tran to quoc viet nam quy dinh giam sat thong qua nhung hinh thuc nao")).toBe(
      "luat75",
    );
    // Naming the Mặt trận is not naming its law.
    expect(best(q)).toBe("luat10");
  });
});
