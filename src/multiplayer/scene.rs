//! SceneMultiplayer framing (`docs/classes.md` Appendix B): what a Godot game's high-level multiplayer API
//! puts inside MultiplayerPeer packets. This module reads the command byte and builds/parses the RAW
//! packets (`send_bytes` / `peer_packet`) and the SYS messages (authentication, peer announcement,
//! relay). RPC, path-cache and replication bodies are reported as opaque payloads.
//!
//! Layouts (integers little-endian):
//! - byte 0: low 3 bits = command ([`SceneCommand`]), bits 4–7 = per-command flags;
//! - RAW: `[0x03][payload ≥ 1 byte]`;
//! - SYS AUTH: `[0x07][0x00][auth data…]`; exactly `[0x07][0x00]` = "my side finished authentication";
//! - SYS ADD_PEER / DEL_PEER: `[0x07][0x01 | 0x02][peer i32]` (6 bytes);
//! - SYS RELAY: `[0x07][0x03][peer i32][inner packet ≥ 1 byte]` (peer = target client → server,
//!   source server → client).
//!
//! The parser reads like a Godot receiver (command = `byte0 & 7`, extra bytes after an ADD/DEL_PEER
//! are ignored by the engine and reported here as the payload) but rejects what the engine rejects or
//! cannot mean anything, with `ERR_INVALID_DATA`. It never reads outside the packet.
#![forbid(unsafe_code)]

use std::ops::Range;

use crate::error::{Error, Result};

/// Mask of the command bits of byte 0.
pub const CMD_MASK: u8 = 0x07;
/// Shift of the per-command flags in byte 0 (bits 4–7).
pub const CMD_FLAGS_SHIFT: u8 = 4;
/// Size of a SYS header with a peer field: command, sys command, peer i32.
pub const SYS_CMD_SIZE: usize = 6;

/// Godot's `SceneMultiplayer::NetworkCommands`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum SceneCommand {
    RemoteCall = 0,
    SimplifyPath = 1,
    ConfirmPath = 2,
    Raw = 3,
    Spawn = 4,
    Despawn = 5,
    Sync = 6,
    Sys = 7,
}

impl SceneCommand {
    /// The command of a first byte (its low 3 bits; every value is a command).
    pub fn from_byte(b: u8) -> SceneCommand {
        match b & CMD_MASK {
            0 => SceneCommand::RemoteCall,
            1 => SceneCommand::SimplifyPath,
            2 => SceneCommand::ConfirmPath,
            3 => SceneCommand::Raw,
            4 => SceneCommand::Spawn,
            5 => SceneCommand::Despawn,
            6 => SceneCommand::Sync,
            _ => SceneCommand::Sys,
        }
    }
}

/// Godot's `SceneMultiplayer::SysCommands`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum SysCommand {
    Auth = 0,
    AddPeer = 1,
    DelPeer = 2,
    Relay = 3,
}

impl TryFrom<u8> for SysCommand {
    type Error = Error;
    /// Unknown numbers are `ERR_INVALID_DATA`.
    fn try_from(b: u8) -> Result<SysCommand> {
        match b {
            0 => Ok(SysCommand::Auth),
            1 => Ok(SysCommand::AddPeer),
            2 => Ok(SysCommand::DelPeer),
            3 => Ok(SysCommand::Relay),
            _ => Err(Error::InvalidData),
        }
    }
}

/// A parsed packet: what it is and where its payload lies inside the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SceneMessage {
    pub command: SceneCommand,
    /// Bits 4–7 of byte 0.
    pub flags: u8,
    /// The SYS sub-command (`None` for other commands).
    pub sys: Option<SysCommand>,
    /// ADD_PEER/DEL_PEER: the peer; RELAY: target or source; 0 otherwise.
    pub peer: i32,
    /// RAW: the user payload; AUTH: the auth data (may be empty); RELAY: the inner packet;
    /// ADD/DEL_PEER: bytes after the 6-byte message (normally empty); other commands: everything after
    /// byte 0 (not parsed).
    pub payload: Range<usize>,
}

impl SceneMessage {
    /// The payload bytes of `packet` (the slice this message was parsed from).
    pub fn payload<'a>(&self, packet: &'a [u8]) -> &'a [u8] {
        packet.get(self.payload.clone()).unwrap_or(&[])
    }
}

fn read_peer(packet: &[u8]) -> Result<i32> {
    let b = packet.get(2..SYS_CMD_SIZE).ok_or(Error::InvalidData)?;
    let b: [u8; 4] = b.try_into().map_err(|_| Error::InvalidData)?;
    Ok(i32::from_le_bytes(b))
}

/// Parses one packet. Malformed (empty packet, RAW without payload, SYS too short for its layout,
/// unknown SYS command, ADD/DEL_PEER with a peer < 1, RELAY with peer `i32::MIN` or an empty inner
/// packet) is `ERR_INVALID_DATA`.
pub fn parse(packet: &[u8]) -> Result<SceneMessage> {
    let b0 = *packet.first().ok_or(Error::InvalidData)?;
    let command = SceneCommand::from_byte(b0);
    let flags = b0 >> CMD_FLAGS_SHIFT;
    let n = packet.len();
    let msg = |sys, peer, start: usize| SceneMessage {
        command,
        flags,
        sys,
        peer,
        payload: start..n,
    };
    match command {
        SceneCommand::Raw => {
            if n < 2 {
                return Err(Error::InvalidData);
            }
            Ok(msg(None, 0, 1))
        }
        SceneCommand::Sys => {
            let sys = SysCommand::try_from(*packet.get(1).ok_or(Error::InvalidData)?)?;
            match sys {
                SysCommand::Auth => Ok(msg(Some(sys), 0, 2)),
                SysCommand::AddPeer | SysCommand::DelPeer => {
                    let peer = read_peer(packet)?;
                    if peer < 1 {
                        return Err(Error::InvalidData);
                    }
                    Ok(msg(Some(sys), peer, SYS_CMD_SIZE))
                }
                SysCommand::Relay => {
                    let peer = read_peer(packet)?;
                    if peer == i32::MIN || n <= SYS_CMD_SIZE {
                        return Err(Error::InvalidData);
                    }
                    Ok(msg(Some(sys), peer, SYS_CMD_SIZE))
                }
            }
        }
        _ => Ok(msg(None, 0, 1)),
    }
}

/// A packet to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenePacket<'a> {
    /// `send_bytes` payload (≥ 1 byte).
    Raw(&'a [u8]),
    /// Authentication data; empty = "my side finished authentication".
    Auth(&'a [u8]),
    /// Server → clients: peer joined (ID ≥ 1).
    AddPeer(i32),
    /// Server → clients: peer left (ID ≥ 1).
    DelPeer(i32),
    /// Relay: `peer` is the target (client → server: 0 all, −N all but N) or the source (server →
    /// client); `packet` is the inner packet (≥ 1 byte).
    Relay { peer: i32, packet: &'a [u8] },
}

impl ScenePacket<'_> {
    /// Checks the arguments: RAW with an empty payload is `ERR_INVALID_DATA` (what `send_bytes`
    /// returns); an ADD/DEL_PEER ID < 1, a RELAY peer of `i32::MIN`, an empty RELAY inner packet, or a
    /// total size over `i32::MAX` is `ERR_INVALID_PARAMETER`.
    pub fn validate(&self) -> Result<()> {
        match *self {
            ScenePacket::Raw([]) => return Err(Error::InvalidData),
            ScenePacket::AddPeer(id) | ScenePacket::DelPeer(id) if id < 1 => {
                return Err(Error::InvalidParameter)
            }
            ScenePacket::Relay { peer, packet } if peer == i32::MIN || packet.is_empty() => {
                return Err(Error::InvalidParameter)
            }
            _ => {}
        }
        if self.raw_len() > i32::MAX as usize {
            return Err(Error::InvalidParameter);
        }
        Ok(())
    }

    fn raw_len(&self) -> usize {
        match self {
            ScenePacket::Raw(p) => 1usize.saturating_add(p.len()),
            ScenePacket::Auth(p) => 2usize.saturating_add(p.len()),
            ScenePacket::AddPeer(_) | ScenePacket::DelPeer(_) => SYS_CMD_SIZE,
            ScenePacket::Relay { packet, .. } => SYS_CMD_SIZE.saturating_add(packet.len()),
        }
    }

    /// Bytes [`write_into`](Self::write_into) needs (after [`validate`](Self::validate)).
    pub fn encoded_len(&self) -> Result<usize> {
        self.validate()?;
        Ok(self.raw_len())
    }

    /// Writes the packet at the start of `out` and returns its length. `out` shorter than
    /// [`encoded_len`](Self::encoded_len) is `ERR_PARAMETER_RANGE_ERROR` (nothing written).
    pub fn write_into(&self, out: &mut [u8]) -> Result<usize> {
        let len = self.encoded_len()?;
        let out = out.get_mut(..len).ok_or(Error::ParameterRangeError)?;
        let sys = SceneCommand::Sys as u8;
        let (head, body): (&[u8], &[u8]) = match *self {
            ScenePacket::Raw(p) => (&[SceneCommand::Raw as u8], p),
            ScenePacket::Auth(p) => (&[sys, SysCommand::Auth as u8], p),
            ScenePacket::AddPeer(id) => {
                return Ok(write_sys(out, SysCommand::AddPeer, id, &[]));
            }
            ScenePacket::DelPeer(id) => {
                return Ok(write_sys(out, SysCommand::DelPeer, id, &[]));
            }
            ScenePacket::Relay { peer, packet } => {
                return Ok(write_sys(out, SysCommand::Relay, peer, packet));
            }
        };
        let (h, b) = out.split_at_mut(head.len());
        h.copy_from_slice(head);
        b.copy_from_slice(body);
        Ok(len)
    }

    /// The packet as a new vector.
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        let mut v = vec![0; self.encoded_len()?];
        self.write_into(&mut v)?;
        Ok(v)
    }
}

/// `out` is exactly `SYS_CMD_SIZE + body.len()` long (checked by the caller).
fn write_sys(out: &mut [u8], cmd: SysCommand, peer: i32, body: &[u8]) -> usize {
    let (h, b) = out.split_at_mut(SYS_CMD_SIZE);
    h[0] = SceneCommand::Sys as u8;
    h[1] = cmd as u8;
    h[2..].copy_from_slice(&peer.to_le_bytes());
    b.copy_from_slice(body);
    out.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_layouts() {
        assert_eq!(ScenePacket::Raw(b"hi").to_vec().unwrap(), b"\x03hi");
        assert_eq!(ScenePacket::Auth(b"").to_vec().unwrap(), [7, 0]);
        assert_eq!(ScenePacket::Auth(b"pw").to_vec().unwrap(), b"\x07\x00pw");
        assert_eq!(
            ScenePacket::AddPeer(0x1234_5678).to_vec().unwrap(),
            [7, 1, 0x78, 0x56, 0x34, 0x12]
        );
        assert_eq!(
            ScenePacket::DelPeer(2).to_vec().unwrap(),
            [7, 2, 2, 0, 0, 0]
        );
        assert_eq!(
            ScenePacket::Relay {
                peer: -5,
                packet: b"\x03x"
            }
            .to_vec()
            .unwrap(),
            [7, 3, 0xfb, 0xff, 0xff, 0xff, 3, b'x']
        );
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn round_trips() {
        let cases: [(ScenePacket, SceneCommand, Option<SysCommand>, i32, &[u8]); 6] = [
            (ScenePacket::Raw(b"abc"), SceneCommand::Raw, None, 0, b"abc"),
            (
                ScenePacket::Auth(b""),
                SceneCommand::Sys,
                Some(SysCommand::Auth),
                0,
                b"",
            ),
            (
                ScenePacket::Auth(b"tok"),
                SceneCommand::Sys,
                Some(SysCommand::Auth),
                0,
                b"tok",
            ),
            (
                ScenePacket::AddPeer(i32::MAX),
                SceneCommand::Sys,
                Some(SysCommand::AddPeer),
                i32::MAX,
                b"",
            ),
            (
                ScenePacket::DelPeer(77),
                SceneCommand::Sys,
                Some(SysCommand::DelPeer),
                77,
                b"",
            ),
            (
                ScenePacket::Relay {
                    peer: 0,
                    packet: b"\x03z",
                },
                SceneCommand::Sys,
                Some(SysCommand::Relay),
                0,
                b"\x03z",
            ),
        ];
        for (pkt, cmd, sys, peer, payload) in cases {
            let bytes = pkt.to_vec().unwrap();
            assert_eq!(pkt.encoded_len().unwrap(), bytes.len());
            let m = parse(&bytes).unwrap();
            assert_eq!((m.command, m.sys, m.peer, m.flags), (cmd, sys, peer, 0));
            assert_eq!(m.payload(&bytes), payload);
            // A relayed inner packet parses too.
            if let Some(SysCommand::Relay) = sys {
                let inner = parse(m.payload(&bytes)).unwrap();
                assert_eq!(inner.command, SceneCommand::Raw);
            }
        }
    }

    #[test]
    fn every_command_and_flags() {
        for b in 0..=255u8 {
            let pkt = [b, 1, 2, 3, 4, 5, 6];
            let cmd = SceneCommand::from_byte(b);
            assert_eq!(cmd as u8, b & 7);
            match parse(&pkt) {
                Ok(m) => {
                    assert_eq!(m.command, cmd);
                    assert_eq!(m.flags, b >> 4);
                }
                Err(e) => {
                    // Only SYS can fail here: sys_cmd 1 = ADD_PEER with peer 0x05040302 is valid, so no.
                    panic!("{b:#x}: {e:?}")
                }
            }
        }
        let m = parse(&[0x13, 9]).unwrap();
        assert_eq!((m.command, m.flags), (SceneCommand::Raw, 1));
        let m = parse(&[0x00]).unwrap();
        assert_eq!((m.command, m.payload), (SceneCommand::RemoteCall, 1..1));
    }

    #[test]
    fn malformed_is_invalid_data() {
        let bad: &[&[u8]] = &[
            b"",
            b"\x03",
            b"\x07",
            b"\x07\x04",
            b"\x07\xff\x00\x00\x00\x00",
            b"\x07\x01",
            b"\x07\x01\x02\x00\x00",
            b"\x07\x01\x00\x00\x00\x00",
            b"\x07\x02\xff\xff\xff\xff",
            b"\x07\x03\x02\x00\x00\x00",
            b"\x07\x03\x00\x00\x00\x80\x03",
            b"\x17\x02\x00\x00",
        ];
        for p in bad {
            assert_eq!(parse(p), Err(Error::InvalidData), "{p:?}");
        }
        // Godot ignores bytes after an ADD_PEER; we report them as the payload.
        let m = parse(b"\x07\x01\x02\x00\x00\x00zz").unwrap();
        assert_eq!((m.peer, m.payload), (2, 6..8));
    }

    #[test]
    fn builder_arguments() {
        assert_eq!(ScenePacket::Raw(b"").to_vec(), Err(Error::InvalidData));
        assert_eq!(
            ScenePacket::AddPeer(0).to_vec(),
            Err(Error::InvalidParameter)
        );
        assert_eq!(
            ScenePacket::DelPeer(-3).to_vec(),
            Err(Error::InvalidParameter)
        );
        let r = ScenePacket::Relay {
            peer: i32::MIN,
            packet: b"x",
        };
        assert_eq!(r.to_vec(), Err(Error::InvalidParameter));
        let r = ScenePacket::Relay {
            peer: 2,
            packet: b"",
        };
        assert_eq!(r.to_vec(), Err(Error::InvalidParameter));
        let mut small = [0u8; 5];
        assert_eq!(
            ScenePacket::AddPeer(2).write_into(&mut small),
            Err(Error::ParameterRangeError)
        );
        assert_eq!(small, [0; 5]);
        let mut big = [0xaau8; 8];
        assert_eq!(ScenePacket::Raw(b"q").write_into(&mut big), Ok(2));
        assert_eq!(big[..3], [3, b'q', 0xaa]);
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parse_never_panics_and_stays_in_bounds(data in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(m) = parse(&data) {
                prop_assert!(m.payload.start <= m.payload.end && m.payload.end == data.len());
            }
        }

        #[test]
        fn relay_round_trip(peer in (i32::MIN + 1)..=i32::MAX, inner in proptest::collection::vec(any::<u8>(), 1..64)) {
            let b = ScenePacket::Relay { peer, packet: &inner }.to_vec().unwrap();
            let m = parse(&b).unwrap();
            prop_assert_eq!(m.peer, peer);
            prop_assert_eq!(m.payload(&b), &inner[..]);
        }
    }
}
