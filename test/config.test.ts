import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("defaults to ./knowledge and ./data under the working folder", () => {
    const c = loadConfig({}, "/srv/bot");
    expect(c.knowledgeDir).toBe("/srv/bot/knowledge");
    expect(c.dataDir).toBe("/srv/bot/data");
    expect(c.indexDir).toBe("/srv/bot/data/index");
  });

  it("takes KNOWLEDGE_DIR and DATA_DIR, and treats empty values as unset", () => {
    const c = loadConfig({ KNOWLEDGE_DIR: "/kb", DATA_DIR: " " }, "/srv/bot");
    expect(c.knowledgeDir).toBe("/kb");
    expect(c.dataDir).toBe("/srv/bot/data");
  });

  it("names the variable and what it expects when a value is wrong", () => {
    expect(() => loadConfig({ LOG_LEVEL: "verbose" })).toThrowError(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: "verbose" })).toThrowError(/LOG_LEVEL.*info/);
    expect(() => loadConfig({ VECTOR_LEAD_WEIGHT: "nhiều" })).toThrowError(/VECTOR_LEAD_WEIGHT.*từ 0 đến 10/);
  });

  it("leaves the vector weights to the index unless they are set", () => {
    expect(loadConfig({}).vectorWeights).toEqual({ cosine: undefined, lead: undefined });
    expect(loadConfig({ VECTOR_WEIGHT: "0.5", VECTOR_LEAD_WEIGHT: "0" }).vectorWeights).toEqual({
      cosine: 0.5,
      lead: 0,
    });
  });

  it("refuses a Zalo webhook address without its secret, naming both variables", () => {
    const env = { ZALO_BOT_TOKEN: "zalo-test-token-123456", ZALO_WEBHOOK_URL: "https://bot.example.vn/zalo" };
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(
      /ZALO_WEBHOOK_SECRET.*ZALO_WEBHOOK_URL|ZALO_WEBHOOK_URL.*ZALO_WEBHOOK_SECRET/,
    );
    expect(loadConfig({ ...env, ZALO_WEBHOOK_SECRET: "zalo-secret-abc123" }).zalo?.mode).toEqual({
      kind: "webhook",
      url: "https://bot.example.vn/zalo",
      secret: "zalo-secret-abc123",
    });
  });

  it("says per channel whether updates come by polling or by webhook", () => {
    const tg = { TELEGRAM_BOT_TOKEN: "123456:ABC-token-abcdefghijklmnop" };
    expect(loadConfig(tg).telegram?.mode).toEqual({ kind: "polling" });
    expect(loadConfig({ ...tg, TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/tg" }).telegram?.mode).toEqual({
      kind: "webhook",
      url: "https://bot.example.vn/tg",
      secret: undefined,
    });
    expect(loadConfig({ ZALO_BOT_TOKEN: "zalo-test-token-123456" }).zalo?.mode).toEqual({ kind: "polling" });
  });
});
