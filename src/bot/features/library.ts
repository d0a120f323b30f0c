/**
 * The administrators' documents in chat: /quanlytailieu lists each document with its dates,
 * passages and status, with buttons to remove or replace it. A document is added by sending its
 * file to the bot (src/bot/library.ts reads it and shows a preview first).
 */
import type { Feature } from "./types.js";

export const library: Feature = {
  name: "library",
  commands: [
    {
      name: "quanlytailieu",
      aliases: ["qltailieu", "library"],
      action: "library",
      access: "admin",
      menu: "menu_library",
      help: "help_library",
    },
  ],
};
