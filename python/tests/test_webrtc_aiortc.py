"""WebRTC interop with Python's aiortc, in this process: our WebRTCPeerConnection and an aiortc
RTCPeerConnection on 127.0.0.1, each as offerer and as answerer, the signalling in this test
(asyncio drives aiortc; our connection is polled from the same loop). A reliable channel (with a
protocol) and an unreliable one (unordered, maxRetransmits 0), text and binary both ways, Godot
Variants (put_var on our side, bytes_to_var on theirs and back).

aiortc is installed by scripts/deps.sh into the tools dir (PP_TOOLS_DIR, default
~/.cache/packetpeer-tools; its webrtc-python/ directory), where tests/webrtc_interop.rs finds it
too. When it is missing the test fails and says so; it never skips."""

import asyncio
import os
import sys
import time

import pytest

import packetpeer as pp
from packetpeer.webrtc import ChannelState, ConnectionState

LOOPBACK = {"bindAddresses": ["127.0.0.1"]}
LIMIT = 30.0  # seconds for any one wait


def _tools_dir():
    d = os.environ.get("PP_TOOLS_DIR")
    if d:
        return d
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.environ.get("HOME", ""), ".cache")
    return os.path.join(cache, "packetpeer-tools")


def _aiortc():
    where = os.path.join(_tools_dir(), "webrtc-python")
    if where not in sys.path:
        sys.path.append(where)
    try:
        import aioice.ice
        import aiortc
        from aiortc.sdp import candidate_from_sdp
    except ImportError as e:
        pytest.fail(f"aiortc is missing ({e}); scripts/deps.sh installs it into {where} "
                    "(run scripts/test-all.sh, or: python3 -m pip install --target "
                    f"{where} 'aiortc>=1.9,<2')")
    # aioice leaves loopback out of its host candidates: offer 127.0.0.1 only
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
    return aiortc, candidate_from_sdp


async def _until(pump, done, what):
    deadline = time.monotonic() + LIMIT
    for _ in range(int(LIMIT / 0.005) + 1):
        await pump()
        if done():
            return
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.005)
    pytest.fail(f"timed out after {LIMIT} s waiting for {what}")


async def _scenario(we_offer):
    aiortc, candidate_from_sdp = _aiortc()
    theirs = aiortc.RTCPeerConnection(aiortc.RTCConfiguration(iceServers=[]))
    ours = pp.WebRTCPeerConnection()
    ours.initialize(LOOPBACK)
    their_channels, their_msgs = {}, {}

    def adopt(dc):
        their_channels[dc.label] = dc
        their_msgs[dc.label] = []
        dc.on("message", their_msgs[dc.label].append)

    theirs.on("datachannel", adopt)
    our_channels = {}

    async def pump():
        ours.poll()
        for ev in ours.events():
            if isinstance(ev, pp.SessionDescriptionCreated):
                await theirs.setRemoteDescription(aiortc.RTCSessionDescription(sdp=ev.sdp, type=ev.type))
                if ev.type == "offer":
                    await theirs.setLocalDescription(await theirs.createAnswer())
                    ours.set_remote_description("answer", theirs.localDescription.sdp)
            elif isinstance(ev, pp.IceCandidateCreated) and ev.name:
                text = ev.name[2:] if ev.name.startswith("a=") else ev.name
                c = candidate_from_sdp(text[len("candidate:"):])
                c.sdpMid, c.sdpMLineIndex = ev.media, 0
                await theirs.addIceCandidate(c)
            elif isinstance(ev, pp.DataChannelReceived):
                our_channels[ev.channel.get_label()] = ev.channel

    if we_offer:
        our_channels["rel"] = ours.create_data_channel("rel", {"protocol": "proto-rel"})
        our_channels["unrel"] = ours.create_data_channel("unrel", {"ordered": False,
                                                                   "maxRetransmits": 0})
        ours.create_offer()
    else:
        adopt(theirs.createDataChannel("rel", protocol="proto-rel"))
        adopt(theirs.createDataChannel("unrel", ordered=False, maxRetransmits=0))
        await theirs.setLocalDescription(await theirs.createOffer())
        ours.set_remote_description("offer", theirs.localDescription.sdp)  # candidates in the SDP

    try:
        await _until(pump, lambda: set(our_channels) == set(their_channels) == {"rel", "unrel"}
                     and all(c.get_ready_state() == ChannelState.STATE_OPEN for c in our_channels.values())
                     and all(c.readyState == "open" for c in their_channels.values()),
                     "both channels open on both sides")
        assert ours.get_connection_state() == ConnectionState.STATE_CONNECTED
        rel, unrel = our_channels["rel"], our_channels["unrel"]
        assert rel.get_protocol() == "proto-rel" and rel.is_ordered()
        assert not unrel.is_ordered() and unrel.get_max_retransmits() == 0
        assert rel.get_id() == their_channels["rel"].id

        # ours → theirs: binary, text, a Variant, on both channels
        rel.put_packet(b"\x00\x01binary")
        rel.set_write_mode(pp.WebRTCDataChannel.WRITE_MODE_TEXT)
        rel.put_packet("tëxt".encode())
        rel.set_write_mode(pp.WebRTCDataChannel.WRITE_MODE_BINARY)
        rel.put_var({"hp": 10, "pos": pp.Vector2(1, 2)})
        unrel.put_packet(b"fast")
        await _until(pump, lambda: len(their_msgs["rel"]) >= 3 and their_msgs["unrel"],
                     "aiortc to receive our messages")
        got = their_msgs["rel"]
        assert got[0] == b"\x00\x01binary" and got[1] == "tëxt"  # text arrives as str
        assert pp.bytes_to_var(got[2]) == {"hp": 10, "pos": pp.Vector2(1.0, 2.0)}
        assert their_msgs["unrel"] == [b"fast"]

        # theirs → ours
        their_channels["rel"].send("hello from aiortc")
        their_channels["rel"].send(pp.var_to_bytes([1, "two", 3.5]))
        their_channels["unrel"].send(b"\xffraw")
        await _until(pump, lambda: rel.get_available_packet_count() >= 2
                     and unrel.get_available_packet_count() >= 1, "our side to receive theirs")
        assert rel.get_packet() == b"hello from aiortc" and rel.was_string_packet()
        assert rel.get_var() == [1, "two", 3.5] and not rel.was_string_packet()
        assert unrel.get_packet() == b"\xffraw" and not unrel.was_string_packet()

        # a channel closed by aiortc closes here
        their_channels["unrel"].close()
        await _until(pump, lambda: unrel.get_ready_state() == ChannelState.STATE_CLOSED,
                     "the channel aiortc closed")
    finally:
        ours.close()
        await theirs.close()


@pytest.mark.parametrize("we_offer", [True, False], ids=["we_offer", "aiortc_offers"])
def test_aiortc_interop(we_offer):
    asyncio.run(_scenario(we_offer))
