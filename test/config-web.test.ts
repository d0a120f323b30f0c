import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration of the administrators' web page and of retention", () => {
  it("turns the page on with PUBLIC_URL, Secure cookies behind https, and keeps questions 180 days by default", () => {
    expect(loadConfig({}).web).toBeUndefined();
    expect(loadConfig({}).questionLogRetentionDays).toBe(180);
    expect(loadConfig({ PUBLIC_URL: "https://bot.example.vn/" }).web).toEqual({
      publicUrl: "https://bot.example.vn",
      secure: true,
      idleMinutes: 30,
      maxHours: 12,
    });
    const local = loadConfig({
      PUBLIC_URL: "http://127.0.0.1:8080",
      ADMIN_SESSION_IDLE_MINUTES: "10",
      ADMIN_SESSION_MAX_HOURS: "2",
      QUESTION_LOG_RETENTION_DAYS: "30",
    });
    expect(local.web).toMatchObject({ secure: false, idleMinutes: 10, maxHours: 2 });
    expect(local.questionLogRetentionDays).toBe(30);
  });

  it("names the variable when a value is wrong", () => {
    for (const [variable, value] of [
      ["PUBLIC_URL", "bot.example.vn"],
      ["PUBLIC_URL", "ftp://bot.example.vn"],
      ["QUESTION_LOG_RETENTION_DAYS", "0"],
      ["ADMIN_SESSION_IDLE_MINUTES", "abc"],
      ["ADMIN_SESSION_MAX_HOURS", "1000"],
    ] as const) {
      let error: unknown;
      try {
        loadConfig({ [variable]: value });
      } catch (err) {
        error = err;
      }
      expect(error, `${variable}=${value}`).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toContain(variable);
    }
  });
});
