//! ENet 1.3 wire format: the datagram header and the 12 protocol commands (all integers big-endian).
//!
//! Parsing never panics and never allocates: commands borrow their payload from the datagram. A parser
//! stops at command 0, an unknown command number, a truncated command or a payload running past the end
//! of the datagram, exactly where a C ENet receiver stops.
#![forbid(unsafe_code)]

/// Smallest and largest MTU a peer may negotiate.
pub const MINIMUM_MTU: u32 = 576;
pub const MAXIMUM_MTU: u32 = 4096;
/// At most this many commands travel in one datagram.
pub const MAXIMUM_PACKET_COMMANDS: usize = 32;
pub const MINIMUM_WINDOW_SIZE: u32 = 4096;
pub const MAXIMUM_WINDOW_SIZE: u32 = 65536;
pub const MINIMUM_CHANNEL_COUNT: u32 = 1;
pub const MAXIMUM_CHANNEL_COUNT: u32 = 255;
/// Peer id 0xFFF means "no peer yet" (CONNECT); real ids are 0..0xFFE.
pub const MAXIMUM_PEER_ID: u16 = 0xFFF;
pub const MAXIMUM_FRAGMENT_COUNT: u32 = 1024 * 1024;

pub const COMMAND_NONE: u8 = 0;
pub const COMMAND_ACKNOWLEDGE: u8 = 1;
pub const COMMAND_CONNECT: u8 = 2;
pub const COMMAND_VERIFY_CONNECT: u8 = 3;
pub const COMMAND_DISCONNECT: u8 = 4;
pub const COMMAND_PING: u8 = 5;
pub const COMMAND_SEND_RELIABLE: u8 = 6;
pub const COMMAND_SEND_UNRELIABLE: u8 = 7;
pub const COMMAND_SEND_FRAGMENT: u8 = 8;
pub const COMMAND_SEND_UNSEQUENCED: u8 = 9;
pub const COMMAND_BANDWIDTH_LIMIT: u8 = 10;
pub const COMMAND_THROTTLE_CONFIGURE: u8 = 11;
pub const COMMAND_SEND_UNRELIABLE_FRAGMENT: u8 = 12;
pub const COMMAND_COUNT: u8 = 13;
pub const COMMAND_MASK: u8 = 0x0F;

/// Command byte bit 7: the receiver must acknowledge this command.
pub const COMMAND_FLAG_ACKNOWLEDGE: u8 = 1 << 7;
/// Command byte bit 6: unsequenced.
pub const COMMAND_FLAG_UNSEQUENCED: u8 = 1 << 6;

pub const HEADER_FLAG_COMPRESSED: u16 = 1 << 14;
pub const HEADER_FLAG_SENT_TIME: u16 = 1 << 15;
pub const HEADER_FLAG_MASK: u16 = HEADER_FLAG_COMPRESSED | HEADER_FLAG_SENT_TIME;
pub const HEADER_SESSION_MASK: u16 = 3 << 12;
pub const HEADER_SESSION_SHIFT: u16 = 12;

/// Size of the datagram header when `sentTime` is present.
pub const HEADER_SIZE: usize = 4;
/// Size of the common command header.
pub const COMMAND_HEADER_SIZE: usize = 4;

/// Fixed size of each command (command header included, payload excluded), indexed by command number;
/// 0 for numbers that are not commands.
pub const COMMAND_SIZES: [usize; COMMAND_COUNT as usize] =
    [0, 8, 48, 44, 8, 4, 6, 8, 24, 8, 12, 16, 24];

/// Fixed size of a command number (0 if unknown).
pub fn command_size(command_byte: u8) -> usize {
    COMMAND_SIZES
        .get((command_byte & COMMAND_MASK) as usize)
        .copied()
        .unwrap_or(0)
}

/// The datagram header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatagramHeader {
    /// Receiving peer's id (0..=0xFFF).
    pub peer_id: u16,
    /// Session id (0..=3).
    pub session_id: u8,
    pub compressed: bool,
    /// Low 16 bits of the sender's clock; present when the datagram carries a command to acknowledge.
    pub sent_time: Option<u16>,
}

impl DatagramHeader {
    /// Encoded size (2 or 4 bytes).
    pub fn len(&self) -> usize {
        if self.sent_time.is_some() {
            4
        } else {
            2
        }
    }

    /// Always false: a header has at least its peer id.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Reads the header; `None` if the datagram is shorter than the header it announces.
    /// Returns the header and its size.
    pub fn parse(data: &[u8]) -> Option<(DatagramHeader, usize)> {
        let word = u16::from_be_bytes([*data.first()?, *data.get(1)?]);
        let flags = word & HEADER_FLAG_MASK;
        let session_id = ((word & HEADER_SESSION_MASK) >> HEADER_SESSION_SHIFT) as u8;
        let peer_id = word & !(HEADER_FLAG_MASK | HEADER_SESSION_MASK);
        let (sent_time, size) = if flags & HEADER_FLAG_SENT_TIME != 0 {
            (Some(u16::from_be_bytes([*data.get(2)?, *data.get(3)?])), 4)
        } else {
            (None, 2)
        };
        Some((
            DatagramHeader {
                peer_id,
                session_id,
                compressed: flags & HEADER_FLAG_COMPRESSED != 0,
                sent_time,
            },
            size,
        ))
    }

    /// Writes the header into `out`; returns its size (2 or 4).
    pub fn write(&self, out: &mut [u8; 4]) -> usize {
        let mut word =
            (self.peer_id & 0x0FFF) | (((self.session_id as u16) & 3) << HEADER_SESSION_SHIFT);
        if self.compressed {
            word |= HEADER_FLAG_COMPRESSED;
        }
        out[..2].copy_from_slice(&word.to_be_bytes());
        match self.sent_time {
            Some(t) => {
                out[..2].copy_from_slice(&(word | HEADER_FLAG_SENT_TIME).to_be_bytes());
                out[2..].copy_from_slice(&t.to_be_bytes());
                4
            }
            None => 2,
        }
    }

    /// Appends the header.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut word =
            (self.peer_id & 0x0FFF) | (((self.session_id as u16) & 3) << HEADER_SESSION_SHIFT);
        if self.compressed {
            word |= HEADER_FLAG_COMPRESSED;
        }
        if self.sent_time.is_some() {
            word |= HEADER_FLAG_SENT_TIME;
        }
        out.extend_from_slice(&word.to_be_bytes());
        if let Some(t) = self.sent_time {
            out.extend_from_slice(&t.to_be_bytes());
        }
    }
}

/// The 4-byte header every command starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommandHeader {
    /// Command number in bits 0–3 plus the ACKNOWLEDGE/UNSEQUENCED flags.
    pub command: u8,
    pub channel_id: u8,
    pub reliable_sequence_number: u16,
}

impl CommandHeader {
    pub fn number(&self) -> u8 {
        self.command & COMMAND_MASK
    }
    pub fn wants_ack(&self) -> bool {
        self.command & COMMAND_FLAG_ACKNOWLEDGE != 0
    }
}

/// Body of CONNECT and VERIFY_CONNECT (VERIFY_CONNECT has no `data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConnectBody {
    pub outgoing_peer_id: u16,
    pub incoming_session_id: u8,
    pub outgoing_session_id: u8,
    pub mtu: u32,
    pub window_size: u32,
    pub channel_count: u32,
    pub incoming_bandwidth: u32,
    pub outgoing_bandwidth: u32,
    pub packet_throttle_interval: u32,
    pub packet_throttle_acceleration: u32,
    pub packet_throttle_deceleration: u32,
    /// Opaque; kept as the big-endian reading of the 4 wire bytes, echoed back unchanged.
    pub connect_id: u32,
    /// CONNECT only.
    pub data: u32,
}

/// Body of SEND_FRAGMENT and SEND_UNRELIABLE_FRAGMENT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FragmentBody {
    pub start_sequence_number: u16,
    pub data_length: u16,
    pub fragment_count: u32,
    pub fragment_number: u32,
    pub total_length: u32,
    pub fragment_offset: u32,
}

/// One protocol command without its payload (payload length is carried where the wire has it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Acknowledge {
        received_reliable_sequence_number: u16,
        received_sent_time: u16,
    },
    Connect(ConnectBody),
    VerifyConnect(ConnectBody),
    Disconnect {
        data: u32,
    },
    Ping,
    SendReliable {
        data_length: u16,
    },
    SendUnreliable {
        unreliable_sequence_number: u16,
        data_length: u16,
    },
    SendFragment(FragmentBody),
    SendUnsequenced {
        unsequenced_group: u16,
        data_length: u16,
    },
    BandwidthLimit {
        incoming_bandwidth: u32,
        outgoing_bandwidth: u32,
    },
    ThrottleConfigure {
        packet_throttle_interval: u32,
        packet_throttle_acceleration: u32,
        packet_throttle_deceleration: u32,
    },
    SendUnreliableFragment(FragmentBody),
}

impl Command {
    /// The command number (1..=12).
    pub fn number(&self) -> u8 {
        match self {
            Command::Acknowledge { .. } => COMMAND_ACKNOWLEDGE,
            Command::Connect(_) => COMMAND_CONNECT,
            Command::VerifyConnect(_) => COMMAND_VERIFY_CONNECT,
            Command::Disconnect { .. } => COMMAND_DISCONNECT,
            Command::Ping => COMMAND_PING,
            Command::SendReliable { .. } => COMMAND_SEND_RELIABLE,
            Command::SendUnreliable { .. } => COMMAND_SEND_UNRELIABLE,
            Command::SendFragment(_) => COMMAND_SEND_FRAGMENT,
            Command::SendUnsequenced { .. } => COMMAND_SEND_UNSEQUENCED,
            Command::BandwidthLimit { .. } => COMMAND_BANDWIDTH_LIMIT,
            Command::ThrottleConfigure { .. } => COMMAND_THROTTLE_CONFIGURE,
            Command::SendUnreliableFragment(_) => COMMAND_SEND_UNRELIABLE_FRAGMENT,
        }
    }

    /// Fixed encoded size including the command header.
    pub fn size(&self) -> usize {
        COMMAND_SIZES[self.number() as usize]
    }

    /// Payload length announced by the command (0 for commands without payload).
    pub fn data_length(&self) -> usize {
        match *self {
            Command::SendReliable { data_length }
            | Command::SendUnreliable { data_length, .. }
            | Command::SendUnsequenced { data_length, .. } => data_length as usize,
            Command::SendFragment(f) | Command::SendUnreliableFragment(f) => f.data_length as usize,
            _ => 0,
        }
    }

    /// Appends header + fixed fields (not the payload). `header.command`'s number bits are replaced by
    /// this command's number; its flags are kept.
    pub fn encode(&self, header: &CommandHeader, out: &mut Vec<u8>) {
        out.push((header.command & !COMMAND_MASK) | self.number());
        out.push(header.channel_id);
        out.extend_from_slice(&header.reliable_sequence_number.to_be_bytes());
        let u16b = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_be_bytes());
        let u32b = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_be_bytes());
        match *self {
            Command::Acknowledge {
                received_reliable_sequence_number,
                received_sent_time,
            } => {
                u16b(out, received_reliable_sequence_number);
                u16b(out, received_sent_time);
            }
            Command::Connect(c) | Command::VerifyConnect(c) => {
                u16b(out, c.outgoing_peer_id);
                out.push(c.incoming_session_id);
                out.push(c.outgoing_session_id);
                for v in [
                    c.mtu,
                    c.window_size,
                    c.channel_count,
                    c.incoming_bandwidth,
                    c.outgoing_bandwidth,
                    c.packet_throttle_interval,
                    c.packet_throttle_acceleration,
                    c.packet_throttle_deceleration,
                    c.connect_id,
                ] {
                    u32b(out, v);
                }
                if let Command::Connect(_) = self {
                    u32b(out, c.data);
                }
            }
            Command::Disconnect { data } => u32b(out, data),
            Command::Ping => {}
            Command::SendReliable { data_length } => u16b(out, data_length),
            Command::SendUnreliable {
                unreliable_sequence_number,
                data_length,
            } => {
                u16b(out, unreliable_sequence_number);
                u16b(out, data_length);
            }
            Command::SendUnsequenced {
                unsequenced_group,
                data_length,
            } => {
                u16b(out, unsequenced_group);
                u16b(out, data_length);
            }
            Command::SendFragment(f) | Command::SendUnreliableFragment(f) => {
                u16b(out, f.start_sequence_number);
                u16b(out, f.data_length);
                u32b(out, f.fragment_count);
                u32b(out, f.fragment_number);
                u32b(out, f.total_length);
                u32b(out, f.fragment_offset);
            }
            Command::BandwidthLimit {
                incoming_bandwidth,
                outgoing_bandwidth,
            } => {
                u32b(out, incoming_bandwidth);
                u32b(out, outgoing_bandwidth);
            }
            Command::ThrottleConfigure {
                packet_throttle_interval,
                packet_throttle_acceleration,
                packet_throttle_deceleration,
            } => {
                u32b(out, packet_throttle_interval);
                u32b(out, packet_throttle_acceleration);
                u32b(out, packet_throttle_deceleration);
            }
        }
    }
}

/// Why parsing stopped before the end of the datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Command byte 0 (FastLZ pads with zeros; ENet stops here).
    NoneCommand,
    /// Command number ≥ 13.
    UnknownCommand,
    /// Fewer bytes left than the command's fixed size.
    Truncated,
    /// The announced payload runs past the end of the datagram.
    PayloadOverrun,
}

/// Big-endian reader over a fixed slice (all reads are checked by the caller's size test).
struct Rd<'a> {
    b: &'a [u8],
    at: usize,
}
impl Rd<'_> {
    fn u8(&mut self) -> u8 {
        let v = self.b.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        v
    }
    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }
    fn u32(&mut self) -> u32 {
        u32::from_be_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
}

/// Parses one command at the start of `data`. Returns the header, the command, its payload and the
/// total bytes consumed.
pub fn parse_command(data: &[u8]) -> Result<(CommandHeader, Command, &[u8], usize), StopReason> {
    let first = *data.first().ok_or(StopReason::Truncated)?;
    let number = first & COMMAND_MASK;
    if number == COMMAND_NONE {
        return Err(StopReason::NoneCommand);
    }
    if number >= COMMAND_COUNT {
        return Err(StopReason::UnknownCommand);
    }
    let size = COMMAND_SIZES[number as usize];
    let fixed = data.get(..size).ok_or(StopReason::Truncated)?;
    let mut r = Rd { b: fixed, at: 0 };
    let header = CommandHeader {
        command: r.u8(),
        channel_id: r.u8(),
        reliable_sequence_number: r.u16(),
    };
    let fragment = |r: &mut Rd| FragmentBody {
        start_sequence_number: r.u16(),
        data_length: r.u16(),
        fragment_count: r.u32(),
        fragment_number: r.u32(),
        total_length: r.u32(),
        fragment_offset: r.u32(),
    };
    let command = match number {
        COMMAND_ACKNOWLEDGE => Command::Acknowledge {
            received_reliable_sequence_number: r.u16(),
            received_sent_time: r.u16(),
        },
        COMMAND_CONNECT | COMMAND_VERIFY_CONNECT => {
            let mut c = ConnectBody {
                outgoing_peer_id: r.u16(),
                incoming_session_id: r.u8(),
                outgoing_session_id: r.u8(),
                mtu: r.u32(),
                window_size: r.u32(),
                channel_count: r.u32(),
                incoming_bandwidth: r.u32(),
                outgoing_bandwidth: r.u32(),
                packet_throttle_interval: r.u32(),
                packet_throttle_acceleration: r.u32(),
                packet_throttle_deceleration: r.u32(),
                connect_id: r.u32(),
                data: 0,
            };
            if number == COMMAND_CONNECT {
                c.data = r.u32();
                Command::Connect(c)
            } else {
                Command::VerifyConnect(c)
            }
        }
        COMMAND_DISCONNECT => Command::Disconnect { data: r.u32() },
        COMMAND_PING => Command::Ping,
        COMMAND_SEND_RELIABLE => Command::SendReliable {
            data_length: r.u16(),
        },
        COMMAND_SEND_UNRELIABLE => Command::SendUnreliable {
            unreliable_sequence_number: r.u16(),
            data_length: r.u16(),
        },
        COMMAND_SEND_FRAGMENT => Command::SendFragment(fragment(&mut r)),
        COMMAND_SEND_UNSEQUENCED => Command::SendUnsequenced {
            unsequenced_group: r.u16(),
            data_length: r.u16(),
        },
        COMMAND_BANDWIDTH_LIMIT => Command::BandwidthLimit {
            incoming_bandwidth: r.u32(),
            outgoing_bandwidth: r.u32(),
        },
        COMMAND_THROTTLE_CONFIGURE => Command::ThrottleConfigure {
            packet_throttle_interval: r.u32(),
            packet_throttle_acceleration: r.u32(),
            packet_throttle_deceleration: r.u32(),
        },
        _ => Command::SendUnreliableFragment(fragment(&mut r)),
    };
    let len = command.data_length();
    let payload = data
        .get(size..size + len)
        .ok_or(StopReason::PayloadOverrun)?;
    Ok((header, command, payload, size + len))
}

/// Iterator over the commands of a datagram body (after the header). Yields `Err` once, then stops.
pub struct Commands<'a> {
    rest: &'a [u8],
    done: bool,
}

impl<'a> Commands<'a> {
    pub fn new(body: &'a [u8]) -> Self {
        Commands {
            rest: body,
            done: false,
        }
    }
}

impl<'a> Iterator for Commands<'a> {
    type Item = Result<(CommandHeader, Command, &'a [u8]), StopReason>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.rest.is_empty() {
            return None;
        }
        match parse_command(self.rest) {
            Ok((h, c, p, used)) => {
                self.rest = self.rest.get(used..).unwrap_or(&[]);
                Some(Ok((h, c, p)))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// A fully parsed datagram (for tests and fuzzing; the host parses incrementally).
#[derive(Debug)]
pub struct Datagram<'a> {
    pub header: DatagramHeader,
    pub commands: Vec<(CommandHeader, Command, &'a [u8])>,
    pub stop: Option<StopReason>,
}

/// Parses a whole uncompressed datagram. At most `MAXIMUM_MTU / 4` commands can exist in a valid
/// datagram, so the vector is bounded by the input size.
pub fn parse_datagram(data: &[u8]) -> Option<Datagram<'_>> {
    let (header, hsize) = DatagramHeader::parse(data)?;
    let mut commands = Vec::new();
    let mut stop = None;
    for item in Commands::new(data.get(hsize..).unwrap_or(&[])) {
        match item {
            Ok(c) => commands.push(c),
            Err(e) => stop = Some(e),
        }
    }
    Some(Datagram {
        header,
        commands,
        stop,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_commands() -> Vec<(CommandHeader, Command, Vec<u8>)> {
        let h = |c: u8, ch: u8, s: u16| CommandHeader {
            command: c,
            channel_id: ch,
            reliable_sequence_number: s,
        };
        let conn = ConnectBody {
            outgoing_peer_id: 7,
            incoming_session_id: 0xFF,
            outgoing_session_id: 0xFF,
            mtu: 1392,
            window_size: 65536,
            channel_count: 255,
            incoming_bandwidth: 1,
            outgoing_bandwidth: 2,
            packet_throttle_interval: 5000,
            packet_throttle_acceleration: 2,
            packet_throttle_deceleration: 2,
            connect_id: 0xDEADBEEF,
            data: 42,
        };
        let frag = FragmentBody {
            start_sequence_number: 9,
            data_length: 3,
            fragment_count: 2,
            fragment_number: 1,
            total_length: 6,
            fragment_offset: 3,
        };
        vec![
            (
                h(COMMAND_ACKNOWLEDGE, 0xFF, 1),
                Command::Acknowledge {
                    received_reliable_sequence_number: 1,
                    received_sent_time: 0x1234,
                },
                vec![],
            ),
            (h(0x82, 0xFF, 1), Command::Connect(conn), vec![]),
            (
                h(0x83, 0xFF, 1),
                Command::VerifyConnect(ConnectBody { data: 0, ..conn }),
                vec![],
            ),
            (h(0x84, 0xFF, 2), Command::Disconnect { data: 99 }, vec![]),
            (h(0x85, 0xFF, 3), Command::Ping, vec![]),
            (
                h(0x86, 0, 1),
                Command::SendReliable { data_length: 2 },
                vec![1, 2],
            ),
            (
                h(7, 1, 0),
                Command::SendUnreliable {
                    unreliable_sequence_number: 5,
                    data_length: 1,
                },
                vec![9],
            ),
            (h(0x88, 0, 9), Command::SendFragment(frag), vec![4, 5, 6]),
            (
                h(0x49, 1, 0),
                Command::SendUnsequenced {
                    unsequenced_group: 77,
                    data_length: 0,
                },
                vec![],
            ),
            (
                h(0x8A, 0xFF, 4),
                Command::BandwidthLimit {
                    incoming_bandwidth: 10,
                    outgoing_bandwidth: 20,
                },
                vec![],
            ),
            (
                h(0x8B, 0xFF, 5),
                Command::ThrottleConfigure {
                    packet_throttle_interval: 1000,
                    packet_throttle_acceleration: 3,
                    packet_throttle_deceleration: 4,
                },
                vec![],
            ),
            (
                h(12, 1, 0),
                Command::SendUnreliableFragment(frag),
                vec![7, 8, 9],
            ),
        ]
    }

    #[test]
    fn sizes_match_enet() {
        for (h, c, _) in sample_commands() {
            let mut out = Vec::new();
            c.encode(&h, &mut out);
            assert_eq!(out.len(), c.size(), "{c:?}");
        }
        assert_eq!(COMMAND_SIZES, [0, 8, 48, 44, 8, 4, 6, 8, 24, 8, 12, 16, 24]);
    }

    #[test]
    fn round_trip_every_command() {
        let mut dgram = Vec::new();
        DatagramHeader {
            peer_id: 0x123,
            session_id: 2,
            compressed: false,
            sent_time: Some(0xBEEF),
        }
        .encode(&mut dgram);
        assert_eq!(dgram, [0xA1, 0x23, 0xBE, 0xEF]);
        let mut fixed = [0u8; 4];
        let hdr = DatagramHeader::parse(&dgram).unwrap().0;
        assert_eq!(hdr.write(&mut fixed), 4);
        assert_eq!(fixed, [0xA1, 0x23, 0xBE, 0xEF]);
        let cmds = sample_commands();
        for (h, c, p) in &cmds {
            c.encode(h, &mut dgram);
            dgram.extend_from_slice(p);
        }
        let d = parse_datagram(&dgram).unwrap();
        assert_eq!(d.header.peer_id, 0x123);
        assert_eq!(d.header.session_id, 2);
        assert_eq!(d.header.sent_time, Some(0xBEEF));
        assert_eq!(d.stop, None);
        assert_eq!(d.commands.len(), cmds.len());
        for ((h, c, p), (h2, c2, p2)) in cmds.iter().zip(d.commands.iter()) {
            assert_eq!(h, h2);
            assert_eq!(c, c2);
            assert_eq!(&p[..], *p2);
        }
    }

    #[test]
    fn big_endian_layout_of_connect() {
        let (h, c, _) = sample_commands().remove(1);
        let mut out = Vec::new();
        c.encode(&h, &mut out);
        assert_eq!(&out[..8], &[0x82, 0xFF, 0, 1, 0, 7, 0xFF, 0xFF]);
        assert_eq!(&out[8..12], &1392u32.to_be_bytes());
        assert_eq!(&out[40..44], &[0xDE, 0xAD, 0xBE, 0xEF]);
        assert_eq!(&out[44..48], &42u32.to_be_bytes());
    }

    #[test]
    fn stops_where_enet_stops() {
        // header without sentTime, then a ping, then zero padding.
        let mut d = vec![0x00, 0x05, 0x85, 0xFF, 0, 1, 0, 0, 0];
        let p = parse_datagram(&d).unwrap();
        assert_eq!(p.commands.len(), 1);
        assert_eq!(p.stop, Some(StopReason::NoneCommand));
        d.truncate(4);
        let p = parse_datagram(&d).unwrap();
        assert_eq!(p.stop, Some(StopReason::Truncated));
        let p = parse_datagram(&[0, 5, 13, 0, 0, 0]).unwrap();
        assert_eq!(p.stop, Some(StopReason::UnknownCommand));
        // reliable send announcing 10 bytes with 2 present
        let p = parse_datagram(&[0, 5, 0x86, 0, 0, 1, 0, 10, 1, 2]).unwrap();
        assert_eq!(p.stop, Some(StopReason::PayloadOverrun));
        assert!(parse_datagram(&[0x80, 0, 1]).is_none());
        assert!(parse_datagram(&[0]).is_none());
    }

    /// Cutting a valid datagram anywhere must keep exactly the commands wholly before the cut and
    /// name why the next one was refused: a parser that silently accepted a partial command (or
    /// dropped a whole one) would pass a mere "does not panic" check.
    #[test]
    fn every_truncation_keeps_whole_commands_and_names_the_cut() {
        let samples = sample_commands();
        let mut dgram = vec![0x80, 0x01, 0, 0];
        // (start, end of fixed part, end of payload) of each command in `dgram`
        let mut spans = Vec::new();
        for (h, c, p) in &samples {
            let start = dgram.len();
            c.encode(h, &mut dgram);
            let fixed_end = dgram.len();
            dgram.extend_from_slice(p);
            spans.push((start, fixed_end, dgram.len()));
        }
        for n in 0..dgram.len() {
            let cut = &dgram[..n];
            // The header announces a sent time, so it needs 4 bytes.
            if n < 4 {
                assert!(parse_datagram(cut).is_none(), "cut at {n}");
                continue;
            }
            let d = parse_datagram(cut).unwrap_or_else(|| panic!("cut at {n}: header refused"));
            assert_eq!(d.header.peer_id, 1, "cut at {n}");
            assert_eq!(d.header.sent_time, Some(0), "cut at {n}");
            let whole = spans.iter().take_while(|s| s.2 <= n).count();
            assert_eq!(d.commands.len(), whole, "cut at {n}");
            for ((h, c, p), (h2, c2, p2)) in samples.iter().zip(&d.commands) {
                assert_eq!((h, c, &p[..]), (h2, c2, *p2), "cut at {n}");
            }
            let expected = match spans.get(whole) {
                Some(&(start, _, _)) if n == start => None,
                Some(&(_, fixed_end, _)) if n < fixed_end => Some(StopReason::Truncated),
                Some(_) => Some(StopReason::PayloadOverrun),
                None => None,
            };
            assert_eq!(d.stop, expected, "cut at {n}");
        }
        // Both refusals occur among the cuts, so the loop above checked each of them.
        assert!(spans.iter().any(|s| s.2 > s.1), "a sample with a payload");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            if let Some(d) = parse_datagram(&data) {
                proptest::prop_assert!(d.commands.len() <= data.len() / 4);
                // re-encoding what was parsed gives back the same bytes
                let mut out = Vec::new();
                d.header.encode(&mut out);
                for (h, c, p) in &d.commands {
                    c.encode(h, &mut out);
                    out.extend_from_slice(p);
                }
                proptest::prop_assert_eq!(&out[..], &data[..out.len()]);
            }
        }
    }
}
