/**
 * A Zalo administrator signs in to the web page: /quantri over the fake Zalo Bot API, the link it
 * sends opened with plain HTTP (the bot started as a user starts it, Zalo alone).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../../cli/run-cli.js";
import { type FakeZalo, startFakeZalo, zaloText } from "../../fakes/zalo-server.js";
import { copyOfKnowledge, freePort, tempDir } from "../../helpers.js";

let zalo: FakeZalo;
let bot: ReturnType<typeof startBot>;
let origin: string;

const next = async (chatId: string, push: () => void) => {
  const before = zalo.sent(chatId).length;
  push();
  await expect.poll(() => zalo.sent(chatId).length, { timeout: 20_000 }).toBeGreaterThan(before);
  return String(zalo.sent(chatId)[before]?.params.text);
};

beforeAll(async () => {
  zalo = await startFakeZalo();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  bot = startBot({
    KNOWLEDGE_DIR: await copyOfKnowledge(),
    DATA_DIR: await tempDir(),
    ZALO_BOT_TOKEN: "zalo-test-token-123456",
    ZALO_API_BASE_URL: zalo.baseUrl,
    ZALO_ADMIN_IDS: "admin1",
    PUBLIC_URL: origin,
    PORT: String(port),
  });
  for (let i = 0; i < 600 && !zalo.calls.some((c) => c.method === "deleteWebhook"); i++)
    await new Promise((r) => setTimeout(r, 100));
}, 90_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await zalo.close();
});

describe("/quantri on Zalo", () => {
  it("sends a Zalo administrator a link that opens the page as them; a group gets no link", async () => {
    expect(await next("g1", () => zalo.push(zaloText("g1", "admin1", "@bot /quantri", true)))).not.toContain(
      "/quantri/vao",
    );
    const text = await next("admin1", () => zalo.push(zaloText("admin1", "admin1", "/quantri")));
    const link = new URL(/http:\/\/127\.0\.0\.1:\d+\/quantri\/vao\?t=[\w-]+/.exec(text)?.[0] ?? "http://x");
    expect(link.origin).toBe(origin);
    const signIn = await fetch(`${origin}/quantri/vao`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ t: link.searchParams.get("t") ?? "" }),
      redirect: "manual",
    });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const page = await (await fetch(`${origin}/quantri`, { headers: { cookie } })).text();
    expect(page).toContain("Đang đăng nhập: zalo:admin1");
    const stranger = await next("u9", () => zalo.push(zaloText("u9", "u9", "/quantri")));
    expect(stranger).toContain("chỉ dành cho quản trị viên");
  });
});
