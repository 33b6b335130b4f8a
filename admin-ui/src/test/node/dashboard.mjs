// Works through the admin-ui dashboard in headless Chromium as a finance user would. It signs in,
// filters the invoice list by phone and exports it as CSV, opens an invoice and replays its
// webhook delivery, then resolves a needs-attention item with a note. It saves a screenshot of
// each page in SCREENSHOT_DIR, prints each step and exits 0 on success, 1 on any failure.
//
// Environment: MALIPO_BASE_URL (for example http://127.0.0.1:8101), MALIPO_USER,
// MALIPO_PASSWORD, MALIPO_PHONE_PREFIX (matches the invoice MALIPO_INVOICE only),
// MALIPO_INVOICE (an invoice with a webhook delivery), MALIPO_ATTENTION_ITEM (the id of an open
// needs-attention item), SCREENSHOT_DIR, and optionally CHROMIUM_PATH (defaults to /usr/bin/chromium).
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";

const STEP_TIMEOUT_MILLIS = 15_000;

function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`dashboard: missing environment variable ${name}`);
    process.exit(1);
  }
  return value;
}

const baseUrl = requireEnv("MALIPO_BASE_URL");
const user = requireEnv("MALIPO_USER");
const password = requireEnv("MALIPO_PASSWORD");
const phonePrefix = requireEnv("MALIPO_PHONE_PREFIX");
const invoiceId = requireEnv("MALIPO_INVOICE");
const attentionItem = requireEnv("MALIPO_ATTENTION_ITEM");
const screenshotDir = requireEnv("SCREENSHOT_DIR");
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

await mkdir(screenshotDir, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});

let failed = false;
try {
  // JavaScript is off: every page must work with plain forms and links.
  const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MILLIS);

  await page.goto(new URL("/login", baseUrl).href);
  await screenshot(page, "login");
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectText(page, "h1", "Overview");
  await screenshot(page, "overview");
  console.log("signed in");

  await page.goto(new URL("/invoices", baseUrl).href);
  await page.getByLabel("Phone starts with").fill(phonePrefix);
  await page.getByRole("button", { name: "Filter" }).click();
  const rows = await page.locator("#invoices a[href^='/invoices/']").allTextContents();
  if (rows.length !== 1 || rows[0] !== invoiceId) {
    throw new Error(`expected only invoice ${invoiceId} for phone prefix ${phonePrefix}, got [${rows}]`);
  }
  await screenshot(page, "invoices");
  console.log(`filtered: ${rows}`);

  const download = page.waitForEvent("download");
  await page.locator("#export").click();
  const csvPath = await (await download).path();
  const csv = await readFile(csvPath, "utf8");
  const lines = csv.trim().split(/\r?\n/);
  if (lines.length !== 2 || !lines[1].startsWith(invoiceId)) {
    throw new Error(`expected a header and invoice ${invoiceId} in the export, got:\n${csv}`);
  }
  console.log(`exported ${lines.length - 1} invoice`);

  await page.getByRole("link", { name: invoiceId }).click();
  await expectText(page, "h1", `Invoice ${invoiceId}`);
  await screenshot(page, "invoice");
  await page.locator(".replay-form button").first().click();
  await expectText(page, ".notice", "queued again");
  await screenshot(page, "invoice-replayed");
  console.log("replayed a webhook delivery");

  await page.goto(new URL("/attention", baseUrl).href);
  await screenshot(page, "attention");
  const form = page.locator(`form[action='/attention/${attentionItem}/resolve']`);
  await form.getByLabel("Note").fill("Checked with the customer; nothing to do");
  await form.getByRole("button", { name: "Resolve" }).click();
  await expectText(page, ".notice", "resolved");
  await screenshot(page, "attention-resolved");
  console.log(`resolved needs-attention item ${attentionItem}`);
} catch (error) {
  failed = true;
  console.error(`dashboard: ${error.stack || error}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

async function expectText(page, selector, text) {
  const content = await page.locator(selector).first().textContent();
  if (!content || !content.includes(text)) {
    throw new Error(`expected "${text}" in ${selector} on ${page.url()}, found "${content}"`);
  }
}

async function screenshot(page, name) {
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot ${path}`);
}
