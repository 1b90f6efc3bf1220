// Node ws baseline for bench/ws: a ws client sends N binary messages of SIZE bytes to a ws server in
// the same process; prints "<cpu seconds> <wall seconds>" (process.cpuUsage, user + system).
'use strict';
const WebSocket = require('ws');
const size = Number(process.argv[2]);
const n = Number(process.argv[3]);
const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1 << 24 });
wss.on('listening', () => {
  const msg = Buffer.alloc(size, 0xa5);
  let got = 0;
  let cpu0;
  let wall0;
  wss.on('connection', (s) => {
    s.on('message', () => {
      got += 1;
      if (got === n) {
        const cpu = process.cpuUsage(cpu0);
        const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
        console.log(((cpu.user + cpu.system) / 1e6).toFixed(6), wall.toFixed(6));
        process.exit(0);
      }
    });
  });
  const c = new WebSocket(`ws://127.0.0.1:${wss.address().port}`, { perMessageDeflate: false });
  c.on('open', () => {
    cpu0 = process.cpuUsage();
    wall0 = process.hrtime.bigint();
    let sent = 0;
    const pump = () => {
      while (sent < n && c.bufferedAmount < (1 << 20)) {
        c.send(msg, { binary: true });
        sent += 1;
      }
      if (sent < n) setImmediate(pump);
    };
    pump();
  });
});
