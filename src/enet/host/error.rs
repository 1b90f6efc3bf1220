//! Why the host refuses something. Two enums, because the two kinds of refusal go to different
//! places: a refused send goes back to the caller (and through Godot's API to a script), a refused
//! incoming command only ends its datagram and is counted.

use crate::enet::protocol::MAXIMUM_FRAGMENT_COUNT;
use crate::error::Error;

/// Why [`Host::send`](super::Host::send) refused a packet. Nothing was queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("no peer slot {0}")]
    NoSuchPeer(usize),
    #[error("the peer is not connected")]
    NotConnected,
    #[error("channel {channel} out of range (the peer has {count})")]
    NoSuchChannel { channel: u8, count: usize },
    #[error("packet of {size} bytes is larger than the host's maximum of {maximum}")]
    TooLarge { size: usize, maximum: usize },
    #[error("packet needs {count} fragments, more than ENet's {MAXIMUM_FRAGMENT_COUNT}")]
    TooManyFragments { count: usize },
}

/// ENet's `enet_peer_send` answers -1 for every cause and Godot's `ENetPacketPeer.send` /
/// `put_packet` turn that into `FAILED`, so every cause maps to it.
impl From<SendError> for Error {
    fn from(_: SendError) -> Error {
        Error::Failed
    }
}

/// Why an incoming command was refused. As in ENet, the host stops reading the datagram at the
/// refused command; it counts it in `Anomalies::malformed_commands`. The cause stays inside the
/// host (no caller ever sees it), so it has no mapping to a Godot error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(super) enum Refused {
    #[error("command other than CONNECT from an address with no peer")]
    NoPeer,
    #[error("CONNECT inside a datagram for an existing peer")]
    ConnectForPeer,
    #[error("CONNECT asks for {0} channels")]
    ChannelCount(u32),
    #[error("CONNECT repeats one already accepted from the same address")]
    DuplicateConnect,
    #[error("no free peer slot")]
    NoFreeSlot,
    #[error("too many peers from the same IP address")]
    TooManyFromAddress,
    #[error("VERIFY_CONNECT does not answer our CONNECT")]
    VerifyMismatch,
    #[error("acknowledgement of a command other than the one this state waits for")]
    UnexpectedAcknowledge,
    #[error("the peer is not connected")]
    NotConnected,
    #[error("no channel {0}")]
    NoSuchChannel(u8),
    #[error("payload of {0} bytes is larger than the host's maximum packet size")]
    TooLarge(usize),
    #[error("waiting-data budget exhausted")]
    WaitingDataExceeded,
    #[error("fragment without data")]
    EmptyFragment,
    #[error("fragment count, number, offset or length out of bounds")]
    BadFragment,
    #[error("fragment disagrees with the packet it belongs to")]
    FragmentMismatch,
}
