//! OfflineMultiplayerPeer (`docs/classes.md` §14): the "no network" peer, always a connected server with no
//! remote peers.
#![forbid(unsafe_code)]

use super::{
    ConnectionStatus, MultiplayerBase, MultiplayerPeer, Target, TransferMode, TARGET_PEER_SERVER,
};
use crate::error::Result;
use crate::peer::{PacketPeer, PeerBase};

/// Godot's `OfflineMultiplayerPeer`. Never queues an event.
///
/// `get_packet` returns OK with an empty packet although none is available: that is the engine's
/// behaviour (a quirk), kept for fidelity as `docs/classes.md` §14 recommends; check `get_available_packet_count`
/// (always 0) first. `put_packet` accepts and discards everything.
#[derive(Debug, Default)]
pub struct OfflineMultiplayerPeer {
    base: PeerBase,
    mp: MultiplayerBase,
}

impl OfflineMultiplayerPeer {
    pub fn new() -> OfflineMultiplayerPeer {
        OfflineMultiplayerPeer::default()
    }
}

impl PacketPeer for OfflineMultiplayerPeer {
    fn get_available_packet_count(&mut self) -> i32 {
        0
    }
    fn get_packet(&mut self) -> Result<&[u8]> {
        Ok(&[])
    }
    fn put_packet(&mut self, _data: &[u8]) -> Result<()> {
        Ok(())
    }
    fn get_max_packet_size(&self) -> i32 {
        0
    }
    fn base(&self) -> &PeerBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut PeerBase {
        &mut self.base
    }
}

impl MultiplayerPeer for OfflineMultiplayerPeer {
    fn mp_base(&self) -> &MultiplayerBase {
        &self.mp
    }
    fn mp_base_mut(&mut self) -> &mut MultiplayerBase {
        &mut self.mp
    }
    /// A no-op (the value is only checked: `i32::MIN` is `ERR_INVALID_PARAMETER` everywhere).
    fn set_target_peer(&mut self, target: i32) -> Result<()> {
        Target::parse(target).map(|_| ())
    }
    fn get_packet_peer(&self) -> i32 {
        0
    }
    fn get_packet_mode(&self) -> Result<TransferMode> {
        Ok(TransferMode::Reliable)
    }
    fn get_packet_channel(&self) -> i32 {
        0
    }
    fn poll(&mut self) -> Result<()> {
        Ok(())
    }
    fn close(&mut self) -> Result<()> {
        Ok(())
    }
    fn disconnect_peer(&mut self, _peer: i32, _force: bool) -> Result<()> {
        Ok(())
    }
    fn get_unique_id(&self) -> Result<i32> {
        Ok(TARGET_PEER_SERVER)
    }
    fn is_server(&self) -> bool {
        true
    }
    fn get_connection_status(&self) -> Result<ConnectionStatus> {
        Ok(ConnectionStatus::Connected)
    }
}
