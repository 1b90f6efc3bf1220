"""TLS over an in-memory pipe and DTLS over UDP on loopback, with a self-signed certificate made
here; put_var / get_var through them; a refused certificate reported in words."""

import pytest

import packetpeer as pp

from _helpers import dtls_step


@pytest.fixture(scope="module")
def identity():
    key = pp.CryptoKey.generate_rsa(2048)
    cert = pp.X509Certificate.generate_self_signed(key, "CN=localhost,O=packetpeer")
    return key, cert


def test_keys_and_certificates(identity):
    key, cert = identity
    assert cert.save_pem().startswith("-----BEGIN CERTIFICATE-----")
    again = pp.X509Certificate.load_pem(cert.save_pem())
    assert again.get_sha256() == cert.get_sha256() and len(cert.get_sha256()) == 32
    public = pp.CryptoKey.load_pem(key.save_pem(public_only=True), public_only=True)
    assert public.is_public_only() and not key.is_public_only()
    with pytest.raises(pp.Error) as e:
        pp.X509Certificate.load_pem(b"garbage")
    assert e.value.code == pp.Err.ERR_INVALID_DATA and e.value.reason


def _tls_pair(wait, server_opts, client_opts):
    a, b = pp.stream_peer_pipe()
    client, server = pp.StreamPeerTLS(), pp.StreamPeerTLS()
    client.connect_to_stream(a, "localhost", client_opts)
    server.accept_stream(b, server_opts)

    def step():
        for p in (client, server):
            if p.get_status() == pp.TLSStatus.STATUS_HANDSHAKING:
                try:
                    p.poll()
                except pp.Error:
                    pass  # the status says ERROR; the reason is in get_last_error_text

    wait(step, lambda: pp.TLSStatus.STATUS_HANDSHAKING not in (client.get_status(), server.get_status()),
         what="the TLS handshake")
    return client, server


def test_tls_put_var(identity, wait):
    key, cert = identity
    client, server = _tls_pair(wait, pp.TLSOptions.server(key, cert), pp.TLSOptions.client(cert))
    assert client.get_status() == server.get_status() == pp.TLSStatus.STATUS_CONNECTED
    with pp.PacketPeerStream(client) as a, pp.PacketPeerStream(server) as b:
        a.put_var({"secret": pp.Vector3(1, 2, 3)})
        wait(server.poll, lambda: b.get_available_packet_count() > 0, what="the TLS frame")
        assert b.get_var() == {"secret": (1.0, 2.0, 3.0)}


def test_tls_refused_certificate_says_why(identity, wait):
    key, cert = identity
    client, _ = _tls_pair(wait, pp.TLSOptions.server(key, cert), pp.TLSOptions.client())  # system CAs
    assert client.get_status() == pp.TLSStatus.STATUS_ERROR
    assert "certificate" in client.get_last_error_text().lower()


def test_dtls_put_var(identity, wait):
    key, cert = identity
    with pp.UDPServer() as udp_server, pp.DTLSServer() as dtls_server, pp.PacketPeerUDP() as udp:
        udp_server.listen(0, "127.0.0.1")
        dtls_server.setup(pp.TLSOptions.server(key, cert))
        udp.connect_to_host("127.0.0.1", udp_server.get_local_port())
        client = pp.PacketPeerDTLS()
        client.connect_to_peer(udp, "localhost", pp.TLSOptions.client(cert))
        server = []

        def step():
            dtls_step(udp_server, dtls_server, client, server)

        wait(step, lambda: client.get_status() == pp.TLSStatus.STATUS_CONNECTED and server
             and server[0].get_status() == pp.TLSStatus.STATUS_CONNECTED, what="the DTLS handshake")
        client.put_var(["over", "dtls"])
        wait(step, lambda: server[0].get_available_packet_count() > 0, what="the DTLS packet")
        assert server[0].get_var() == ["over", "dtls"]
