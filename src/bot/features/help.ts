/** Welcome and help: /start, /trogiup. */
import type { Feature } from "./types.js";

export const help: Feature = {
  name: "help",
  commands: [
    { name: "start", aliases: ["batdau"], action: "start", access: "everyone" },
    {
      name: "trogiup",
      aliases: ["help", "huongdan"],
      action: "help",
      access: "everyone",
      menu: "menu_help",
      help: "help_help",
    },
  ],
};
