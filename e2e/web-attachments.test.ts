// Attachments in Debian's Chromium against a real server: a file chosen and a file dropped on the item are sealed in
// the page and uploaded; the list shows them; an image and a PDF are previewed from blob: URLs (no request leaves
// for anything but the blob's own sealed bytes); a download gives the file back byte for byte; the server's copy holds
// no plaintext; removing one deletes the server's copy. A screenshot of the item goes to .test-output/web.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { crc32, deflateSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium } from "../packages/web/src/testing/browser.ts";

const OUT = new URL("../.test-output/web/", import.meta.url).pathname;
const PASSWORD = "correct horse battery staple attach-pw-91ab";
const EMAIL = `att-${Date.now()}@example.test`;

let server: RunningServer;
let browser: Browser;
let page: Page;
const cspErrors: string[] = [];

/** A 160×100 gradient PNG (RGB, encoded here with zlib), so the preview is visibly an image. */
function pngBytes(): Buffer {
  const w = 160;
  const h = 100;
  const rows: number[] = [];
  for (let y = 0; y < h; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < w; x++) rows.push(Math.floor((x * 255) / w), Math.floor((y * 255) / h), (x + y) % 32 < 16 ? 200 : 60);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.from(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with one line of text (offsets computed, so viewers accept it). */
function pdfBytes(text: string): Buffer {
  const objs = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${`BT /F1 18 Tf 20 70 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 20 70 Td (${text}) Tj ET\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const panel = () => page.getByRole("region", { name: "Attachments" });
const blobFiles = () => {
  const root = join(server.dataDir, "blobs");
  if (!existsSync(root)) return [] as string[];
  return readdirSync(root).flatMap((acct) => readdirSync(join(root, acct)).map((id) => join(root, acct, id)));
};

before(async () => {
  mkdirSync(OUT, { recursive: true });
  buildWebIfNeeded();
  server = await startServer();
  browser = await launchChromium(server.caPem);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
  await page.goto(server.url);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm account password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Confirm your e-mail address" }).waitFor({ timeout: 60_000 });
  await page.getByLabel("Code from the mail").fill(await outboxMailbox(server.outboxDir).code(EMAIL, "signup", 30_000));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("button", { name: "Continue to vault" }).click({ timeout: 60_000 });
  await page.getByRole("button", { name: "Lock", exact: true }).waitFor();
  await page.getByRole("button", { name: "Add item", exact: true }).click();
  await page.getByLabel("Title").fill("Passport");
  await page.getByLabel("Username").fill("ann");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("heading", { name: "Passport" }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("choose a file and drop a file: both sealed, listed, previewed from blob: URLs and downloaded intact", async () => {
  const png = pngBytes();
  const pdf = pdfBytes("Cryptex attachment preview");
  await panel().locator('input[type="file"]').setInputFiles({ name: "passport-scan.png", mimeType: "image/png", buffer: png });
  await panel().getByText("passport-scan.png", { exact: true }).waitFor({ timeout: 30_000 });
  // drop: a DataTransfer with the file, as a browser makes it when a file is dragged onto the panel
  const drop = await page.evaluateHandle(
    ([b64, name]) => {
      const dt = new DataTransfer();
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], name, { type: "application/pdf" }));
      return dt;
    },
    [pdf.toString("base64"), "visa.pdf"] as const,
  );
  await panel().dispatchEvent("drop", { dataTransfer: drop });
  await panel().getByText("visa.pdf", { exact: true }).waitFor({ timeout: 30_000 });

  // the server's copies: sealed, no plaintext
  const files = blobFiles();
  assert.equal(files.length, 2);
  for (const f of files) {
    const bytes = readFileSync(f);
    assert.equal(bytes.includes(Buffer.from("Cryptex attachment preview")), false);
    assert.equal(bytes.includes(png.subarray(0, 64)), false);
    assert.equal(bytes.includes(Buffer.from("%PDF")), false);
  }

  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  await panel().getByRole("button", { name: "Preview passport-scan.png" }).click();
  const img = panel().getByRole("img", { name: "Preview of passport-scan.png" });
  await img.waitFor();
  assert.match((await img.getAttribute("src")) ?? "", /^blob:/);
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLImageElement>(".attachment-preview img");
    return !!el && el.complete && el.naturalWidth === 160;
  });
  await page.screenshot({ path: join(OUT, "item-attachments.png"), fullPage: true });

  await panel().getByRole("button", { name: "Preview visa.pdf" }).click();
  const frame = panel().locator("iframe");
  await frame.waitFor();
  assert.match((await frame.getAttribute("src")) ?? "", /^blob:/);
  assert.equal(await frame.getAttribute("title"), "Preview of visa.pdf");

  const [download] = await Promise.all([page.waitForEvent("download"), panel().getByRole("button", { name: "Download visa.pdf" }).click()]);
  assert.equal(download.suggestedFilename(), "visa.pdf");
  assert.deepEqual(readFileSync((await download.path())!), pdf);
  // nothing but the sealed blobs was fetched, and only from the server itself
  // (the PDF viewer is Chromium's own, loaded from inside the browser)
  for (const url of requests)
    assert.ok(url.startsWith(server.url) || url.startsWith("blob:") || /^chrome(-extension)?:\/\//.test(url), url);
  assert.ok(requests.some((u) => u.includes("/api/v1/blobs/")));
  assert.deepEqual(cspErrors, [], "the previews stay within the page's content security policy");
});

test("a server that alters a blob is caught in the page: an error, no preview", async () => {
  const [f] = blobFiles().filter((p) => readFileSync(p).length < 2000);
  assert.ok(f, "the PDF's blob");
  // the server's own bytes for the blob, one bit flipped near the end
  await page.route("**/api/v1/blobs/**", async (route) => {
    const body = Buffer.from(readFileSync(f));
    body[body.length - 3]! ^= 1;
    await route.fulfill({ status: 200, contentType: "application/octet-stream", body });
  });
  await panel().getByRole("button", { name: "Close preview" }).click();
  await panel().getByRole("button", { name: "Preview visa.pdf" }).click();
  await panel()
    .getByRole("alert")
    .getByText(/integrity check/)
    .waitFor();
  assert.equal(await panel().locator("iframe").count(), 0);
  await page.unroute("**/api/v1/blobs/**");
});

test("removing an attachment deletes the server's copy once the edit has synced", async () => {
  assert.equal(blobFiles().length, 2);
  await panel().getByRole("button", { name: "Remove visa.pdf" }).click();
  await page.waitForFunction(() => !document.querySelector(".attachment-list")?.textContent?.includes("visa.pdf"));
  for (let i = 0; i < 50 && blobFiles().length !== 1; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(blobFiles().length, 1);
  assert.ok(await panel().getByText("passport-scan.png", { exact: true }).isVisible());
});
