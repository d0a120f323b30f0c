import { describe, expect, it } from "vitest";
import { queryTerms } from "../../src/search/terms.js";
import { splitNarrative } from "../../src/text/narrative.js";

describe("question reduction for a story told before the question", () => {
  const story =
    "Nhà tôi ở tổ 12, hôm qua phường dán thông báo mời họp nhưng tôi đi làm không dự được, vậy tôi có được góp ý bằng cách khác không?";

  it("finds where the question starts, with or without diacritics", () => {
    expect(splitNarrative(story)).toEqual({
      context: "Nhà tôi ở tổ 12, hôm qua phường dán thông báo mời họp nhưng tôi đi làm không dự được",
      ask: "vậy tôi có được góp ý bằng cách khác không?",
    });
    expect(
      splitNarrative(
        "nha toi o to 12 hom qua phuong dan thong bao moi hop nhung toi di lam khong du duoc vay toi co duoc gop y bang cach khac khong",
      )?.ask,
    ).toBe("vay toi co duoc gop y bang cach khac khong");
    expect(
      splitNarrative(
        "Xóm tôi mới bầu trưởng thôn mà tôi đi vắng cả tuần. Cho tôi hỏi trưởng thôn do ai bầu?",
      ),
    ).toEqual({
      context: "Xóm tôi mới bầu trưởng thôn mà tôi đi vắng cả tuần.",
      ask: "Cho tôi hỏi trưởng thôn do ai bầu?",
    });
  });

  it("leaves short and plain questions whole", () => {
    expect(splitNarrative("Công dân có những nghĩa vụ gì khi thực hiện dân chủ ở cơ sở?")).toBeUndefined();
    expect(splitNarrative("Vậy dân vận là gì?")).toBeUndefined();
    expect(splitNarrative("kl 43 ban hanh ngay nao")).toBeUndefined();
  });

  it("weighs the story's words less in ranking and in the not-found rule, never the question's", () => {
    const q = queryTerms(story);
    expect(q.contentWeight.get("whôm")).toBeLessThan(1);
    expect(q.contentWeight.get("wphường")).toBeLessThan(1);
    for (const asked of ["wgóp", "wý", "wcách", "wkhác"]) expect(q.contentWeight.has(asked)).toBe(false);
    expect(q.weights.get("wphường")).toBeLessThan(q.weights.get("wgóp") ?? 0);
    // A question whose asking part has no topic of its own keeps its story at full weight.
    const bare = queryTerms("Hôm qua tổ dân phố họp bầu tổ trưởng mà tôi không được mời, vậy có đúng không?");
    expect([...bare.contentWeight.values()]).toEqual([]);
  });

  it("keeps the story at full weight when the question points back into it ('ông ấy', 'việc đó', 'họ')", () => {
    const told = "Ông tổ trưởng khu phố tôi làm việc tắc trách, bà con không còn tin nữa.";
    const pointing = queryTerms(`${told} Chúng tôi muốn cho ông ấy nghỉ thì ai là người đề xuất lên xã?`);
    expect([...pointing.contentWeight.values()]).toEqual([]);
    expect([
      ...queryTerms(`${told} Bà con muốn họ được đề xuất lên xã thì làm sao?`).contentWeight.values(),
    ]).toEqual([]);
    // "hộ" folds like "họ", and is no pronoun.
    const household = queryTerms(`${told} Mỗi hộ gia đình đề xuất lên xã thế nào?`);
    expect(household.contentWeight.get("wtắc")).toBeLessThan(1);
  });
});
