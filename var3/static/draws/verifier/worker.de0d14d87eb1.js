// Runs the verification off the page's main thread, so that the page stays
// responsive on large lotteries. Message in: {id, bundle, result, announced,
// notedDice} (bytes as ArrayBuffer); messages out: {id, type: "progress", text},
// then {id, type: "report", report} or {id, type: "error", message}.

import { verify } from "./checks.js";

self.addEventListener("message", async (event) => {
  const { id, ...input } = event.data;
  try {
    const report = await verify(input, (text) => self.postMessage({ id, type: "progress", text }));
    self.postMessage({ id, type: "report", report: { checks: report.checks, facts: report.facts } });
  } catch (error) {
    self.postMessage({ id, type: "error", message: String((error && error.message) || error) });
  }
});
