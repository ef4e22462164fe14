// warcio-check.cjs: reads a WARC written by redflag with webrecorder's
// warcio.js and checks it against the manifest warc-sample printed: the
// same records at the same offsets, and every block and payload digest
// recomputed here (node's crypto) over the bytes warcio hands back.
// Usage: node warcio-check.cjs WARCIO_MODULE_DIR FILE.warc.gz MANIFEST
'use strict';

const fs = require('fs');
const crypto = require('crypto');

const [modDir, warcPath, manifestPath] = process.argv.slice(2);
const { WARCParser, AsyncIterReader } = require(modDir);

let failures = 0;
function fail(msg) {
  console.error('warcio-check: ' + msg);
  failures++;
}
function expect(cond, msg) {
  if (!cond) fail(msg);
}

// RFC 4648 base32, upper case, as WARC digests are written.
function base32(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}
function sha1Label(bytes) {
  return 'sha1:' + base32(crypto.createHash('sha1').update(bytes).digest());
}

async function main() {
  const manifest = fs.readFileSync(manifestPath, 'utf8').trim().split('\n')
    .map((line) => {
      const [file, offset, length, type, id, uri] = line.split('\t');
      return { file, offset: Number(offset), length: Number(length), type,
        id, uri };
    });

  // Pass 1: every record, its block raw.
  const p1 = new WARCParser(fs.createReadStream(warcPath),
    { parseHttp: false });
  let i = 0;
  for await (const rec of p1) {
    const m = manifest[i];
    const where = `record ${i} at ${p1.offset}`;
    if (!m) {
      fail(`${where}: not in the manifest`);
      break;
    }
    const block = await rec.readFully(false);
    expect(rec.warcType === m.type,
      `${where}: type ${rec.warcType}, manifest says ${m.type}`);
    expect(p1.offset === m.offset,
      `${where}: manifest says offset ${m.offset}`);
    if (m.length) {
      expect(p1.recordLength === m.length,
        `${where}: length ${p1.recordLength}, manifest says ${m.length}`);
    }
    if (m.id !== '-') {
      expect(rec.warcHeader('WARC-Record-ID') === m.id,
        `${where}: id ${rec.warcHeader('WARC-Record-ID')}, manifest ` +
        `says ${m.id}`);
    }
    if (m.uri) {
      expect(rec.warcTargetURI === m.uri,
        `${where}: WARC-Target-URI ${rec.warcTargetURI}`);
    }
    expect(rec.warcContentLength === block.length,
      `${where}: Content-Length ${rec.warcContentLength}, block ` +
      `${block.length}`);
    expect(sha1Label(block) === rec.warcBlockDigest,
      `${where}: block digest ${sha1Label(block)}, header says ` +
      `${rec.warcBlockDigest}`);
    i++;
  }
  expect(i === manifest.length,
    `warcio found ${i} records, the manifest lists ${manifest.length}`);

  // Pass 2: HTTP messages parsed by warcio; payload digests.
  const p2 = new WARCParser(fs.createReadStream(warcPath));
  let payloads = 0;
  i = 0;
  for await (const rec of p2) {
    const where = `record ${i++} (${rec.warcType})`;
    const digest = rec.warcPayloadDigest;
    if (rec.warcType === 'revisit') {
      const status = rec.httpHeaders && rec.httpHeaders.statusCode;
      expect(status === 200 || status === 304,
        `${where}: HTTP status ${status}`);
      expect(digest && digest.startsWith('sha1:'),
        `${where}: no payload digest`);
      await rec.skipFully();
      continue;
    }
    if (!rec.httpHeaders) {
      if (rec.warcType === 'resource') {
        const block = await rec.readFully(false);
        expect(sha1Label(block) === digest,
          `${where}: payload digest ${sha1Label(block)}, header ${digest}`);
        payloads++;
      }
      continue;
    }
    // the payload as stored, after the head; de-chunked with warcio's own
    // de-chunker when the head says chunked
    let payload = await rec.readFully(false);
    const te = rec.httpHeaders.headers.get('Transfer-Encoding');
    if (te && te.toLowerCase() === 'chunked') {
      payload = await new AsyncIterReader([payload], null, true).readFully();
    }
    expect(sha1Label(payload) === digest,
      `${where}: payload digest ${sha1Label(payload)}, header ${digest}`);
    payloads++;
  }
  expect(payloads >= 10, `only ${payloads} payloads checked`);
  if (failures) process.exit(1);
  console.log(`warcio-check: ${manifest.length} records, ${payloads} ` +
    'payload digests: ok');
}

main().catch((e) => {
  console.error('warcio-check: ' + (e.stack || e));
  process.exit(1);
});
