// crawl-warc-check.cjs: reads the WARC files of a crawl with webrecorder's
// warcio.js, checks every block digest and every payload digest over the
// bytes warcio hands back, and prints one line per record:
//   TYPE URI TRUNCATED PROFILE-OR-STATUS
// Usage: node crawl-warc-check.cjs WARCIO_MODULE_DIR FILE.warc.gz...
'use strict';

const fs = require('fs');
const crypto = require('crypto');

const [modDir, ...files] = process.argv.slice(2);
const { WARCParser, AsyncIterReader } = require(modDir);

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

async function check(path) {
  let failures = 0;
  // pass 1: blocks
  const p1 = new WARCParser(fs.createReadStream(path), { parseHttp: false });
  for await (const rec of p1) {
    const block = await rec.readFully(false);
    if (sha1Label(block) !== rec.warcBlockDigest) {
      console.error(`${path}@${p1.offset}: block digest mismatch`);
      failures++;
    }
    if (rec.warcContentLength !== block.length) {
      console.error(`${path}@${p1.offset}: Content-Length mismatch`);
      failures++;
    }
  }
  // pass 2: HTTP and payloads
  const p2 = new WARCParser(fs.createReadStream(path));
  for await (const rec of p2) {
    const type = rec.warcType;
    const uri = rec.warcTargetURI || '-';
    const trunc = rec.warcHeader('WARC-Truncated') || '-';
    let extra = '-';
    if (type === 'revisit') {
      extra = (rec.warcHeader('WARC-Profile') || '').replace(/.*\//, '');
      await rec.skipFully();
    } else if (type === 'response' && rec.httpHeaders) {
      extra = String(rec.httpHeaders.statusCode);
      let payload = await rec.readFully(false);
      const te = rec.httpHeaders.headers.get('Transfer-Encoding');
      if (te && te.toLowerCase() === 'chunked') {
        payload = await new AsyncIterReader([payload], null, true)
          .readFully();
      }
      if (sha1Label(payload) !== rec.warcPayloadDigest) {
        console.error(`${path}: ${uri}: payload digest mismatch`);
        failures++;
      }
    } else if (type === 'resource') {
      const block = await rec.readFully(false);
      if (sha1Label(block) !== rec.warcPayloadDigest) {
        console.error(`${path}: ${uri}: resource digest mismatch`);
        failures++;
      }
    } else {
      await rec.skipFully();
    }
    console.log(`${type} ${uri} ${trunc} ${extra}`);
  }
  return failures;
}

(async () => {
  let failures = 0;
  for (const f of files) failures += await check(f);
  process.exit(failures ? 1 : 0);
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
