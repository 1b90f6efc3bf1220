"""Helpers shared by the test modules: WebRTC signalling between two connections of ours, and one
step of a DTLS client/server exchange over UDPServer + DTLSServer."""

import packetpeer as pp

LOOPBACK = {"bindAddresses": ["127.0.0.1"]}


class Signalling:
    """Hands every signal of one connection to the other; keeps everything else it saw.

    ``on_channel(src, channel)`` gets each received data channel; by default it is kept in
    ``received[id(src)]``."""

    def __init__(self, a, b, on_channel=None):
        self.a, self.b = a, b
        self.received = {id(a): [], id(b): []}  # DataChannelReceived channels
        self.seen = {id(a): [], id(b): []}  # every event
        self.on_channel = on_channel or (lambda src, ch: self.received[id(src)].append(ch))

    def relay(self):
        for src, dst in ((self.a, self.b), (self.b, self.a)):
            for ev in src.events():
                self.seen[id(src)].append(ev)
                if isinstance(ev, pp.SessionDescriptionCreated):
                    dst.set_remote_description(ev.type, ev.sdp)
                elif isinstance(ev, pp.IceCandidateCreated):
                    dst.add_ice_candidate(ev.media, ev.index, ev.name)
                elif isinstance(ev, pp.DataChannelReceived):
                    self.on_channel(src, ev.channel)

    def step(self):
        self.a.poll()
        self.b.poll()
        self.relay()


def dtls_step(udp_server, dtls_server, client, server):
    """One step of a DTLS exchange: new peers of ``udp_server`` go through ``dtls_server`` (the
    first one that handshakes is appended to the list ``server``), then everyone polls."""
    udp_server.poll()
    while udp_server.is_connection_available():
        p = dtls_server.take_connection(udp_server.take_connection())
        if p.get_status() == pp.TLSStatus.STATUS_HANDSHAKING and not server:
            server.append(p)
    client.poll()
    for p in server:
        p.poll()
