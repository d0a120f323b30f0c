import { join } from "node:path";
import { openSqliteStorage } from "../../../src/storage/sqlite/index.js";
import { tempDir } from "../../helpers.js";
import { storageContract } from "../contract.js";

storageContract("SQLite in memory", async () => openSqliteStorage(":memory:"));
storageContract("SQLite file", async () => openSqliteStorage(join(await tempDir(), "bot.sqlite")));
