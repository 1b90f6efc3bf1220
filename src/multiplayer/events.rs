//! The bounded queue that replaces MultiplayerPeer's `peer_connected` / `peer_disconnected` signals.
//!
//! When full, the queue never drops an event it already holds (the oldest stay) and never loses one
//! silently: a new event that does not fit is counted in an [`MultiplayerEvent::Overflow`] marker at the
//! tail, and the push reports `ERR_BUSY`. The marker sits exactly where the lost events would have been,
//! so the consumer knows which part of the history is missing (and how many events), and events queued
//! after the consumer made room come after it. The queue holds at most `capacity + 1` entries.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::{Error, Result};

/// Default number of events a queue holds before it overflows.
pub const DEFAULT_EVENT_QUEUE_CAPACITY: usize = 1024;

/// One signal of a MultiplayerPeer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MultiplayerEvent {
    /// `peer_connected(id)`.
    PeerConnected(i32),
    /// `peer_disconnected(id)`.
    PeerDisconnected(i32),
    /// The queue was full: `dropped` events (saturating) that would have been here were not queued.
    Overflow { dropped: u32 },
    /// A client's connection attempt to `id` (the server, 1) timed out: no answer within the transport's
    /// timeout (closed port, wrong address, a server that never accepted). The peer is now
    /// DISCONNECTED. Not a MultiplayerPeer signal: Godot's SceneMultiplayer reports the same moment
    /// as `connection_failed`.
    ConnectTimedOut(i32),
    /// A client's connection attempt to `id` (the server, 1) was refused: the server's OS answered
    /// that nothing listens on that port (ICMP port unreachable), reported at once instead of after
    /// the transport's timeout. The peer is now DISCONNECTED. Not a MultiplayerPeer signal (Godot's
    /// SceneMultiplayer reports `connection_failed` after the timeout).
    ConnectRefused(i32),
}

#[derive(Debug)]
struct Inner {
    q: VecDeque<MultiplayerEvent>,
    capacity: usize,
    dropped_total: u64,
}

/// A bounded FIFO of [`MultiplayerEvent`]s. Cloning gives another handle to the **same** queue (so an
/// event source on another thread, or a C callback, can push while the owner holds it).
#[derive(Debug, Clone)]
pub struct EventQueue {
    inner: Arc<Mutex<Inner>>,
}

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue::with_capacity(DEFAULT_EVENT_QUEUE_CAPACITY)
    }
}

impl EventQueue {
    /// A queue holding up to `capacity` events (at least 1) before it overflows.
    pub fn with_capacity(capacity: usize) -> EventQueue {
        EventQueue {
            inner: Arc::new(Mutex::new(Inner {
                q: VecDeque::new(),
                capacity: capacity.max(1),
                dropped_total: 0,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        crate::sync::lock(&self.inner)
    }

    /// Queues `ev`. When the queue is full the event is counted in the tail overflow marker instead and
    /// the result is `ERR_BUSY` (do not retry: it is already accounted for). Pushing an `Overflow`
    /// event adds its count to the marker the same way.
    pub fn push(&self, ev: MultiplayerEvent) -> Result<()> {
        let mut g = self.lock();
        let n = match ev {
            MultiplayerEvent::Overflow { dropped } => dropped,
            _ => 1,
        };
        if g.q.len() < g.capacity {
            g.q.push_back(ev);
            return Ok(());
        }
        g.dropped_total = g.dropped_total.saturating_add(u64::from(n));
        match g.q.back_mut() {
            Some(MultiplayerEvent::Overflow { dropped }) => *dropped = dropped.saturating_add(n),
            _ => g.q.push_back(MultiplayerEvent::Overflow { dropped: n }),
        }
        Err(Error::Busy)
    }

    /// Takes the oldest entry.
    pub fn pop(&self) -> Option<MultiplayerEvent> {
        self.lock().q.pop_front()
    }

    /// Entries queued (overflow markers included).
    pub fn len(&self) -> usize {
        self.lock().q.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn capacity(&self) -> usize {
        self.lock().capacity
    }

    /// Events lost to overflow since the queue was made.
    pub fn dropped_total(&self) -> u64 {
        self.lock().dropped_total
    }

    /// Drops every queued entry.
    pub fn clear(&self) {
        self.lock().q.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MultiplayerEvent::*;

    #[test]
    fn fifo_order() {
        let q = EventQueue::default();
        assert!(q.is_empty());
        q.push(PeerConnected(5)).unwrap();
        q.push(PeerDisconnected(5)).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(q.pop(), Some(PeerConnected(5)));
        assert_eq!(q.pop(), Some(PeerDisconnected(5)));
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn full_queue_keeps_oldest_and_marks_the_gap() {
        let q = EventQueue::with_capacity(3);
        for id in 2..5 {
            q.push(PeerConnected(id)).unwrap();
        }
        assert_eq!(q.push(PeerConnected(10)), Err(Error::Busy));
        assert_eq!(q.push(PeerDisconnected(11)), Err(Error::Busy));
        assert_eq!(q.len(), 4, "capacity + the marker");
        assert_eq!(q.dropped_total(), 2);
        assert_eq!(q.pop(), Some(PeerConnected(2)));
        // Room for one more, but the marker is still within capacity: the next event goes after it.
        q.push(PeerConnected(20)).unwrap_err();
        assert_eq!(q.pop(), Some(PeerConnected(3)));
        q.push(PeerConnected(21)).unwrap();
        assert_eq!(q.pop(), Some(PeerConnected(4)));
        assert_eq!(q.pop(), Some(Overflow { dropped: 3 }));
        assert_eq!(q.pop(), Some(PeerConnected(21)));
        assert_eq!(q.pop(), None);
        assert_eq!(q.dropped_total(), 3);
    }

    #[test]
    fn bounded_under_flood() {
        let q = EventQueue::with_capacity(8);
        for i in 0..100_000 {
            let _ = q.push(PeerConnected(i % 1000 + 2));
        }
        assert_eq!(q.len(), 9);
        let mut last = None;
        while let Some(e) = q.pop() {
            last = Some(e);
        }
        assert_eq!(
            last,
            Some(Overflow {
                dropped: 100_000 - 8
            })
        );
    }

    #[test]
    fn marker_count_saturates() {
        let q = EventQueue::with_capacity(1);
        q.push(PeerConnected(2)).unwrap();
        let _ = q.push(Overflow { dropped: u32::MAX });
        let _ = q.push(PeerConnected(3));
        assert_eq!(q.pop(), Some(PeerConnected(2)));
        assert_eq!(q.pop(), Some(Overflow { dropped: u32::MAX }));
        assert_eq!(q.dropped_total(), u64::from(u32::MAX) + 1);
    }

    #[test]
    fn clones_share_the_queue() {
        let q = EventQueue::with_capacity(0);
        assert_eq!(q.capacity(), 1);
        let h = q.clone();
        std::thread::spawn(move || h.push(PeerConnected(7)).unwrap())
            .join()
            .unwrap();
        assert_eq!(q.pop(), Some(PeerConnected(7)));
        q.push(PeerConnected(8)).unwrap();
        q.clear();
        assert!(q.is_empty());
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any push/pop sequence: bounded, FIFO for what was kept, and every event either popped or
        /// counted in an overflow marker.
        #[test]
        fn bounded_ordered_and_accounted(cap in 1usize..6, ops in proptest::collection::vec(any::<bool>(), 0..200)) {
            let q = EventQueue::with_capacity(cap);
            let (mut pushed, mut popped, mut dropped, mut next, mut last) = (0u64, 0u64, 0u64, 2i32, 1i32);
            for push in ops {
                if push {
                    let r = q.push(MultiplayerEvent::PeerConnected(next));
                    prop_assert!(r.is_ok() || r == Err(Error::Busy));
                    next += 1;
                    pushed += 1;
                } else {
                    match q.pop() {
                        Some(MultiplayerEvent::PeerConnected(id)) => {
                            prop_assert!(id > last);
                            last = id;
                            popped += 1;
                        }
                        Some(MultiplayerEvent::Overflow { dropped: d }) => dropped += u64::from(d),
                        Some(e) => prop_assert!(false, "unexpected {e:?}"),
                        None => {}
                    }
                }
                prop_assert!(q.len() <= cap + 1);
            }
            while let Some(e) = q.pop() {
                match e {
                    MultiplayerEvent::PeerConnected(_) => popped += 1,
                    MultiplayerEvent::Overflow { dropped: d } => dropped += u64::from(d),
                    MultiplayerEvent::PeerDisconnected(_)
                    | MultiplayerEvent::ConnectTimedOut(_)
                    | MultiplayerEvent::ConnectRefused(_) => {
                        prop_assert!(false)
                    }
                }
            }
            prop_assert_eq!(popped + dropped, pushed);
            prop_assert_eq!(dropped, q.dropped_total());
        }
    }
}
