// Verifies one captured Malipo webhook with the standardwebhooks package (version pinned in package.json).
// Usage: node verify-standardwebhooks.mjs SECRET WEBHOOK_ID WEBHOOK_TIMESTAMP WEBHOOK_SIGNATURE BODY_FILE [NOW_SECONDS]
// Prints "valid" and exits 0, or prints the verification error and exits 1. NOW_SECONDS replaces
// Date.now, which the package checks the timestamp against, because the tests move the app's clock.
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';

const [secret, id, timestamp, signature, bodyFile, now] = process.argv.slice(2);
if (now) {
  Date.now = () => Number(now) * 1000;
}
try {
  new Webhook(secret).verify(readFileSync(bodyFile, 'utf8'), {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
  });
  console.log('valid');
} catch (error) {
  console.log(`invalid: ${error.message}`);
  process.exit(1);
}
