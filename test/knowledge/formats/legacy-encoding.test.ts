import { describe, expect, it } from "vitest";
import {
  convertFontText,
  decodeTcvn3,
  decodeVni,
  decodeWindows1258,
  detectLegacyBytes,
  detectLegacyDocument,
  detectLegacyString,
  encodeTcvn3,
  encodeVni,
  encodingOfFont,
} from "../../../src/knowledge/formats/legacy-encoding.js";

/** Every Vietnamese letter with a mark: 12 vowels × 6 tones, their capitals, and đ/Đ. */
const VOWELS = "aăâeêioôơuưy";
const TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];
const lower = [...VOWELS].flatMap((v) => TONES.map((t) => (v + t).normalize("NFC"))).concat("đ");
const upper = lower.map((c) => c.toUpperCase());
const marked = [...lower, ...upper].filter((c) => !/^[a-zA-Z]$/.test(c));

describe("every Vietnamese letter", () => {
  it("counts 134 marked letters (66 vowels with a mark and đ, both cases)", () => {
    expect(marked).toHaveLength(134);
    expect(new Set(marked).size).toBe(134);
  });

  it("round-trips through TCVN3: lower case in .VnTime, capitals in .VnTimeH", () => {
    const low = lower.join(" ");
    const bytes = encodeTcvn3(low);
    expect([...bytes].every((b) => b < 0x80 || b >= 0xa1)).toBe(true);
    expect(decodeTcvn3(bytes)).toBe(low);
    const caps = upper.join(" ");
    expect(decodeTcvn3(encodeTcvn3(caps, { capitals: true }), { capitals: true })).toBe(caps);
    // The untoned capitals have code points of their own in .VnTime.
    expect(decodeTcvn3(Uint8Array.from([0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7]))).toBe("ĂÂÊÔƠƯĐ");
    expect(() => encodeTcvn3("Ấ")).toThrow(RangeError);
  });

  it("round-trips through VNI-Windows, both cases", () => {
    const all = [...lower, ...upper].join(" ");
    const bytes = encodeVni(all);
    expect(decodeVni(bytes)).toBe(all);
    // Each letter is one or two bytes, the second a mark.
    for (const c of marked) expect(encodeVni(c).length, c).toBeLessThanOrEqual(2);
  });
});

describe("known texts", () => {
  it("reads TCVN3 as it is seen in old files", () => {
    expect(decodeTcvn3("Uû ban nh©n d©n")).toBe("Uỷ ban nhân dân");
    expect(decodeTcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam")).toBe("Cộng hoà xã hội chủ nghĩa Việt Nam");
    expect(decodeTcvn3("§éc lËp - Tù do - H¹nh phóc")).toBe("Độc lập - Tự do - Hạnh phúc");
  });

  it("draws capitals in a .VnTimeH font", () => {
    expect(encodingOfFont(".VnTimeH")).toEqual({ encoding: "TCVN3", capitals: true });
    expect(encodingOfFont(".VnTime")).toEqual({ encoding: "TCVN3", capitals: false });
    expect(encodingOfFont("VNI-Times")).toEqual({ encoding: "VNI-Windows", capitals: false });
    expect(encodingOfFont("Times New Roman")).toBeUndefined();
    expect(convertFontText("uû ban nh©n d©n tØnh", ".VnTimeH")).toBe("UỶ BAN NHÂN DÂN TỈNH");
    expect(convertFontText("kÕ ho¹ch", ".VnArialH")).toBe("KẾ HOẠCH");
  });

  it("reads VNI-Windows", () => {
    expect(decodeVni("Uyû ban nhaân daân")).toBe("Uỷ ban nhân dân");
    expect(decodeVni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")).toBe("Cộng hòa xã hội chủ nghĩa Việt Nam");
    expect(decodeVni("Ñoäc laäp - Töï do - Haïnh phuùc")).toBe("Độc lập - Tự do - Hạnh phúc");
    expect(decodeVni("ngöôøi ñöôïc")).toBe("người được");
    expect(decodeVni("COÄNG HOØA")).toBe("CỘNG HÒA");
  });

  it("reads Windows-1258 (combining tone marks)", () => {
    expect(decodeWindows1258(Uint8Array.from([0x56, 0x69, 0xea, 0xf2, 0x74]))).toBe("Việt");
  });
});

describe("detecting the encoding of 8-bit text", () => {
  const sentence =
    "Thực hiện Kết luận số 43-KL/TW của Ban Bí thư, Ban Thường vụ Tỉnh ủy xây dựng kế hoạch tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới.";

  it("picks TCVN3 for TCVN3 bytes and VNI for VNI bytes", () => {
    const tcvn = detectLegacyBytes(encodeTcvn3(sentence));
    expect(tcvn?.encoding).toBe("TCVN3");
    expect(tcvn?.text).toBe(sentence);
    const vni = detectLegacyBytes(encodeVni(sentence));
    expect(vni?.encoding).toBe("VNI-Windows");
    expect(vni?.text).toBe(sentence);
  });

  it("finds legacy text inside a Unicode string, and leaves real Unicode alone", () => {
    const seen = new TextDecoder("windows-1252").decode(encodeTcvn3(sentence));
    expect(detectLegacyString(seen)).toMatchObject({ encoding: "TCVN3", text: sentence });
    expect(detectLegacyString(sentence)).toBeUndefined();
    expect(detectLegacyString("Hello, café résumé")).toBeUndefined();
    expect(detectLegacyString("Plain ASCII text")).toBeUndefined();
  });

  it("gives up on bytes that read as nothing Vietnamese", () => {
    const german = Buffer.from("Grüße aus München, schöne Straße, Bürger, Übung, Größe", "latin1");
    expect(detectLegacyBytes(german)).toBeUndefined();
  });
});

describe("the legacy encoding of a whole document", () => {
  const cp1252 = (b: Uint8Array) => new TextDecoder("windows-1252").decode(b);
  const lines = [
    "Uỷ ban nhân dân tỉnh Lào Cai",
    "Số: 15-KH/BDVTU",
    "Lào Cai, ngày 12 tháng 3 năm 2024",
    "Về việc tăng cường công tác dân vận của chính quyền các cấp",
    "Điều 5",
  ];

  it("converts a short TCVN3 or VNI stretch that alone ties with its Windows-1252 reading", () => {
    for (const encode of [encodeTcvn3, encodeVni]) {
      const stretches = lines.map((l) => cp1252(encode(l)));
      // Judged alone, "Số: 15-KH/BDVTU" stays garbled.
      expect(detectLegacyString(stretches[1] as string)).toBeUndefined();
      const doc = detectLegacyDocument(stretches);
      expect(doc.encoding).toBe(encode === encodeTcvn3 ? "TCVN3" : "VNI-Windows");
      expect(stretches.map((s) => doc.convert(s)?.text ?? s)).toEqual(lines);
    }
  });

  it("leaves a Unicode document alone, its Latin-1 letters included, and keeps the per-stretch decision", () => {
    const unicode = ["Ban cán sự đảng", "Café sáng thứ hai", "Nơi nhận:"];
    const doc = detectLegacyDocument(unicode);
    expect(doc.encoding).toBeUndefined();
    expect(unicode.map((s) => doc.convert(s))).toEqual([undefined, undefined, undefined]);
    // One pasted TCVN3 paragraph in it is still converted on its own.
    const pasted = cp1252(encodeTcvn3("Tăng cường công tác dân vận của chính quyền các cấp"));
    expect(detectLegacyDocument([...unicode, pasted]).convert(pasted)?.text).toBe(
      "Tăng cường công tác dân vận của chính quyền các cấp",
    );
  });
});
