//! StreamPeerBuffer (`docs/classes.md` §3): a StreamPeer over an in-memory byte array with a cursor.
//!
//! Engine behaviour kept on purpose:
//! - writes past the end grow the array; writes never fail short;
//! - `get_partial_data` returns what is left (maybe 0) and OK;
//! - `get_data` with fewer bytes left than asked copies and consumes what is left, then returns
//!   `ERR_INVALID_PARAMETER`;
//! - `resize` keeps the cursor even when it is then past the end (reads then return 0 bytes).
//!
//! Differences: methods that are `void` in the engine and only print an error return it here:
//! `seek` outside `0..=size` and a negative `resize` give `ERR_INVALID_PARAMETER`. The array never
//! exceeds `i32::MAX` bytes (Godot sizes are `int`); a write that would is `ERR_OUT_OF_MEMORY`.
#![forbid(unsafe_code)]

use super::StreamPeer;
use crate::error::{Error, Result};

/// An in-memory StreamPeer.
#[derive(Debug, Clone, Default)]
pub struct StreamPeerBuffer {
    data: Vec<u8>,
    pointer: usize,
    big_endian: bool,
}

const MAX_SIZE: usize = i32::MAX as usize;

impl StreamPeerBuffer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the array and moves the cursor to 0 (`data_array` setter).
    pub fn set_data_array(&mut self, data: Vec<u8>) -> Result<()> {
        if data.len() > MAX_SIZE {
            return Err(Error::InvalidParameter);
        }
        self.data = data;
        self.pointer = 0;
        Ok(())
    }

    /// The whole array, independent of the cursor.
    pub fn data_array(&self) -> &[u8] {
        &self.data
    }

    /// Moves the cursor; `pos` must be within `0..=size`.
    pub fn seek(&mut self, pos: i32) -> Result<()> {
        if pos < 0 || pos as usize > self.data.len() {
            return Err(Error::InvalidParameter);
        }
        self.pointer = pos as usize;
        Ok(())
    }

    pub fn get_position(&self) -> i32 {
        self.pointer as i32
    }

    pub fn get_size(&self) -> i32 {
        self.data.len() as i32
    }

    /// Grows (with zeros) or truncates the array; the cursor is unchanged.
    pub fn resize(&mut self, size: i32) -> Result<()> {
        if size < 0 {
            return Err(Error::InvalidParameter);
        }
        self.data.resize(size as usize, 0);
        Ok(())
    }

    /// Empties the array and moves the cursor to 0.
    pub fn clear(&mut self) {
        self.data = Vec::new();
        self.pointer = 0;
    }

    /// A new buffer with a copy of the array; like the engine, its cursor is 0 and `big_endian` is
    /// the default (false).
    pub fn duplicate(&self) -> StreamPeerBuffer {
        StreamPeerBuffer {
            data: self.data.clone(),
            pointer: 0,
            big_endian: false,
        }
    }

    fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pointer)
    }
}

impl StreamPeer for StreamPeerBuffer {
    fn put_data(&mut self, data: &[u8]) -> Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        let end = self
            .pointer
            .checked_add(data.len())
            .filter(|&e| e <= MAX_SIZE)
            .ok_or(Error::OutOfMemory)?;
        if end > self.data.len() {
            self.data.resize(end, 0);
        }
        self.data[self.pointer..end].copy_from_slice(data);
        self.pointer = end;
        Ok(())
    }

    fn put_partial_data(&mut self, data: &[u8]) -> Result<usize> {
        self.put_data(data).map(|()| data.len())
    }

    fn get_data(&mut self, buf: &mut [u8]) -> Result<()> {
        let got = self.get_partial_data(buf)?;
        if got != buf.len() {
            return Err(Error::InvalidParameter);
        }
        Ok(())
    }

    fn get_partial_data(&mut self, buf: &mut [u8]) -> Result<usize> {
        let n = buf.len().min(self.remaining());
        if n > 0 {
            buf[..n].copy_from_slice(&self.data[self.pointer..self.pointer + n]);
            self.pointer += n;
        }
        Ok(n)
    }

    fn get_available_bytes(&self) -> i32 {
        self.remaining() as i32
    }

    fn is_big_endian(&self) -> bool {
        self.big_endian
    }

    fn set_big_endian(&mut self, big_endian: bool) {
        self.big_endian = big_endian;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peer::StreamPeerExt;

    #[test]
    fn write_read_seek_resize() {
        let mut b = StreamPeerBuffer::new();
        b.put_data(b"hello").unwrap();
        assert_eq!(b.get_position(), 5);
        assert_eq!(b.get_size(), 5);
        assert_eq!(b.get_available_bytes(), 0);
        b.seek(1).unwrap();
        let mut two = [0u8; 2];
        b.get_data(&mut two).unwrap();
        assert_eq!(&two, b"el");
        assert_eq!(b.seek(-1), Err(Error::InvalidParameter));
        assert_eq!(b.seek(6), Err(Error::InvalidParameter));
        b.seek(5).unwrap();
        // Overwrite in the middle, grow at the end.
        b.seek(3).unwrap();
        b.put_data(b"pful").unwrap();
        assert_eq!(b.data_array(), b"helpful");
        // Short get_data: consumes what is left, then ERR_INVALID_PARAMETER (engine).
        b.seek(5).unwrap();
        let mut four = [0u8; 4];
        assert_eq!(b.get_data(&mut four), Err(Error::InvalidParameter));
        assert_eq!(&four[..2], b"ul");
        assert_eq!(b.get_position(), 7);
        assert_eq!(b.get_partial_data(&mut four), Ok(0));
        // resize keeps the cursor, even past the end.
        b.resize(2).unwrap();
        assert_eq!(b.get_position(), 7);
        assert_eq!(b.get_available_bytes(), 0);
        assert_eq!(b.get_partial_data(&mut four), Ok(0));
        assert_eq!(b.resize(-1), Err(Error::InvalidParameter));
        // Writing with the cursor past the end fills the gap with zeros.
        b.put_data(b"x").unwrap();
        assert_eq!(b.data_array(), b"he\0\0\0\0\0x");
        let d = b.duplicate();
        assert_eq!(d.data_array(), b.data_array());
        assert_eq!(d.get_position(), 0);
        b.clear();
        assert_eq!((b.get_size(), b.get_position()), (0, 0));
        b.set_data_array(vec![1, 2, 3]).unwrap();
        assert_eq!(b.get_position(), 0);
        assert_eq!(b.get_u8(), Ok(1));
    }
}
