/**
 * A source button pressed under an answer whose document was later replaced or removed: the old
 * text from the ledger (said to be old), or, when its text was not kept (removed by hand, by
 * `npm run ingest`), a kind word that the document is gone — never a wrong passage.
 */
import { describe, expect, it } from "vitest";
import { citationOfPassage } from "../../src/answer/citations.js";
import { createAnswerer } from "../../src/answer/compose.js";
import { createEngine } from "../../src/bot/engine.js";
import { createLibraryLedger } from "../../src/bot/library-ledger.js";
import type { Incoming, Reply } from "../../src/bot/types.js";
import { fill } from "../../src/prompts.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { tempDir } from "../helpers.js";
import { index, prompts, retriever } from "./test-engine.js";

const r = prompts.replies;
const m: Incoming = {
  channel: "telegram",
  chatId: "1",
  chatType: "private",
  userId: "1",
  text: "",
  addressed: true,
};

/** An engine over the shipped index, with what is in use now given by `documents` and `citation`. */
function engineWith(o: {
  questionLog: ReturnType<typeof openSqliteStorage>["questions"];
  gone?: boolean;
  ledger?: ReturnType<typeof createLibraryLedger>;
}) {
  const { logger } = memoryLogger();
  return createEngine({
    answerer: createAnswerer({ retriever: () => retriever, prompts, logger }),
    documents: () => (o.gone ? [] : index.documents),
    citation: (id) => (o.gone ? undefined : citationOfPassage(index, id)),
    questionLog: o.questionLog,
    replies: r,
    logger,
    ledger: o.ledger,
  });
}

async function asked(questionLog: ReturnType<typeof openSqliteStorage>["questions"]) {
  const [reply] = (await engineWith({ questionLog }).handle({
    ...m,
    text: "Kết luận 43 ban hành ngày nào?",
  })) as [Reply];
  if (reply.kind !== "answer" || reply.questionId === undefined) throw new Error("not answered");
  const cited = reply.answer.citations[0];
  if (!cited) throw new Error("no citation");
  return { questionId: reply.questionId, cited };
}

describe("old source buttons after a document changed", () => {
  it("says kindly that the document was replaced or removed when its text was not kept", async () => {
    const { questions } = openSqliteStorage(":memory:");
    const { questionId } = await asked(questions);
    const [said] = await engineWith({ questionLog: questions, gone: true }).handle({
      ...m,
      action: { kind: "source", questionId, n: 1 },
    });
    expect(said).toEqual({ kind: "text", text: fill(r.source_document_gone, { n: 1 }) });
  });

  it("shows the text it quoted from the ledger, saying it is the old version, when the document was replaced after the answer", async () => {
    const { questions } = openSqliteStorage(":memory:");
    const { questionId, cited } = await asked(questions);
    const ledger = createLibraryLedger(await tempDir());
    await ledger.retire({
      docId: cited.documentId,
      source: "ke-hoach.txt",
      title: "Kế hoạch thực hiện KL 43-KL/TW",
      action: "replace",
      at: new Date(Date.now() + 60_000).toISOString(),
      passages: [
        {
          id: cited.passageId,
          section: "phần mở đầu",
          label: "phần mở đầu",
          text: "Bản cũ: ban hành ngày 07/01/2019.",
        },
      ],
    });
    // The document now has other text under the same passage id: the old one is what was quoted.
    const [src] = await engineWith({ questionLog: questions, ledger }).handle({
      ...m,
      action: { kind: "source", questionId, n: 1 },
    });
    expect(src).toMatchObject({
      kind: "source",
      number: 1,
      citation: { passage: "Bản cũ: ban hành ngày 07/01/2019." },
    });
    expect(src?.kind === "source" && src.note).toMatch(
      /^Đoạn này trích từ bản cũ của «Kế hoạch thực hiện KL 43-KL\/TW», đã được thay bằng bản mới ngày \d\d\/\d\d\/\d{4}\.$/,
    );
  });

  it("ignores a change older than the answer: the passage in use is shown", async () => {
    const { questions } = openSqliteStorage(":memory:");
    const dir = await tempDir();
    const ledger = createLibraryLedger(dir);
    const { questionId, cited } = await asked(questions);
    await ledger.retire({
      docId: cited.documentId,
      source: "x.txt",
      title: "X",
      action: "remove",
      at: "2000-01-01T00:00:00.000Z",
      passages: [{ id: cited.passageId, section: "", label: "", text: "không được hiện" }],
    });
    const [src] = await engineWith({ questionLog: questions, ledger }).handle({
      ...m,
      action: { kind: "source", questionId, n: 1 },
    });
    expect(src?.kind === "source" && src.citation.passage).toBe(cited.passage);
    expect(src?.kind === "source" && src.note).toBeUndefined();
  });
});

describe("the library ledger", () => {
  it("keeps a document's first date across replacements and forgets a removed one", async () => {
    let now = new Date("2026-01-05T02:00:00Z");
    const ledger = createLibraryLedger(await tempDir(), () => now);
    await ledger.touch("a.txt", "telegram:1");
    now = new Date("2026-02-07T02:00:00Z");
    await ledger.touch("a.docx", "telegram:2", "a.txt");
    expect(await ledger.entry("a.txt")).toBeUndefined();
    expect(await ledger.entry("a.docx")).toEqual({
      addedAt: "2026-01-05T02:00:00.000Z",
      updatedAt: "2026-02-07T02:00:00.000Z",
      by: "telegram:2",
    });
    await ledger.forget("a.docx");
    expect(await ledger.entry("a.docx")).toBeUndefined();
  });
});
