/** The documents the bot answers from: /tailieu. */
import type { Feature } from "./types.js";

export const documents: Feature = {
  name: "documents",
  commands: [
    {
      name: "tailieu",
      aliases: ["vanban", "docs"],
      action: "documents",
      access: "everyone",
      menu: "menu_documents",
      help: "help_documents",
    },
  ],
};
