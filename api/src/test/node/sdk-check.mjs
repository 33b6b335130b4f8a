// Runs the unmodified intasend-node SDK against a local Malipo server: one
// M-Pesa STK push, then status polls until the invoice is COMPLETE.
//
// intasend-node 1.1.2 has no base-URL option. Its dist/requests.js calls
// https.request({hostname, port: 443, path, method, headers}, callback) with
// hostname sandbox.intasend.com (test mode) or payment.intasend.com. The shim
// below replaces https.request so that those two hosts go to MALIPO_BASE_URL
// over plain HTTP, and any other host throws, so no request leaves this machine.
//
// Environment: MALIPO_BASE_URL (for example http://127.0.0.1:8081),
// MALIPO_PUBLIC_KEY, MALIPO_SECRET_KEY, MALIPO_PHONE.
// Output: one JSON line on stdout, and each request the SDK sent on stderr.
// Exit code: 0 when the push returned a PENDING or PROCESSING invoice and a
// later status reported COMPLETE with a non-null mpesa_reference, 1 otherwise.

import http from 'node:http';
import https from 'node:https';

const SDK_HOSTS = new Set(['sandbox.intasend.com', 'payment.intasend.com']);
const POLL_DEADLINE_MS = 20_000;
const POLL_INTERVAL_MS = 1_000;
// The SDK never settles its promise when a non-2xx response has an empty
// body, so each call gets its own time limit.
const CALL_TIMEOUT_MS = 10_000;

const exchanges = [];

function fail(reason, details = {}) {
  console.log(JSON.stringify({ ok: false, reason, ...details }));
  process.exit(1);
}

function readEnvironment() {
  const names = ['MALIPO_BASE_URL', 'MALIPO_PUBLIC_KEY', 'MALIPO_SECRET_KEY', 'MALIPO_PHONE'];
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    fail(`missing environment variable(s): ${missing.join(', ')}`);
  }
  let baseUrl;
  try {
    baseUrl = new URL(process.env.MALIPO_BASE_URL);
  } catch (error) {
    fail(`invalid MALIPO_BASE_URL ${JSON.stringify(process.env.MALIPO_BASE_URL)}: ${error.message}`);
  }
  if (baseUrl.protocol !== 'http:') {
    fail(`invalid MALIPO_BASE_URL ${baseUrl.href}: expected an http:// URL`);
  }
  return {
    baseUrl,
    publicKey: process.env.MALIPO_PUBLIC_KEY,
    secretKey: process.env.MALIPO_SECRET_KEY,
    phone: process.env.MALIPO_PHONE,
  };
}

// Converts the arguments of https.request(url?, options?, callback?) into one
// options object and the callback.
function normalizeRequestArguments(args) {
  let options = {};
  let callback;
  for (const arg of args) {
    if (typeof arg === 'function') {
      callback = arg;
    } else if (typeof arg === 'string' || arg instanceof URL) {
      const url = new URL(arg);
      options = { ...options, hostname: url.hostname, port: url.port, path: url.pathname + url.search };
    } else if (arg && typeof arg === 'object') {
      options = { ...options, ...arg };
    }
  }
  return { options, callback };
}

function headersForLog(headers) {
  const logged = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Keeps the key prefix (ISSecretKey_test_) visible but not the key itself.
    logged[name] = name.toLowerCase() === 'authorization'
      ? String(value).replace(/^(Bearer \S{0,17}).*$/, '$1...')
      : value;
  }
  return logged;
}

// Replaces https.request and https.get so that requests for the SDK's hosts go
// to baseUrl over plain HTTP, and records each request and response in exchanges.
function installShim(baseUrl) {
  const basePath = baseUrl.pathname.replace(/\/$/, '');

  function redirectedRequest(...args) {
    const { options, callback } = normalizeRequestArguments(args);
    const originalHost = options.hostname ?? options.host;
    if (!SDK_HOSTS.has(originalHost)) {
      throw new Error(`sdk-check shim rejected a request to host ${originalHost}: only ${[...SDK_HOSTS].join(' and ')} are redirected`);
    }

    const exchange = {
      method: options.method ?? 'GET',
      originalUrl: `https://${originalHost}:${options.port ?? 443}${options.path}`,
      path: options.path,
      headers: headersForLog(options.headers),
      body: '',
      status: null,
      responseBody: '',
    };
    exchanges.push(exchange);

    const localOptions = {
      ...options,
      protocol: 'http:',
      host: undefined,
      hostname: baseUrl.hostname,
      port: baseUrl.port || 80,
      path: basePath + options.path,
      agent: undefined,
    };
    const request = http.request(localOptions, (response) => {
      exchange.status = response.statusCode;
      if (callback) {
        callback(response);
      }
      // Attached after the SDK's own listeners, in the same tick, so both see every chunk.
      response.on('data', (chunk) => {
        exchange.responseBody += chunk;
      });
    });

    const write = request.write.bind(request);
    request.write = (chunk, ...rest) => {
      exchange.body += chunk;
      return write(chunk, ...rest);
    };
    request.on('error', (error) => {
      exchange.error = error.message;
    });
    return request;
  }

  https.request = redirectedRequest;
  // intasend-node 1.1.2 does not call https.get. It is patched so that a later
  // SDK version that does still cannot reach the real hosts.
  https.get = (...args) => {
    const request = redirectedRequest(...args);
    request.end();
    return request;
  };
}

// Resolves or rejects with the SDK promise, or rejects after CALL_TIMEOUT_MS.
function withTimeout(promise, label) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} timed out: the SDK promise did not settle within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// The SDK rejects with a Buffer (the first chunk of a non-2xx body), a string
// (a socket error message) or, from withTimeout, an Error.
function describeRejection(rejection) {
  if (Buffer.isBuffer(rejection)) {
    return `HTTP error response body: ${rejection.toString('utf8')}`;
  }
  if (rejection instanceof Error) {
    return rejection.message;
  }
  return String(rejection);
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function printExchanges() {
  for (const exchange of exchanges) {
    console.error(`sdk-check request: ${JSON.stringify(exchange)}`);
  }
}

async function main() {
  const config = readEnvironment();
  installShim(config.baseUrl);
  // Imported only after the shim is in place.
  const { default: IntaSend } = await import('intasend-node');
  const intasend = new IntaSend(config.publicKey, config.secretKey, true);

  const apiRef = `sdk-check-${Date.now()}`;
  let push;
  try {
    push = await withTimeout(intasend.collection().mpesaStkPush({
      phone_number: config.phone,
      name: 'SDK Check',
      email: 'sdk-check@example.com',
      amount: 10,
      api_ref: apiRef,
    }), 'mpesaStkPush');
  } catch (rejection) {
    printExchanges();
    fail(`mpesaStkPush failed: ${describeRejection(rejection)}`);
  }

  const pushState = push?.invoice?.state;
  const invoiceId = push?.invoice?.invoice_id;
  if (pushState !== 'PENDING' && pushState !== 'PROCESSING') {
    printExchanges();
    fail(`mpesaStkPush returned invoice.state ${JSON.stringify(pushState)}, expected PENDING or PROCESSING`, { push });
  }
  if (!invoiceId) {
    printExchanges();
    fail('mpesaStkPush returned no invoice.invoice_id', { push });
  }

  const deadline = Date.now() + POLL_DEADLINE_MS;
  const seenStates = [];
  let lastStatus = null;
  let lastError = null;
  while (Date.now() < deadline) {
    try {
      lastStatus = await withTimeout(intasend.collection().status(invoiceId), 'status');
      lastError = null;
      const state = lastStatus?.invoice?.state;
      seenStates.push(state);
      if (state === 'COMPLETE' || state === 'FAILED') {
        break;
      }
    } catch (rejection) {
      lastError = describeRejection(rejection);
      seenStates.push(`error: ${lastError}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  printExchanges();

  const summary = {
    invoiceId,
    pushState,
    statusPolls: seenStates.length,
    seenStates,
    finalState: lastStatus?.invoice?.state ?? null,
    mpesaReference: lastStatus?.invoice?.mpesa_reference ?? null,
  };
  if (summary.finalState !== 'COMPLETE') {
    const failureDetail = lastError ?? `last status invoice.state was ${JSON.stringify(summary.finalState)}`;
    fail(`invoice ${invoiceId} did not reach COMPLETE within ${POLL_DEADLINE_MS} ms: ${failureDetail}`, { ...summary, lastStatus });
  }
  if (summary.mpesaReference === null) {
    fail(`invoice ${invoiceId} is COMPLETE but invoice.mpesa_reference is null`, { ...summary, lastStatus });
  }
  console.log(JSON.stringify({ ok: true, ...summary }));
  // An unsettled SDK request could keep the event loop alive, so exit explicitly.
  process.exit(0);
}

// The SDK calls JSON.parse on a 2xx body inside a stream listener, so a body
// that is not JSON surfaces here instead of as a rejected promise.
process.on('uncaughtException', (error) => {
  printExchanges();
  fail(`uncaught exception (a 2xx response body that is not JSON throws inside the SDK): ${error?.stack ?? error}`);
});

main().catch((error) => {
  printExchanges();
  fail(`unexpected error: ${error?.stack ?? error}`);
});
