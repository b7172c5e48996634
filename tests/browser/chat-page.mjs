// `make test-chat-page`: drives the www/ chat page in headless Chromium (playwright-core, Debian's
// /usr/bin/chromium) as `make demo` serves it: the demo Worker in workerd, against the emulator at
// BEDROCK_EMULATOR_URL. Streams a message, asks with thinking on and opens the reasoning panel,
// triggers the get_weather tool, stops a slow stream mid-way, and shows a throttling error in
// plain words. Saves screenshots under tests/.work/screenshots/ and prints their paths.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { demoSettings, startDemoWorker } from "../demo/serve-www.mjs";
import { launchChromium } from "./chromium.mjs";

const SHOTS = resolve(import.meta.dirname, "../.work/screenshots");
const TIMEOUT_MS = 20_000;
if (!process.env.BEDROCK_EMULATOR_URL) throw new Error("BEDROCK_EMULATOR_URL is not set");
// The emulator, whatever AWS keys the environment holds.
const settings = demoSettings({ BEDROCK_EMULATOR_URL: process.env.BEDROCK_EMULATOR_URL });

const NAMES = ["streaming", "reasoning-open", "tool-call", "stopped", "error"];
mkdirSync(SHOTS, { recursive: true });
// Only this test's own screenshots from an earlier run (other tests may save theirs here too).
for (const name of readdirSync(SHOTS)) {
  if (NAMES.includes(name.replace(/\.png$/, "")) || name.startsWith("chat-page-failed-")) rmSync(join(SHOTS, name));
}
const worker = await startDemoWorker(settings, { workDir: "workerd-chat-page" });
const browser = await launchChromium();
const results = [];
const shots = [];
const pageErrors = [];
let page;

const check = (condition, message) => {
  if (!condition) throw new Error(message);
};
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  ✖ ${name}\n    ${String(error.stack ?? error).split("\n").join("\n    ")}`);
    await shot(`chat-page-failed-${name.replace(/\W+/g, "-")}`, `the page when "${name}" failed`).catch(() => {});
  }
}
async function shot(name, what) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  shots.push({ path, what });
}
// Settings live in a collapsed <details>: open it, fill, close it again.
async function setSetting(id, value) {
  await page.evaluate(() => {
    document.getElementById("settings").open = true;
  });
  await page.fill(`#${id}`, String(value));
  await page.evaluate(() => {
    document.getElementById("settings").open = false;
  });
}
async function sendMessage(text) {
  await page.fill("#input", text);
  await page.click("#send");
}
const idle = () => page.waitForSelector("#send:not([disabled])", { timeout: TIMEOUT_MS });
const texts = (selector) => page.$$eval(selector, (elements) => elements.map((e) => e.textContent));
const last = async (selector) => (await texts(selector)).at(-1) ?? "";

try {
  page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  page.on("pageerror", (error) => pageErrors.push(error.stack ?? String(error)));
  page.on("console", (message) => {
    // A failed HTTP response is logged by Chromium itself (the throttling step expects a 429).
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      pageErrors.push(`console: ${message.text()}`);
    }
  });
  console.log(`chat page: ${worker.url}/ (demo Worker in workerd, emulator at ${settings.endpoint})`);
  await page.goto(`${worker.url}/`);
  await page.waitForSelector("body[data-ready='1']", { timeout: TIMEOUT_MS });

  await step("streams tokens as they arrive", async () => {
    // A slow model id, so that the screenshot catches the answer half-written.
    await setSetting("model", "fault:slow-drip:150");
    const message = "Hello from Playwright, this answer streams word by word";
    await sendMessage(message);
    await page.waitForFunction(
      () => /Echo: \S+ \S+/.test(document.querySelector(".assistant.streaming .answer")?.textContent ?? ""),
      null,
      { timeout: TIMEOUT_MS },
    );
    const partial = await last(".assistant .answer");
    await shot("streaming", "an answer half-streamed (cursor at its end), Stop enabled");
    await idle();
    const full = await last(".assistant .answer");
    check(full === `Echo: ${message}`, `final text ${JSON.stringify(full)}`);
    check(partial.length < full.length, `the screenshot's text ${JSON.stringify(partial)} was not partial`);
    const meta = await last(".meta");
    check(/\d+ input/.test(meta) && /\d+ output/.test(meta) && /\d+ total tokens/.test(meta), `usage line: ${meta}`);
    check(/cache read \d+ \/ write \d+/.test(meta) && /first token \d+ ms/.test(meta) && /total \d+ ms/.test(meta), `latency line: ${meta}`);
    console.log(`    streamed: ${JSON.stringify(partial)} → ${JSON.stringify(full)}\n    ${meta.trim()}`);
  });

  await step("reasoning panel with thinking on", async () => {
    await setSetting("model", settings.model);
    await page.check("#thinking");
    await sendMessage("Why is the sky blue?");
    await idle();
    const summary = page.locator(".assistant .reasoning summary").last();
    await summary.waitFor({ timeout: TIMEOUT_MS });
    check(!(await page.locator(".assistant .reasoning").last().evaluate((d) => d.open)), "the panel starts collapsed");
    await summary.click();
    const reasoning = await last(".assistant .reasoning-text");
    check(reasoning === "Thinking about: Why is the sky blue?", `reasoning ${JSON.stringify(reasoning)}`);
    check(await page.locator(".assistant .reasoning-text").last().isVisible(), "reasoning text visible once opened");
    const answer = await last(".assistant .answer");
    check(answer === "Echo: Why is the sky blue?", `answer ${JSON.stringify(answer)}`);
    await shot("reasoning-open", "the reasoning panel opened above the answer (thinking on)");
    await page.uncheck("#thinking");
  });

  await step("tool call with its arguments", async () => {
    await sendMessage("What's the weather in Paris? Use get_weather.");
    await idle();
    const call = page.locator(".tool-call").last();
    await call.waitFor({ timeout: TIMEOUT_MS });
    const args = JSON.parse(await call.getAttribute("data-args"));
    check(args.city === "city-value" && args.unit === "celsius", `args ${JSON.stringify(args)}`);
    const shown = await call.textContent();
    check(shown.includes("get_weather") && shown.includes('"city": "city-value"'), `tool call shown as ${JSON.stringify(shown)}`);
    const result = await last(".tool-result");
    check(result.includes("city-value: 18°C and sunny"), `tool result ${JSON.stringify(result)}`);
    const answer = await last(".assistant .answer");
    check(answer === "Tool results: city-value: 18°C and sunny", `answer after the tool ${JSON.stringify(answer)}`);
    await shot("tool-call", "get_weather called with its arguments, the tool's result, and the model's follow-up");
    console.log(`    ${shown.trim()} → ${answer}`);
  });

  await step("Stop aborts mid-stream and keeps the partial answer", async () => {
    await setSetting("model", "fault:slow-drip:300");
    const errorsBefore = await page.locator(".error").count();
    await sendMessage("Please count slowly: one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty");
    await page.waitForFunction(
      () => /Echo: \S+ \S+/.test(document.querySelector(".assistant.streaming .answer")?.textContent ?? ""),
      null,
      { timeout: TIMEOUT_MS },
    );
    await page.click("#stop");
    await idle();
    const note = await last(".stopped");
    check(/stopped|aborted/i.test(note), `stop note ${JSON.stringify(note)}`);
    const partial = await last(".assistant .answer");
    check(partial.startsWith("Echo: Please") && !partial.includes("twenty"), `partial answer ${JSON.stringify(partial)}`);
    check((await page.locator(".error").count()) === errorsBefore, "an error was shown after Stop");
    // The abort reached the emulator through the Worker: within 2 s (the whole answer would take
    // about 8 s at 300 ms a frame) no model response is still being sent.
    let open;
    const polled = Date.now();
    for (let i = 0; i < 20 && open !== 0; i++) {
      ({ open } = await fetch(`${settings.endpoint}/_emulator/connections`).then((r) => r.json()));
      if (open !== 0) await new Promise((r) => setTimeout(r, 100));
    }
    check(open === 0, `the emulator still sends ${open} response(s) after Stop`);
    const cancelledMs = Date.now() - polled;
    // Nothing more arrives after the stop.
    await page.waitForTimeout(900);
    check((await last(".assistant .answer")) === partial, "text kept arriving after Stop");
    await shot("stopped", "a slow answer stopped mid-stream: partial text kept, a 'Stopped' note, no error");
    console.log(`    kept ${JSON.stringify(partial)}; note: ${note}`);
    console.log(`    emulator: no response still being sent ${cancelledMs} ms after Stop`);
  });

  await step("errors in plain words", async () => {
    await setSetting("model", "fault:throttle");
    await setSetting("maxRetries", 0);
    await sendMessage("Hello?");
    await idle();
    const error = page.locator(".error").last();
    await error.waitFor({ timeout: TIMEOUT_MS });
    const text = (await error.innerText()).replace(/\n+/g, " | ");
    check(text.startsWith("Bedrock is busy (throttled); try again in a moment."), `error ${JSON.stringify(text)}`);
    check(text.includes("ThrottlingException") && text.includes("HTTP 429"), `error details ${JSON.stringify(text)}`);
    await shot("error", "a throttled call (model fault:throttle, 0 retries) explained in plain words");
    console.log(`    ${text}`);
  });

  await step("no page errors", async () => {
    check(pageErrors.length === 0, `page errors:\n${pageErrors.join("\n")}`);
  });
} finally {
  await browser.close();
  await worker.stop();
}

console.log("\nscreenshots:");
for (const { path, what } of shots) console.log(`  ${path}  (${what})`);
const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed || results.length === 0 ? 1 : 0;
