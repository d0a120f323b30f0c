/** Subscriptions to announcements: /dangky, /huydangky, /trangthai (in groups, the group's administrators). */
import type { Feature } from "./types.js";

export const subscriptions: Feature = {
  name: "subscriptions",
  commands: [
    { name: "dangky", aliases: [], action: "subscribe", access: "everyone", menu: "menu_subscribe" },
    { name: "huydangky", aliases: [], action: "unsubscribe", access: "everyone", menu: "menu_unsubscribe" },
    { name: "trangthai", aliases: [], action: "status", access: "everyone", menu: "menu_status" },
  ],
};
