/**
 * `npm run admin-link [-- --admin telegram:123]`: prints a one-time sign-in link to the
 * administrators' web page, for the operator at the console (by default as the console's
 * administrator, the user running the bot), the same kind of link /quantri sends in a chat.
 */
import { parseArgs } from "node:util";
import { consoleUser } from "../channels/console/chat.js";
import { fill, loadPrompts } from "../prompts.js";
import { createSignInLinks } from "../server/web/sign-in.js";
import { openStorage } from "../storage/open.js";
import { configOrExit, run } from "./common.js";

run(async () => {
  const { values } = parseArgs({ options: { admin: { type: "string" } } });
  const { replies } = await loadPrompts();
  const config = configOrExit();
  if (!config.web) {
    process.stderr.write(`${replies.web_not_configured}\n`);
    return 2;
  }
  const admin = values.admin ?? `console:${consoleUser()}`;
  const [channel, id] = [admin.slice(0, admin.indexOf(":")), admin.slice(admin.indexOf(":") + 1)];
  const known =
    channel === "console"
      ? id === consoleUser()
      : channel === "telegram"
        ? (config.telegram?.adminIds.map(String) ?? []).includes(id)
        : channel === "zalo"
          ? (config.zalo?.adminIds ?? []).includes(id)
          : false;
  if (!known) {
    process.stderr.write(`${fill(replies.web_cli_not_admin, { admin })}\n`);
    return 2;
  }
  const storage = await openStorage(config);
  try {
    const links = createSignInLinks({
      store: storage.webSignIn,
      audit: storage.audit,
      publicUrl: config.web.publicUrl,
    });
    const url = await links.issue(admin);
    process.stdout.write(`${fill(replies.web_link, { url, minutes: links.minutes })}\n`);
    return 0;
  } finally {
    await storage.close();
  }
});
