// h2srv.cjs: an HTTP/2 (TLS) server on 127.0.0.1 for the crawler's HTTP/2
// test, with node's built-in http2 module. Usage:
//   node h2srv.cjs KEY.pem CERT.pem PORTFILE LOGFILE
// Writes its port to PORTFILE, logs "PROTOCOL METHOD PATH" per request to
// LOGFILE, and exits on SIGTERM or after 120 s.
'use strict';

const fs = require('fs');
const http2 = require('http2');

const [key, cert, portFile, logFile] = process.argv.slice(2);
const pages = {
  '/robots.txt': ['text/plain', 'User-agent: *\nDisallow: /no\n'],
  '/': ['text/html', '<html><body><a href="/a">a</a> <a href="/no">no</a>' +
    '</body></html>'],
  '/a': ['text/html', '<html><body><p>over HTTP/2</p></body></html>'],
};
const server = http2.createSecureServer({
  key: fs.readFileSync(key),
  cert: fs.readFileSync(cert),
  allowHTTP1: true,
});
server.on('request', (req, res) => {
  fs.appendFileSync(logFile,
    `${req.httpVersion} ${req.method} ${req.url}\n`);
  const page = pages[req.url];
  if (!page) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': page[0], etag: '"h2-1"' });
  res.end(page[1]);
});
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile, String(server.address().port) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
setTimeout(() => process.exit(0), 120000).unref();
