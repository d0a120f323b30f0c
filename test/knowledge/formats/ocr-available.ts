/**
 * Whether this machine can run the OCR tests (tesseract with `vie`, pdftoppm). Without them the
 * tests that need them are skipped with the command that installs them, except under CI=true,
 * where a missing OCR is a failure (.ci/run installs it), as with PostgreSQL and Chromium.
 */
import { detectOcr, OCR_INSTALL } from "../../../src/knowledge/formats/ocr.js";

const capability = await detectOcr();
/** True when the OCR tests can run here. */
export const hasOcr = capability.available;
if (!capability.available) {
  if (process.env.CI === "true")
    throw new Error(`OCR is missing (${capability.missing}): run ${OCR_INSTALL} (CI must run the OCR tests)`);
  process.stderr.write(`\n⚠ OCR tests NOT RUN: ${capability.missing}; install with: ${OCR_INSTALL}\n`);
}
