//! The PacketPeerUDP receive queue (`docs/classes.md` §7): a byte ring of 2^s bytes holding, per
//! datagram, a 24-byte record (16-byte sender address, 4-byte port, 4-byte size) and the payload.
//! Usable space is the ring size − 1, and a datagram is stored only when `size + 24` fits, so the
//! drop thresholds are the engine's to the byte. Drops are counted, not silent.
#![forbid(unsafe_code)]

/// Per-datagram overhead in the ring.
pub const RECORD_OVERHEAD: usize = 24;
/// Ring size of an unbound / closed peer (2^16).
pub const DEFAULT_RING_SIZE: usize = 1 << 16;
/// Largest ring this library allocates (2^28 bytes). The engine has no cap; a `recv_buf_size` that
/// asks for more is refused with ERR_INVALID_PARAMETER instead of allocating gigabytes.
pub const MAX_RING_SIZE: usize = 1 << 28;

/// Ring size the engine picks for `bind(..., recv_buf_size)`: the smallest power of two strictly
/// greater than `recv_buf_size` (0 → 1 byte). `None` if above [`MAX_RING_SIZE`] or negative.
pub fn ring_size_for(recv_buf_size: i32) -> Option<usize> {
    if recv_buf_size < 0 {
        return None;
    }
    let n = recv_buf_size as u32;
    let shift = 32 - n.leading_zeros(); // floor(log2 n) + 1, 0 for 0
    let size = 1usize << shift;
    (size <= MAX_RING_SIZE).then_some(size)
}

#[derive(Debug)]
pub struct PacketRing {
    buf: Vec<u8>,
    read: usize,
    len: usize,
    count: usize,
}

/// One record's header.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    pub addr: [u8; 16],
    pub port: u16,
    pub size: usize,
}

impl PacketRing {
    pub fn new(size: usize) -> Self {
        PacketRing {
            buf: vec![0; size.max(1)],
            read: 0,
            len: 0,
            count: 0,
        }
    }

    /// Ring size in bytes (a power of two).
    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Packets queued.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Free bytes as the engine counts them (size − 1 − used).
    pub fn space_left(&self) -> usize {
        self.buf.len() - 1 - self.len
    }

    /// Empties the queue (count too) and, if `size` differs, reallocates.
    pub fn reset(&mut self, size: usize) {
        if self.buf.len() != size.max(1) {
            self.buf = vec![0; size.max(1)];
        }
        self.clear();
    }

    pub fn clear(&mut self) {
        self.read = 0;
        self.len = 0;
        self.count = 0;
    }

    fn write_bytes(&mut self, data: &[u8]) {
        let cap = self.buf.len();
        let w = (self.read + self.len) % cap;
        let first = data.len().min(cap - w);
        self.buf[w..w + first].copy_from_slice(&data[..first]);
        self.buf[..data.len() - first].copy_from_slice(&data[first..]);
        self.len += data.len();
    }

    fn read_bytes(&mut self, out: &mut [u8]) {
        let cap = self.buf.len();
        let first = out.len().min(cap - self.read);
        out[..first].copy_from_slice(&self.buf[self.read..self.read + first]);
        let rest = out.len() - first;
        out[first..].copy_from_slice(&self.buf[..rest]);
        self.read = (self.read + out.len()) % cap;
        self.len -= out.len();
    }

    /// Stores one datagram if `size + 24` fits; false (nothing stored) otherwise.
    pub fn push(&mut self, addr: [u8; 16], port: u16, payload: &[u8]) -> bool {
        if self.space_left() < payload.len() + RECORD_OVERHEAD {
            return false;
        }
        let mut hdr = [0u8; RECORD_OVERHEAD];
        hdr[..16].copy_from_slice(&addr);
        hdr[16..20].copy_from_slice(&u32::from(port).to_ne_bytes());
        hdr[20..24].copy_from_slice(&(payload.len() as u32).to_ne_bytes());
        self.write_bytes(&hdr);
        self.write_bytes(payload);
        self.count += 1;
        true
    }

    /// Pops the oldest datagram into `out` (resized to fit); None if empty.
    pub fn pop_into(&mut self, out: &mut Vec<u8>) -> Option<Record> {
        let rec = self.pop_header()?;
        out.clear();
        out.resize(rec.size, 0);
        self.read_bytes(out);
        Some(rec)
    }

    /// Size of the next payload, if any.
    pub fn peek_size(&self) -> Option<usize> {
        if self.count == 0 {
            return None;
        }
        let cap = self.buf.len();
        let mut b = [0u8; 4];
        for (i, x) in b.iter_mut().enumerate() {
            *x = self.buf[(self.read + 20 + i) % cap];
        }
        Some(u32::from_ne_bytes(b) as usize)
    }

    /// Pops the oldest datagram into the front of `out`, which must hold [`peek_size`] bytes.
    pub fn pop_into_slice(&mut self, out: &mut [u8]) -> Option<Record> {
        let size = self.peek_size()?;
        if out.len() < size {
            return None;
        }
        let rec = self.pop_header()?;
        self.read_bytes(&mut out[..rec.size]);
        Some(rec)
    }

    fn pop_header(&mut self) -> Option<Record> {
        if self.count == 0 {
            return None;
        }
        let mut hdr = [0u8; RECORD_OVERHEAD];
        self.read_bytes(&mut hdr);
        let mut addr = [0u8; 16];
        addr.copy_from_slice(&hdr[..16]);
        let port = u32::from_ne_bytes([hdr[16], hdr[17], hdr[18], hdr[19]]) as u16;
        let size = u32::from_ne_bytes([hdr[20], hdr[21], hdr[22], hdr[23]]) as usize;
        self.count -= 1;
        Some(Record { addr, port, size })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizing_rule() {
        assert_eq!(ring_size_for(65536), Some(131072));
        assert_eq!(ring_size_for(1000), Some(1024));
        assert_eq!(ring_size_for(1024), Some(2048));
        assert_eq!(ring_size_for(0), Some(1));
        assert_eq!(ring_size_for(-1), None);
        assert_eq!(ring_size_for(i32::MAX), None);
    }

    #[test]
    fn overhead_and_wrap() {
        let mut r = PacketRing::new(128);
        // usable 127: 24 + 103 fits exactly, 104 does not.
        assert!(!r.push([1; 16], 7, &[0; 104]));
        assert!(r.push([1; 16], 7, &[9; 103]));
        assert!(!r.push([1; 16], 7, &[]));
        let mut out = Vec::new();
        let rec = r.pop_into(&mut out).unwrap();
        assert_eq!((rec.port, rec.size, out.len()), (7, 103, 103));
        // wrap-around many times
        for i in 0..1000u32 {
            let p: Vec<u8> = (0..(i % 50) as u8).collect();
            assert!(r.push([i as u8; 16], i as u16, &p));
            let rec = r.pop_into(&mut out).unwrap();
            assert_eq!(out, p);
            assert_eq!(rec.addr, [i as u8; 16]);
        }
        assert!(r.pop_into(&mut out).is_none());
        let mut one = PacketRing::new(1);
        assert!(!one.push([0; 16], 0, &[]));
    }
}
