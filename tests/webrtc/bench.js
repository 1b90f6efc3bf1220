// Baseline of benches/webrtc.rs: a node-datachannel (libdatachannel) pair in this one process on
// 127.0.0.1, one reliable ordered channel. Prints, for each size given, one line
//   size=<bytes> msgs=<n> cpu_s=<process CPU seconds> wall_s=<seconds> setup_ms=<offer to open>
// CPU is process.cpuUsage() (user + system of every thread, libdatachannel's own included).
// Usage: node bench.js <messages> <size>...
'use strict';
const ndc = require('node-datachannel');

function pair() {
    return new Promise((resolve) => {
        const t0 = process.hrtime.bigint();
        const a = new ndc.PeerConnection('a', { iceServers: [], bindAddress: '127.0.0.1' });
        const b = new ndc.PeerConnection('b', { iceServers: [], bindAddress: '127.0.0.1' });
        a.onLocalDescription((sdp, type) => b.setRemoteDescription(sdp, type));
        b.onLocalDescription((sdp, type) => a.setRemoteDescription(sdp, type));
        a.onLocalCandidate((c, mid) => b.addRemoteCandidate(c, mid));
        b.onLocalCandidate((c, mid) => a.addRemoteCandidate(c, mid));
        let rx = null;
        let txOpen = false;
        const done = () => {
            if (rx && txOpen) resolve({ a, b, tx, rx, setupMs: Number(process.hrtime.bigint() - t0) / 1e6 });
        };
        b.onDataChannel((dc) => { rx = dc; done(); });
        const tx = a.createDataChannel('bench');
        tx.onOpen(() => { txOpen = true; done(); });
    });
}

async function run(n, size) {
    const p = await pair();
    const msg = Buffer.alloc(size, 0xa5);
    let got = 0;
    const cpu0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    const finished = new Promise((resolve) => {
        p.rx.onMessage(() => { if (++got === n) resolve(); });
    });
    let sent = 0;
    const limit = 1 << 20;
    p.tx.setBufferedAmountLowThreshold(limit / 2);
    const pump = () => {
        while (sent < n && p.tx.bufferedAmount() < limit) {
            p.tx.sendMessageBinary(msg);
            sent++;
        }
    };
    p.tx.onBufferedAmountLow(pump);
    pump();
    await finished;
    const cpu = process.cpuUsage(cpu0);
    const wall = Number(process.hrtime.bigint() - w0) / 1e9;
    console.log(`size=${size} msgs=${n} cpu_s=${(cpu.user + cpu.system) / 1e6} wall_s=${wall} setup_ms=${p.setupMs}`);
    p.tx.close(); p.rx.close(); p.a.close(); p.b.close();
}

(async () => {
    const n = parseInt(process.argv[2], 10);
    for (const s of process.argv.slice(3)) await run(n, parseInt(s, 10));
    process.exit(0);
})();
