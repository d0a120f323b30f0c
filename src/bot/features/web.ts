/** The administrators' web page: /quantri sends a one-time sign-in link, in a private chat only. */
import type { Feature } from "./types.js";

export const web: Feature = {
  name: "web",
  commands: [
    {
      name: "quantri",
      aliases: ["admin"],
      action: "web",
      access: "admin",
      menu: "menu_web",
      help: "help_web",
    },
  ],
};
