/** Questions and their sources: /hoi, /nguon, /them (and "xem nguồn 2", "còn gì nữa không?"). */
import type { Feature } from "./types.js";

export const questions: Feature = {
  name: "questions",
  commands: [
    { name: "hoi", aliases: ["ask"], action: "ask", access: "everyone", menu: "menu_ask", help: "help_ask" },
    {
      name: "nguon",
      aliases: ["source"],
      action: "source",
      access: "everyone",
      menu: "menu_source",
      help: "help_source",
    },
    {
      name: "them",
      aliases: ["more"],
      action: "more",
      access: "everyone",
      menu: "menu_more",
      help: "help_more",
    },
  ],
};
