// The libdatachannel side of tests/webrtc_interop.rs (node-datachannel, installed by scripts/deps.sh).
// Usage: node peer.js offer|answer. Signalling is JSON lines: ours on stdout, the test's on stdin.
// Channels: as offerer it creates "rel" (in-band, reliable ordered), "unrel" (in-band, unordered,
// maxRetransmits 0) and "neg" (negotiated, id 9); as answerer only "neg" (the others come from the
// test). Every message is echoed on its channel with its kind (text or binary); the text
// "close-me" closes the channel instead. Host candidates on 127.0.0.1 only, no STUN/TURN.
'use strict';
const ndc = require('node-datachannel');
const readline = require('readline');

const role = process.argv[2];
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const pc = new ndc.PeerConnection('peer', { iceServers: [], bindAddress: '127.0.0.1' });
const channels = [];

pc.onLocalDescription((sdp, type) => out({ t: 'sdp', type: type.toLowerCase(), sdp }));
pc.onLocalCandidate((cand, mid) => out({ t: 'cand', cand, mid }));
pc.onStateChange((state) => out({ t: 'state', state }));
pc.onDataChannel((dc) => setup(dc));

function setup(dc) {
    channels.push(dc);
    const label = dc.getLabel();
    const opened = () => out({ t: 'open', label, id: dc.getId(), protocol: dc.getProtocol() });
    if (dc.isOpen()) opened();
    else dc.onOpen(opened);
    dc.onClosed(() => out({ t: 'closed', label }));
    dc.onMessage((msg) => {
        if (typeof msg === 'string') {
            if (msg === 'close-me') dc.close();
            else dc.sendMessage(msg);
        } else {
            dc.sendMessageBinary(msg);
        }
    });
}

// libdatachannel negotiates by itself: an answerer that made a channel before the offer arrives
// would send an offer of its own, so the answerer makes its negotiated channel after the offer.
if (role === 'offer') {
    setup(pc.createDataChannel('neg', { negotiated: true, id: 9 }));
    setup(pc.createDataChannel('rel', { protocol: 'proto-rel' }));
    setup(pc.createDataChannel('unrel', { unordered: true, maxRetransmits: 0 }));
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
    const m = JSON.parse(line);
    if (m.t === 'sdp') {
        pc.setRemoteDescription(m.sdp, m.type);
        if (role !== 'offer' && m.type === 'offer') setup(pc.createDataChannel('neg', { negotiated: true, id: 9 }));
    }
    else if (m.t === 'cand') pc.addRemoteCandidate(m.cand, m.mid);
    else if (m.t === 'quit') {
        for (const dc of channels) dc.close();
        pc.close();
        process.exit(0);
    }
});
rl.on('close', () => process.exit(0));
