import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractDocument } from "../../../src/knowledge/formats/extract.js";
import { encodeTcvn3, encodeVni } from "../../../src/knowledge/formats/legacy-encoding.js";
import { sniffDocument } from "../../../src/knowledge/formats/sniff.js";
import { loadKnowledge } from "../../../src/knowledge/loader.js";

const PLAN = [
  "kÕ ho¹ch",
  "",
  "Thùc hiÖn KÕt luËn sè 43-KL/TW, ngµy 07/01/2019 cña Ban BÝ th­ vÒ tiÕp tôc thùc hiÖn NghÞ quyÕt 25-NQ/TW.",
  "",
  "I. MôC §ÝCH, Y£U CÇU",
  "",
  "1. TiÕp tôc triÓn khai, thùc hiÖn cã hiÖu qu¶ c¸c môc tiªu vÒ c«ng t¸c d©n vËn.",
].join("\n");

const SENTENCE =
  "Thực hiện Kết luận số 43-KL/TW, ngày 07/01/2019 của Ban Bí thư về tiếp tục thực hiện Nghị quyết 25-NQ/TW.";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "legacy-text-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a text file in a pre-Unicode encoding", () => {
  it("reads TCVN3 bytes as Unicode and says it converted them", async () => {
    const bytes = Buffer.from(PLAN, "latin1");
    expect(sniffDocument(bytes, "ke-hoach.txt")).toMatchObject({ kind: "document", format: "text" });
    const got = await extractDocument(bytes, "ke-hoach.txt");
    expect(got.text).toContain(SENTENCE);
    expect(got.text).toContain(
      "1. Tiếp tục triển khai, thực hiện có hiệu quả các mục tiêu về công tác dân vận.",
    );
    expect(got.encoding).toBe("TCVN3");
    expect(got.warnings).toEqual(["đã chuyển từ mã TCVN3 sang Unicode"]);
  });

  it("reads VNI-Windows bytes as Unicode", async () => {
    const got = await extractDocument(encodeVni(`KẾ HOẠCH\n\n${SENTENCE}\n`), "vni.txt");
    expect(got.text).toBe(`KẾ HOẠCH\n\n${SENTENCE}\n`);
    expect(got.encoding).toBe("VNI-Windows");
    expect(got.warnings).toEqual(["đã chuyển từ mã VNI-Windows sang Unicode"]);
  });

  it("reads TCVN3 that was once saved as UTF-8 from Latin-1 (mojibake in UTF-8)", async () => {
    const seen = new TextDecoder("windows-1252").decode(encodeTcvn3(SENTENCE));
    const got = await extractDocument(Buffer.from(seen, "utf8"), "cu.txt");
    expect(got.text).toBe(SENTENCE);
    expect(got.encoding).toBe("TCVN3");
  });

  it("leaves UTF-8 Vietnamese as it is, with no warning", async () => {
    const got = await extractDocument(Buffer.from(SENTENCE), "moi.txt");
    expect(got.text).toBe(SENTENCE);
    expect(got.encoding).toBeUndefined();
    expect(got.warnings).toEqual([]);
  });

  it("indexes a TCVN3 file in the knowledge folder under its converted title, with the warning", async () => {
    await writeFile(join(dir, "ke-hoach-cu.txt"), Buffer.from(PLAN, "latin1"));
    const { documents, skipped } = await loadKnowledge(dir);
    expect(skipped).toEqual([]);
    const doc = documents.find((d) => d.source === "ke-hoach-cu.txt");
    expect(doc?.text).toContain(SENTENCE);
    expect(doc?.warnings).toEqual(["đã chuyển từ mã TCVN3 sang Unicode"]);
  });
});
