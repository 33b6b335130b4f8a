// Verifies a Malipo webhook with node:crypto only (Standard Webhooks scheme).
// Usage: node verify-webhook.mjs SECRET WEBHOOK_ID WEBHOOK_TIMESTAMP WEBHOOK_SIGNATURE BODY_FILE [NOW_SECONDS]
// Prints "valid" and exits 0, or prints "invalid" and exits 1.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

const TOLERANCE_SECONDS = 5 * 60;

// body is the raw request body as a Buffer: parse the JSON only after verifying it.
export function verify(secret, id, timestamp, signatureHeader, body, nowSeconds = Math.floor(Date.now() / 1000)) {
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) {
    return false;
  }
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  // During a secret rotation the header carries several space-separated signatures.
  return signatureHeader.split(' ').some((signature) => {
    if (!signature.startsWith('v1,')) {
      return false;
    }
    const received = Buffer.from(signature.slice('v1,'.length), 'base64');
    return received.length === expected.length && timingSafeEqual(received, expected);
  });
}

const [secret, id, timestamp, signatureHeader, bodyFile, now] = process.argv.slice(2);
const valid = verify(secret, id, timestamp, signatureHeader, readFileSync(bodyFile), now ? Number(now) : undefined);
console.log(valid ? 'valid' : 'invalid');
process.exit(valid ? 0 : 1);
