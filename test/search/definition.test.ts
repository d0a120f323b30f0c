import { describe, expect, it } from "vitest";
import { definedTerm, definesTerm } from "../../src/search/definition.js";
import { KnowledgeIndex } from "../../src/search/knowledge-index.js";

describe("questions asking what something is", () => {
  it("finds the term asked about, with or without diacritics, a quoted term first", () => {
    expect(definedTerm("Hương ước, quy ước của cộng đồng dân cư được hiểu là gì?")).toEqual(
      "huong uoc quy uoc cua cong dong dan cu".split(" "),
    );
    expect(definedTerm("phan bien xa hoi cua mat tran la gi")).toEqual(
      "phan bien xa hoi cua mat tran".split(" "),
    );
    expect(definedTerm("Thế nào là cộng đồng dân cư?")).toEqual(["cong", "dong", "dan", "cu"]);
    expect(
      definedTerm("Theo Luật Thực hiện dân chủ ở cơ sở, “cơ sở” được hiểu gồm những đơn vị nào?"),
    ).toEqual(["co", "so"]);
    expect(
      definedTerm(
        "Mặt trận Tổ quốc Việt Nam là tổ chức gì và có vị trí như thế nào trong hệ thống chính trị?",
      ),
    ).toEqual("mat tran to quoc viet nam".split(" "));
    expect(definedTerm("hoi dong nhan dan la co quan nao")).toEqual("hoi dong nhan dan".split(" "));
    expect(definedTerm("Ban Thanh tra nhân dân có nhiệm vụ gì?")).toBeUndefined();
    expect(definedTerm("Công dân có những nghĩa vụ gì?")).toBeUndefined();
  });

  it("knows a passage that opens by defining the term from one that only mentions it", () => {
    const term = definedTerm("Hương ước, quy ước của cộng đồng dân cư được hiểu là gì?") ?? [];
    expect(
      definesTerm(
        "1. Hương ước, quy ước của cộng đồng dân cư (sau đây gọi chung là hương ước) là văn bản…",
        term,
      ),
    ).toBe(true);
    expect(
      definesTerm("5. Hương ước, quy ước của cộng đồng dân cư có hiệu lực thi hành kể từ ngày…", term),
    ).toBe(false);
    expect(definesTerm("Trách nhiệm thực hiện hương ước là của mọi hộ gia đình.", term)).toBe(false);
  });

  it("knows a definition that follows a preamble in the same sentence", () => {
    const term = definedTerm("mat tran to quoc viet nam la to chuc gi") ?? [];
    expect(
      definesTerm(
        "Kế thừa vai trò lịch sử của Mặt trận Dân tộc thống nhất Việt Nam do Đảng Cộng sản Việt Nam và Chủ tịch Hồ Chí Minh sáng lập, lãnh đạo, Mặt trận Tổ quốc Việt Nam là tổ chức liên minh chính trị…",
        term,
      ),
    ).toBe(true);
    expect(
      definesTerm("Ủy ban nhân dân cấp xã, Mặt trận Tổ quốc Việt Nam cấp xã có trách nhiệm phối hợp…", term),
    ).toBe(false);
  });

  it("ranks the definition first, above passages that repeat the term more", () => {
    const text = `Điều 2. Giải thích từ ngữ

Trong Nghị định này, những từ sau đây có nội dung như sau:

1. Hương ước, quy ước là văn bản quy định các quy tắc xử sự chung do cộng đồng dân cư thỏa thuận đặt ra.

Điều 9. Thực hiện hương ước, quy ước

1. Hương ước, quy ước của cộng đồng dân cư phải được mọi người hiểu rõ và được phổ biến đến từng hộ gia đình; hương ước, quy ước được niêm yết tại nhà văn hóa của cộng đồng dân cư.

2. Cộng đồng dân cư tổ chức thực hiện hương ước, quy ước; Trưởng thôn báo cáo việc thực hiện hương ước, quy ước của cộng đồng dân cư.
`;
    const index = KnowledgeIndex.build([
      {
        id: "nd",
        title: "Nghị định mẫu",
        shortTitle: "Nghị định mẫu",
        source: "nd.txt",
        hash: "",
        meta: {},
        text,
      },
    ]);
    const best = () =>
      index.search("Hương ước, quy ước của cộng đồng dân cư được hiểu là gì?", 3).hits[0]?.passage
        .sectionPath;
    expect(best()).toContain("Điều 2");
    index.definitionWeight = 0;
    expect(best()).toContain("Điều 9");
  });
});
