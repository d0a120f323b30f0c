import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../cli/run-cli.js";
import { type FakeZalo, startFakeZalo, zaloText } from "../fakes/zalo-server.js";
import { copyOfKnowledge, freePort, tempDir } from "../helpers.js";

let zalo: FakeZalo;
let bot: ReturnType<typeof startBot>;
let url: string;
const SECRET = "zalo-secret-abc123";

beforeAll(async () => {
  zalo = await startFakeZalo();
  const port = await freePort();
  url = `http://127.0.0.1:${port}/zalo/hook`;
  bot = startBot({
    KNOWLEDGE_DIR: await copyOfKnowledge(),
    DATA_DIR: await tempDir(),
    ZALO_BOT_TOKEN: "zalo-test-token-123456",
    ZALO_API_BASE_URL: zalo.baseUrl,
    ZALO_WEBHOOK_URL: url,
    ZALO_WEBHOOK_SECRET: SECRET,
    PORT: String(port),
  });
  for (let i = 0; i < 300 && !zalo.calls.some((c) => c.method === "setWebhook"); i++)
    await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await zalo.close();
});

describe("Zalo webhook mode", () => {
  it("registers the webhook with its secret", () => {
    expect(zalo.calls.find((c) => c.method === "setWebhook")?.params).toEqual({ url, secret_token: SECRET });
  });

  it("refuses a wrong or missing secret and processes nothing", async () => {
    expect(
      await zalo.deliver(url, zaloText("w1", "w1", "Kết luận 43 ban hành ngày nào?"), "wrong-secret"),
    ).toBe(401);
    expect(await zalo.deliver(url, zaloText("w1", "w1", "Kết luận 43 ban hành ngày nào?"))).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(zalo.sent("w1")).toHaveLength(0);
  });

  it("answers a delivery once even when Zalo delivers it twice", async () => {
    const update = { ok: true, result: zaloText("w2", "w2", "Kết luận 43 ban hành ngày nào?") };
    expect(await zalo.deliver(url, update, SECRET)).toBe(200);
    expect(await zalo.deliver(url, update, SECRET)).toBe(200);
    await expect.poll(() => zalo.sent("w2").length, { timeout: 15_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 800));
    expect(zalo.sent("w2")).toHaveLength(1);
    expect(String(zalo.sent("w2")[0]?.params.text)).toContain("07/01/2019");
  });
});
