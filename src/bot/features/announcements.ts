/** Announcements and schedules, for the bot's administrators: /thongbao, /hengio, /lichhen, /huyhen, /xacnhan, /huy, /thongke. */
import type { Feature } from "./types.js";

export const announcements: Feature = {
  name: "announcements",
  commands: [
    {
      name: "thongbao",
      aliases: [],
      action: "notice",
      access: "admin",
      menu: "menu_notice",
      help: "help_notice",
    },
    {
      name: "hengio",
      aliases: [],
      action: "schedule",
      access: "admin",
      menu: "menu_schedule",
      help: "help_schedule",
    },
    {
      name: "lichhen",
      aliases: [],
      action: "schedules",
      access: "admin",
      menu: "menu_schedules",
      help: "help_schedules",
    },
    {
      name: "huyhen",
      aliases: [],
      action: "unschedule",
      access: "admin",
      menu: "menu_unschedule",
      help: "help_unschedule",
    },
    { name: "xacnhan", aliases: [], action: "confirm", access: "admin" },
    { name: "huy", aliases: [], action: "cancel", access: "admin" },
    {
      name: "thongke",
      aliases: [],
      action: "stats",
      access: "admin",
      menu: "menu_stats",
      help: "help_stats",
    },
  ],
};
