// An independent WebSocket peer for tests/ws_interop.rs: Node's `ws` package.
//
//   node peer.js server <maxPayload> <protocols|->         prints "port N", serves one connection
//   node peer.js client <url> <maxPayload> <protocols|->   connects once
//
// Same commands and output as peer.py (echo:, frag, ping, big:, close:; "open", "closed", "refused").
// wss: PP_WS_TLS_CERT + PP_WS_TLS_KEY make the server an https server; PP_WS_TLS_CA (the only trusted
// certificate) + PP_WS_TLS_NAME (the name checked, and sent as SNI) configure the client.
'use strict';
const fs = require('fs');
const https = require('https');
const WebSocket = require('ws');
const env = process.env;

const say = (...a) => process.stdout.write(a.join(' ') + '\n');
const deadline = setTimeout(() => { say('deadline'); process.exit(3); }, 30000);
const finish = () => { clearTimeout(deadline); process.stdout.write('', () => process.exit(0)); };

function run(ws) {
  say('open', ws.protocol || '-');
  ws.on('error', () => {}); // e.g. our message over maxPayload: ws then closes with 1009
  ws.on('message', (data, isBinary) => {
    if (isBinary) { ws.send(data, { binary: true }); return; }
    const msg = data.toString();
    if (msg.startsWith('echo:')) {
      ws.send(msg.slice(5));
    } else if (msg === 'frag') {
      ws.send('frag', { fin: false });
      ws.send('men', { fin: false });
      ws.send('ted \u2713', { fin: true });
      ws.send(Buffer.from([1, 2]), { binary: true, fin: false });
      ws.send(Buffer.from([3]), { binary: true, fin: true });
    } else if (msg === 'ping') {
      ws.once('pong', (p) => ws.send(p.toString() === 'hi' ? 'pong-ok' : 'pong-bad'));
      ws.ping('hi');
    } else if (msg.startsWith('big:')) {
      const n = Number(msg.slice(4));
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = i & 255;
      ws.send(b, { binary: true });
    } else if (msg.startsWith('close:')) {
      const [, code, ...rest] = msg.split(':');
      ws.close(Number(code), rest.join(':'));
    }
  });
  ws.on('close', (code, reason) => { say('closed', code, reason.toString()); finish(); });
}

const [mode, a1, a2, a3] = process.argv.slice(2);
if (mode === 'server') {
  const offered = a2 === '-' ? [] : a2.split(',');
  const opts = {
    maxPayload: Number(a1), perMessageDeflate: false,
    handleProtocols: (protocols) => [...protocols].find((p) => offered.includes(p)) || false,
  };
  let wss;
  if (env.PP_WS_TLS_CERT) {
    const server = https.createServer({
      cert: fs.readFileSync(env.PP_WS_TLS_CERT), key: fs.readFileSync(env.PP_WS_TLS_KEY),
    });
    wss = new WebSocket.Server({ server, ...opts });
    server.listen(0, '127.0.0.1', () => say('port', server.address().port));
    wss.on('connection', (ws) => { server.close(); run(ws); });
  } else {
    wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, ...opts });
    wss.on('listening', () => say('port', wss.address().port));
    wss.on('connection', (ws) => { wss.close(); run(ws); });
  }
} else {
  const protocols = a3 === '-' ? [] : a3.split(',');
  const tls = env.PP_WS_TLS_CA
    ? { ca: fs.readFileSync(env.PP_WS_TLS_CA), servername: env.PP_WS_TLS_NAME } : {};
  const ws = new WebSocket(a1, protocols, { maxPayload: Number(a2), perMessageDeflate: false, ...tls });
  let opened = false;
  ws.on('open', () => { opened = true; run(ws); });
  ws.on('error', (e) => { if (!opened) { say('refused', e.code || e.message); finish(); } });
}
