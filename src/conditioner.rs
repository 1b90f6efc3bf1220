//! A network conditioner: seeded, deterministic loss, delay with jitter, duplication, reordering and
//! a bandwidth cap, separately for outgoing and incoming datagrams, with counters of what it did.
//!
//! It is a queue plus decisions, nothing else: no thread, no timer. The socket that owns it offers
//! each datagram ([`Conditioner::offer`]) and takes back those whose time has come
//! ([`Conditioner::pop_due`]) from its own poll/service calls, so delayed datagrams leave (or
//! arrive) on the first such call after their due time. [`Conditioner::next_due`] tells a waiting
//! socket how long it may sleep.
//!
//! Determinism: each direction has its own random stream, seeded from [`ConditionerOptions::seed`],
//! and every datagram draws the same four numbers whatever is decided, so the fate of the n-th
//! datagram in a direction depends only on the seed and n: two runs with one seed drop, duplicate
//! and reorder the same datagrams (delays are relative to when each datagram was offered).
//!
//! Rules, per direction:
//! * **loss**: the datagram is dropped with probability `loss` (counted `dropped_loss`);
//! * **delay, jitter**: it is due `delay_ms + uniform(-jitter_ms, +jitter_ms)` (at least 0) after it was
//!   offered; jitter alone never reorders: a datagram is never due before the one offered before it;
//! * **reorder**: with probability `reorder` it is held [`REORDER_HOLD_MS`] longer, so that
//!   datagrams offered in the meantime overtake it (counted `reordered`);
//! * **duplicate**: with probability `duplicate` a second copy is due right after it (`duplicated`);
//! * **bandwidth** (bytes per second, 0 = unlimited): datagrams leave one after another, each taking
//!   `len / bandwidth` seconds of the link, so a burst is spread out (the due time is pushed back);
//! * the queue holds at most `max_queued` datagrams per direction; one more is dropped and counted
//!   (`dropped_overflow`). Nothing is dropped without a counter.
#![forbid(unsafe_code)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How much longer a reordered datagram is held than its delay.
pub const REORDER_HOLD_MS: u32 = 20;

/// Default and largest `max_queued`.
pub const DEFAULT_MAX_QUEUED: u32 = 4096;
pub const MAX_MAX_QUEUED: u32 = 1 << 20;

/// What happens to datagrams in one direction. Probabilities are in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DirectionOptions {
    pub loss: f64,
    pub duplicate: f64,
    pub reorder: f64,
    pub delay_ms: u32,
    pub jitter_ms: u32,
    /// Bytes per second; 0 = unlimited.
    pub bandwidth: u64,
}

/// Options of a [`Conditioner`]. The default does nothing but queue and release at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConditionerOptions {
    pub seed: u64,
    pub outgoing: DirectionOptions,
    pub incoming: DirectionOptions,
    /// Datagrams held per direction at most (1..=2^20).
    pub max_queued: u32,
}

impl Default for ConditionerOptions {
    fn default() -> Self {
        ConditionerOptions {
            seed: 0,
            outgoing: DirectionOptions::default(),
            incoming: DirectionOptions::default(),
            max_queued: DEFAULT_MAX_QUEUED,
        }
    }
}

impl DirectionOptions {
    fn check(&self) -> Result<()> {
        let p = |x: f64| (0.0..=1.0).contains(&x);
        // Delays beyond a minute are a mistake, not a network.
        if p(self.loss)
            && p(self.duplicate)
            && p(self.reorder)
            && self.delay_ms <= 60_000
            && self.jitter_ms <= 60_000
        {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

impl ConditionerOptions {
    /// `Error::InvalidParameter` unless every probability is in `0..=1` (NaN is not), delays and
    /// jitters are at most 60 000 ms and `max_queued` is in `1..=2^20`.
    pub fn check(&self) -> Result<()> {
        self.outgoing.check()?;
        self.incoming.check()?;
        if self.max_queued == 0 || self.max_queued > MAX_MAX_QUEUED {
            return Err(Error::InvalidParameter);
        }
        Ok(())
    }
}

/// Which way a datagram goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Outgoing = 0,
    Incoming = 1,
}

/// Counters of one direction. They only grow (except `queued`, the datagrams held now).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DirectionStats {
    /// Datagrams offered.
    pub offered: u64,
    /// Bytes offered.
    pub bytes_offered: u64,
    /// Datagrams released (copies included).
    pub released: u64,
    pub dropped_loss: u64,
    /// Dropped because `max_queued` datagrams were held.
    pub dropped_overflow: u64,
    pub duplicated: u64,
    pub reordered: u64,
    /// Released, but the socket refused to send it (full buffer or OS error): lost like on a
    /// network (outgoing only).
    pub send_failed: u64,
    /// Datagrams held now.
    pub queued: u64,
}

/// Counters of both directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConditionerStats {
    pub outgoing: DirectionStats,
    pub incoming: DirectionStats,
}

/// SplitMix64: small, fast, good enough for test traffic, identical everywhere.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Debug)]
struct Held<A> {
    due: Instant,
    seq: u64,
    data: Vec<u8>,
    addr: A,
}

impl<A> PartialEq for Held<A> {
    fn eq(&self, o: &Self) -> bool {
        (self.due, self.seq) == (o.due, o.seq)
    }
}
impl<A> Eq for Held<A> {}
impl<A> PartialOrd for Held<A> {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl<A> Ord for Held<A> {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.due, self.seq).cmp(&(o.due, o.seq))
    }
}

#[derive(Debug)]
struct Lane<A> {
    opts: DirectionOptions,
    rng: Rng,
    heap: BinaryHeap<Reverse<Held<A>>>,
    seq: u64,
    /// Due time of the last datagram that was not reordered (jitter never reorders).
    last_due: Option<Instant>,
    /// When the capped link is free again.
    link_free: Option<Instant>,
    stats: DirectionStats,
}

impl<A: Clone> Lane<A> {
    fn new(opts: DirectionOptions, seed: u64) -> Self {
        Lane {
            opts,
            rng: Rng(seed),
            heap: BinaryHeap::new(),
            seq: 0,
            last_due: None,
            link_free: None,
            stats: DirectionStats::default(),
        }
    }

    fn push(&mut self, due: Instant, data: Vec<u8>, addr: A, max: u32) -> bool {
        if self.heap.len() >= max as usize {
            self.stats.dropped_overflow += 1;
            return false;
        }
        self.seq += 1;
        self.heap.push(Reverse(Held {
            due,
            seq: self.seq,
            data,
            addr,
        }));
        self.stats.queued = self.heap.len() as u64;
        true
    }

    fn offer(&mut self, data: &[u8], addr: &A, now: Instant, max: u32) {
        let o = self.opts;
        self.stats.offered += 1;
        self.stats.bytes_offered += data.len() as u64;
        // Always four draws, whatever is decided: the n-th datagram's fate depends on n only.
        let (r_loss, r_jitter, r_reorder, r_dup) = (
            self.rng.unit(),
            self.rng.unit(),
            self.rng.unit(),
            self.rng.unit(),
        );
        if r_loss < o.loss {
            self.stats.dropped_loss += 1;
            return;
        }
        let jitter = (r_jitter * 2.0 - 1.0) * f64::from(o.jitter_ms);
        let delay_ms = (f64::from(o.delay_ms) + jitter).max(0.0);
        let mut due = now + Duration::from_secs_f64(delay_ms / 1000.0);
        if let Some(last) = self.last_due {
            due = due.max(last);
        }
        if o.bandwidth > 0 {
            let start = self.link_free.map_or(due, |f| f.max(due));
            let busy = Duration::from_secs_f64(data.len() as f64 / o.bandwidth as f64);
            self.link_free = Some(start + busy);
            due = start + busy;
        }
        let reordered = r_reorder < o.reorder;
        if reordered {
            self.stats.reordered += 1;
            due += Duration::from_millis(u64::from(REORDER_HOLD_MS));
        } else {
            self.last_due = Some(due);
        }
        let duplicate = r_dup < o.duplicate;
        if self.push(due, data.to_vec(), addr.clone(), max) && duplicate {
            self.stats.duplicated += 1;
            self.push(due, data.to_vec(), addr.clone(), max);
        }
    }

    fn pop_due(&mut self, now: Instant) -> Option<(Vec<u8>, A)> {
        if self.heap.peek().is_some_and(|h| h.0.due <= now) {
            let h = self.heap.pop()?.0;
            self.stats.released += 1;
            self.stats.queued = self.heap.len() as u64;
            Some((h.data, h.addr))
        } else {
            None
        }
    }
}

/// The conditioner of one socket. `A` is the datagram's address as the socket keeps it.
#[derive(Debug)]
pub struct Conditioner<A> {
    opts: ConditionerOptions,
    lanes: [Lane<A>; 2],
}

impl<A: Clone> Conditioner<A> {
    /// A conditioner with `opts` (checked with [`ConditionerOptions::check`]).
    pub fn new(opts: ConditionerOptions) -> Result<Self> {
        opts.check()?;
        let mut seeder = Rng(opts.seed);
        let out_seed = seeder.next();
        let in_seed = seeder.next();
        Ok(Conditioner {
            opts,
            lanes: [
                Lane::new(opts.outgoing, out_seed),
                Lane::new(opts.incoming, in_seed),
            ],
        })
    }

    pub fn options(&self) -> &ConditionerOptions {
        &self.opts
    }

    /// Takes a datagram going `dir` at `now`: dropped, or held until due (copied).
    pub fn offer(&mut self, dir: Direction, data: &[u8], addr: &A, now: Instant) {
        let max = self.opts.max_queued;
        self.lanes[dir as usize].offer(data, addr, now, max);
    }

    /// The next datagram going `dir` whose time has come, if any, in due order.
    pub fn pop_due(&mut self, dir: Direction, now: Instant) -> Option<(Vec<u8>, A)> {
        self.lanes[dir as usize].pop_due(now)
    }

    /// When the next held datagram (either direction) is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.lanes
            .iter()
            .filter_map(|l| l.heap.peek().map(|h| h.0.due))
            .min()
    }

    /// Whether a datagram going `dir` is due at `now`.
    pub fn has_due(&self, dir: Direction, now: Instant) -> bool {
        self.lanes[dir as usize]
            .heap
            .peek()
            .is_some_and(|h| h.0.due <= now)
    }

    /// Counts a released datagram the socket could not send.
    pub fn count_send_failed(&mut self, dir: Direction) {
        self.lanes[dir as usize].stats.send_failed += 1;
    }

    pub fn stats(&self) -> ConditionerStats {
        ConditionerStats {
            outgoing: self.lanes[0].stats,
            incoming: self.lanes[1].stats,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(opts: ConditionerOptions, n: usize) -> (Vec<u32>, ConditionerStats) {
        let mut c = Conditioner::<()>::new(opts).unwrap();
        let t0 = Instant::now();
        let mut got = Vec::new();
        for i in 0..n as u32 {
            let now = t0 + Duration::from_millis(u64::from(i));
            c.offer(Direction::Outgoing, &i.to_le_bytes(), &(), now);
            while let Some((d, ())) = c.pop_due(Direction::Outgoing, now) {
                got.push(u32::from_le_bytes(d.try_into().unwrap()));
            }
        }
        let end = t0 + Duration::from_secs(3600);
        while let Some((d, ())) = c.pop_due(Direction::Outgoing, end) {
            got.push(u32::from_le_bytes(d.try_into().unwrap()));
        }
        (got, c.stats())
    }

    fn with(out: DirectionOptions, seed: u64) -> ConditionerOptions {
        ConditionerOptions {
            seed,
            outgoing: out,
            ..ConditionerOptions::default()
        }
    }

    /// |observed - expected| within 5 standard deviations of a binomial.
    fn within(count: u64, n: u64, p: f64) -> bool {
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        (count as f64 - n as f64 * p).abs() <= 5.0 * sd + 1.0
    }

    #[test]
    fn rates_are_within_bounds_and_reproducible() {
        let o = DirectionOptions {
            loss: 0.2,
            duplicate: 0.05,
            reorder: 0.1,
            delay_ms: 50,
            jitter_ms: 10,
            bandwidth: 0,
        };
        let (a, s) = run(with(o, 1), 20_000);
        assert!(within(s.outgoing.dropped_loss, 20_000, 0.2), "{s:?}");
        let kept = 20_000 - s.outgoing.dropped_loss;
        assert!(within(s.outgoing.duplicated, kept, 0.05), "{s:?}");
        assert!(within(s.outgoing.reordered, kept, 0.1), "{s:?}");
        assert_eq!(a.len() as u64, kept + s.outgoing.duplicated);
        assert_eq!(s.outgoing.released, a.len() as u64);
        assert_eq!(s.outgoing.queued, 0);
        // Same seed, same fate; another seed, another one.
        assert_eq!(run(with(o, 1), 20_000).0, a);
        assert_ne!(run(with(o, 2), 20_000).0, a);
    }

    #[test]
    fn jitter_alone_keeps_order_and_delays() {
        let o = DirectionOptions {
            delay_ms: 50,
            jitter_ms: 10,
            ..DirectionOptions::default()
        };
        let mut c = Conditioner::<u32>::new(with(o, 7)).unwrap();
        let t0 = Instant::now();
        c.offer(Direction::Outgoing, b"x", &1, t0);
        assert!(c
            .pop_due(Direction::Outgoing, t0 + Duration::from_millis(39))
            .is_none());
        let due = c.next_due().unwrap();
        assert!(due >= t0 + Duration::from_millis(40) && due <= t0 + Duration::from_millis(60));
        assert_eq!(
            c.pop_due(Direction::Outgoing, t0 + Duration::from_millis(61))
                .unwrap()
                .1,
            1
        );
        let (got, _) = run(with(o, 3), 1000);
        assert_eq!(got, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn bandwidth_spreads_a_burst() {
        let o = DirectionOptions {
            bandwidth: 10_000,
            ..DirectionOptions::default()
        };
        let mut c = Conditioner::<()>::new(with(o, 1)).unwrap();
        let t0 = Instant::now();
        for _ in 0..10 {
            c.offer(Direction::Outgoing, &[0; 1000], &(), t0);
        }
        // 10 x 1000 bytes at 10 000 B/s: one per 100 ms, the last at 1 s.
        let mut n = 0;
        while c
            .pop_due(Direction::Outgoing, t0 + Duration::from_millis(450))
            .is_some()
        {
            n += 1;
        }
        assert_eq!(n, 4);
        assert_eq!(c.next_due(), Some(t0 + Duration::from_millis(500)));
    }

    #[test]
    fn queue_is_bounded_and_counted() {
        let o = DirectionOptions {
            delay_ms: 1000,
            ..DirectionOptions::default()
        };
        let mut opts = with(o, 1);
        opts.max_queued = 8;
        let mut c = Conditioner::<()>::new(opts).unwrap();
        let t0 = Instant::now();
        for _ in 0..20 {
            c.offer(Direction::Outgoing, b"abc", &(), t0);
        }
        let s = c.stats().outgoing;
        assert_eq!((s.queued, s.dropped_overflow, s.offered), (8, 12, 20));
        // The incoming direction is separate.
        c.offer(Direction::Incoming, b"abc", &(), t0);
        assert_eq!(c.stats().incoming.queued, 1);
        assert!(c.pop_due(Direction::Incoming, t0).is_some());
    }

    #[test]
    fn bad_options_are_refused() {
        for bad in [
            DirectionOptions {
                loss: 1.5,
                ..Default::default()
            },
            DirectionOptions {
                duplicate: f64::NAN,
                ..Default::default()
            },
            DirectionOptions {
                reorder: -0.1,
                ..Default::default()
            },
            DirectionOptions {
                delay_ms: 60_001,
                ..Default::default()
            },
        ] {
            assert_eq!(
                Conditioner::<()>::new(with(bad, 0)).err(),
                Some(Error::InvalidParameter)
            );
        }
        let mut o = ConditionerOptions::default();
        o.max_queued = 0;
        assert!(Conditioner::<()>::new(o).is_err());
    }
}
