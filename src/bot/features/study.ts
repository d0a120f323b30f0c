/**
 * Study series and quizzes: /chuoi, /thamgia, /roikhoi, /baihoc and /ketqua for everyone (in
 * groups, joining and leaving is for the group's administrators), and the administrators'
 * series (/taochuoi, /xemchuoi, /batdauchuoi, /tamdungchuoi, /dungchuoi) and quizzes
 * (/kiemtra, /kiemtrahangtuan, /xemkiemtra, /bocau, /batdaukiemtra, /huykiemtra).
 */
import type { Feature } from "./types.js";

export const study: Feature = {
  name: "study",
  commands: [
    {
      name: "chuoi",
      aliases: ["series"],
      action: "series_list",
      access: "everyone",
      menu: "menu_series",
      help: "help_study",
    },
    { name: "thamgia", aliases: ["join"], action: "series_join", access: "everyone" },
    { name: "roikhoi", aliases: ["leave"], action: "series_leave", access: "everyone" },
    { name: "baihoc", aliases: ["lesson"], action: "lesson", access: "everyone", menu: "menu_lesson" },
    {
      name: "ketqua",
      aliases: ["results"],
      action: "quiz_results",
      access: "everyone",
      menu: "menu_results",
    },
    {
      name: "taochuoi",
      aliases: [],
      action: "series_create",
      access: "admin",
      menu: "menu_create_series",
      help: "help_study_admin",
    },
    { name: "xemchuoi", aliases: [], action: "series_preview", access: "admin" },
    { name: "batdauchuoi", aliases: [], action: "series_start", access: "admin" },
    { name: "tamdungchuoi", aliases: [], action: "series_pause", access: "admin" },
    { name: "dungchuoi", aliases: [], action: "series_stop", access: "admin" },
    { name: "kiemtra", aliases: ["quiz"], action: "quiz_create", access: "admin", menu: "menu_quiz" },
    { name: "kiemtrahangtuan", aliases: [], action: "quiz_weekly", access: "admin" },
    { name: "xemkiemtra", aliases: [], action: "quiz_preview", access: "admin" },
    { name: "bocau", aliases: [], action: "quiz_discard", access: "admin" },
    { name: "batdaukiemtra", aliases: [], action: "quiz_start", access: "admin" },
    { name: "huykiemtra", aliases: [], action: "quiz_cancel", access: "admin" },
  ],
};
