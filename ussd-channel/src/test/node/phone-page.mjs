// Completes one USSD payment through the phone page in headless Chromium: dial, pay
// MALIPO_BUSINESS KES 500 from MALIPO_PHONE, then wait for the receipt SMS in the page's inbox.
// Prints every screen and exits 0 on success, 1 on any failure.
//
// Environment: MALIPO_BASE_URL (for example http://127.0.0.1:8091), MALIPO_PHONE,
// MALIPO_BUSINESS, and optionally CHROMIUM_PATH (defaults to /usr/bin/chromium).
import { chromium } from "playwright-core";

const STEP_TIMEOUT_MILLIS = 15_000;
const RECEIPT_TIMEOUT_MILLIS = 30_000;

function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`phone-page: missing environment variable ${name}`);
    process.exit(1);
  }
  return value;
}

const baseUrl = requireEnv("MALIPO_BASE_URL");
const phone = requireEnv("MALIPO_PHONE");
const business = requireEnv("MALIPO_BUSINESS");
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

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
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MILLIS);
  page.on("console", (message) => console.log(`browser console: ${message.text()}`));
  page.on("pageerror", (error) => console.log(`browser error: ${error.message}`));

  await page.goto(new URL("/phone/", baseUrl).href);
  await page.getByLabel("Phone number").fill(phone);
  await page.getByRole("button", { name: "Dial" }).click();
  await expectScreen(page, "1. Pay a business");

  await reply(page, "1", "Enter business number");
  await reply(page, business, "Enter amount");
  await reply(page, "500", "1. Confirm");
  await reply(page, "1", "You will get an M-Pesa prompt to pay KES 500");

  const status = await page.locator("#screen-status").textContent();
  if (status !== "Session ended.") {
    throw new Error(`expected the session to end after confirming, but the status is "${status}"`);
  }

  const receipt = page.locator("#inbox li", { hasText: "Paid KES 500" });
  await receipt.first().waitFor({ timeout: RECEIPT_TIMEOUT_MILLIS });
  console.log(`inbox: ${await receipt.first().textContent()}`);
} catch (error) {
  failed = true;
  console.error(`phone-page: ${error.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

async function reply(page, input, expected) {
  await page.getByLabel("Reply").fill(input);
  await page.getByRole("button", { name: "Send" }).click();
  await expectScreen(page, expected);
}

async function expectScreen(page, expected) {
  const screen = page.locator("#screen");
  try {
    await screen.filter({ hasText: expected }).waitFor();
  } catch (error) {
    throw new Error(`expected "${expected}" on the screen, but it shows "${await screen.textContent()}"`);
  }
  console.log(`screen: ${JSON.stringify(await screen.textContent())}`);
}
