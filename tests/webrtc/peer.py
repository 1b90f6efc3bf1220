"""The aiortc side of tests/webrtc_interop.rs (aiortc, installed by scripts/deps.sh).

Usage: python3 peer.py offer|answer. Signalling is JSON lines: ours on stdout, the test's on stdin.
Channels and behaviour as tests/webrtc/peer.js: as offerer "rel" (in-band, reliable ordered),
"unrel" (in-band, unordered, maxRetransmits 0) and "neg" (negotiated, id 9); as answerer only
"neg". Every message is echoed with its kind; the text "close-me" closes the channel instead.
aiortc does not trickle: its candidates are in its SDP. Host candidates on 127.0.0.1 only (aioice
skips loopback by default, so the address list is replaced), no STUN/TURN servers.
"""
import asyncio
import json
import sys

import aioice.ice
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def out(o):
    sys.stdout.write(json.dumps(o) + "\n")
    sys.stdout.flush()


async def main(role):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    channels = []

    def setup(dc):
        channels.append(dc)

        def opened():
            out({"t": "open", "label": dc.label, "id": dc.id, "protocol": dc.protocol})

        if dc.readyState == "open":
            opened()
        else:
            dc.on("open", opened)

        @dc.on("close")
        def closed():
            out({"t": "closed", "label": dc.label})

        @dc.on("message")
        def message(msg):
            if msg == "close-me":
                dc.close()
            else:
                dc.send(msg)

    @pc.on("datachannel")
    def datachannel(dc):
        setup(dc)

    @pc.on("connectionstatechange")
    def state():
        out({"t": "state", "state": pc.connectionState})

    setup(pc.createDataChannel("neg", negotiated=True, id=9))
    if role == "offer":
        setup(pc.createDataChannel("rel", protocol="proto-rel"))
        setup(pc.createDataChannel("unrel", ordered=False, maxRetransmits=0))
        await pc.setLocalDescription(await pc.createOffer())
        out({"t": "sdp", "type": "offer", "sdp": pc.localDescription.sdp})

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            break
        m = json.loads(line)
        if m["t"] == "sdp":
            await pc.setRemoteDescription(RTCSessionDescription(sdp=m["sdp"], type=m["type"]))
            if m["type"] == "offer":
                await pc.setLocalDescription(await pc.createAnswer())
                out({"t": "sdp", "type": "answer", "sdp": pc.localDescription.sdp})
        elif m["t"] == "cand":
            text = m["cand"]
            if text.startswith("a="):
                text = text[2:]
            if text.startswith("candidate:"):
                c = candidate_from_sdp(text[len("candidate:"):])
                c.sdpMid = m.get("mid")
                c.sdpMLineIndex = 0
                await pc.addIceCandidate(c)
        elif m["t"] == "quit":
            break
    for dc in channels:
        dc.close()
    await pc.close()


asyncio.run(main(sys.argv[1]))
