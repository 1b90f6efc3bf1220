//! RFC 6455 frames with the engine's rules (`docs/classes.md` §19.2): an encoder for single-frame
//! messages and control frames, and an incremental decoder that reassembles fragmented messages,
//! checks masking, RSV bits, opcodes, control-frame rules, sizes and UTF-8, and reports violations
//! with the close code and reason the engine's codec (wslay) uses. Pure code over byte slices: the
//! peer feeds it what the socket gave, the fuzz target feeds it anything.
#![forbid(unsafe_code)]

pub const OP_CONT: u8 = 0x0;
pub const OP_TEXT: u8 = 0x1;
pub const OP_BINARY: u8 = 0x2;
pub const OP_CLOSE: u8 = 0x8;
pub const OP_PING: u8 = 0x9;
pub const OP_PONG: u8 = 0xA;

/// Longest close reason: a control payload is at most 125 bytes, two of which are the code.
pub const MAX_CLOSE_REASON: usize = 123;

/// Close codes and the reasons sent with them when this side aborts (the engine's strings).
pub const CLOSE_NORMAL: u16 = 1000;
pub const CLOSE_PROTOCOL_ERROR: u16 = 1002;
pub const CLOSE_INVALID_PAYLOAD: u16 = 1007;
pub const CLOSE_TOO_BIG: u16 = 1009;
pub const REASON_PROTOCOL_ERROR: &str = "Protocol error";
pub const REASON_INVALID_PAYLOAD: &str = "Invalid frame payload data";
pub const REASON_TOO_BIG: &str = "Message too big";

/// A close code a peer may send (RFC 6455 §7.4): 1000–1003, 1007–1011, 3000–4999.
pub fn is_valid_close_code(c: u16) -> bool {
    matches!(c, 1000..=1003 | 1007..=1011 | 3000..=4999)
}

/// XORs `buf` with `mask`, `offset` bytes into the masked stream (8 bytes at a time).
pub fn apply_mask(buf: &mut [u8], mask: [u8; 4], offset: usize) {
    let r = offset % 4;
    let m = [
        mask[r],
        mask[(r + 1) % 4],
        mask[(r + 2) % 4],
        mask[(r + 3) % 4],
    ];
    let m64 = u64::from_ne_bytes([m[0], m[1], m[2], m[3], m[0], m[1], m[2], m[3]]);
    let mut chunks = buf.chunks_exact_mut(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        c.copy_from_slice(&(u64::from_ne_bytes(w) ^ m64).to_ne_bytes());
    }
    for (i, b) in chunks.into_remainder().iter_mut().enumerate() {
        *b ^= m[i % 4];
    }
}

/// Appends one frame with FIN set: header, optional mask key, payload (masked when `mask` is given).
pub fn encode_frame(out: &mut Vec<u8>, opcode: u8, payload: &[u8], mask: Option<[u8; 4]>) {
    let mbit = if mask.is_some() { 0x80 } else { 0 };
    out.push(0x80 | opcode);
    let n = payload.len();
    if n < 126 {
        out.push(mbit | n as u8);
    } else if n <= 0xFFFF {
        out.push(mbit | 126);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(mbit | 127);
        out.extend_from_slice(&(n as u64).to_be_bytes());
    }
    let start = out.len() + if mask.is_some() { 4 } else { 0 };
    if let Some(m) = mask {
        out.extend_from_slice(&m);
    }
    out.extend_from_slice(payload);
    if let Some(m) = mask {
        apply_mask(&mut out[start..], m, 0);
    }
}

/// Close payload: big-endian code + reason; code 0 gives an empty payload (the engine's rule).
pub fn close_payload(code: u16, reason: &str) -> Vec<u8> {
    if code == 0 {
        return Vec::new();
    }
    let mut p = code.to_be_bytes().to_vec();
    p.extend_from_slice(reason.as_bytes());
    p
}

/// A violation: the close code and reason this side sends before dropping the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fail {
    pub code: u16,
    pub reason: &'static str,
}

const PROTO: Fail = Fail {
    code: CLOSE_PROTOCOL_ERROR,
    reason: REASON_PROTOCOL_ERROR,
};
const UTF8: Fail = Fail {
    code: CLOSE_INVALID_PAYLOAD,
    reason: REASON_INVALID_PAYLOAD,
};
const BIG: Fail = Fail {
    code: CLOSE_TOO_BIG,
    reason: REASON_TOO_BIG,
};

/// Something the decoder finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Message {
        data: Vec<u8>,
        text: bool,
    },
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    /// `code` 0 = the frame had no code (empty payload).
    Close {
        code: u16,
        reason: String,
    },
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    fin: bool,
    opcode: u8,
    mask: Option<[u8; 4]>,
    remaining: u64,
    done: u64,
}

/// Incremental frame decoder for one connection.
#[derive(Debug)]
pub struct Decoder {
    /// Server side: frames must be masked; client side: must not be.
    expect_masked: bool,
    max_message: usize,
    frame: Option<Frame>,
    in_message: bool,
    msg_text: bool,
    msg: Vec<u8>,
    utf8_ok: usize,
    ctrl: Vec<u8>,
}

impl Decoder {
    pub fn new(expect_masked: bool, max_message: usize) -> Self {
        Decoder {
            expect_masked,
            max_message,
            frame: None,
            in_message: false,
            msg_text: false,
            msg: Vec::new(),
            utf8_ok: 0,
            ctrl: Vec::new(),
        }
    }

    /// Bytes of the message being reassembled.
    pub fn partial_len(&self) -> usize {
        self.msg.len()
    }

    /// Consumes a prefix of `input`. Returns how many bytes were used and at most one finished
    /// event (call again with the rest), or the violation. Never consumes part of a frame header.
    pub fn feed(&mut self, input: &[u8]) -> Result<(usize, Option<Event>), Fail> {
        let mut pos = 0;
        loop {
            let f = match self.frame {
                Some(f) => f,
                None => match self.header(&input[pos..])? {
                    Some((n, f)) => {
                        pos += n;
                        self.frame = Some(f);
                        f
                    }
                    None => return Ok((pos, None)),
                },
            };
            let take = (f.remaining.min((input.len() - pos) as u64)) as usize;
            let chunk = &input[pos..pos + take];
            pos += take;
            let control = f.opcode >= 8;
            let dst = if control {
                &mut self.ctrl
            } else {
                &mut self.msg
            };
            let start = dst.len();
            dst.extend_from_slice(chunk);
            if let Some(m) = f.mask {
                apply_mask(&mut dst[start..], m, f.done as usize);
            }
            let f = Frame {
                remaining: f.remaining - take as u64,
                done: f.done + take as u64,
                ..f
            };
            if !control && self.msg_text {
                self.check_utf8(false)?;
            }
            if f.remaining > 0 {
                self.frame = Some(f);
                return Ok((pos, None));
            }
            self.frame = None;
            if control {
                let p = std::mem::take(&mut self.ctrl);
                let ev = match f.opcode {
                    OP_PING => Event::Ping(p),
                    OP_PONG => Event::Pong(p),
                    _ => parse_close(&p)?,
                };
                return Ok((pos, Some(ev)));
            }
            if f.fin {
                if self.msg_text {
                    self.check_utf8(true)?;
                }
                self.in_message = false;
                self.utf8_ok = 0;
                let data = std::mem::take(&mut self.msg);
                return Ok((
                    pos,
                    Some(Event::Message {
                        data,
                        text: self.msg_text,
                    }),
                ));
            }
            if pos == input.len() {
                return Ok((pos, None));
            }
        }
    }

    fn check_utf8(&mut self, complete: bool) -> Result<(), Fail> {
        match std::str::from_utf8(&self.msg[self.utf8_ok..]) {
            Ok(_) => self.utf8_ok = self.msg.len(),
            Err(e) if e.error_len().is_none() && !complete => self.utf8_ok += e.valid_up_to(),
            Err(_) => return Err(UTF8),
        }
        Ok(())
    }

    /// Parses and validates a frame header; `None` if more bytes are needed.
    fn header(&mut self, b: &[u8]) -> Result<Option<(usize, Frame)>, Fail> {
        if b.len() < 2 {
            return Ok(None);
        }
        let fin = b[0] & 0x80 != 0;
        if b[0] & 0x70 != 0 {
            return Err(PROTO);
        }
        let opcode = b[0] & 0x0F;
        let masked = b[1] & 0x80 != 0;
        let len7 = b[1] & 0x7F;
        let control = opcode >= 8;
        match opcode {
            OP_CONT | OP_TEXT | OP_BINARY | OP_CLOSE | OP_PING | OP_PONG => {}
            _ => return Err(PROTO),
        }
        if masked != self.expect_masked {
            return Err(PROTO);
        }
        if control && (!fin || len7 > 125) {
            return Err(PROTO);
        }
        let ext = match len7 {
            126 => 2,
            127 => 8,
            _ => 0,
        };
        let need = 2 + ext + if masked { 4 } else { 0 };
        if b.len() < need {
            return Ok(None);
        }
        let len = match ext {
            2 => u16::from_be_bytes([b[2], b[3]]) as u64,
            8 => {
                let mut x = [0u8; 8];
                x.copy_from_slice(&b[2..10]);
                u64::from_be_bytes(x)
            }
            _ => len7 as u64,
        };
        if len >> 63 != 0 {
            return Err(PROTO);
        }
        let mask = if masked {
            let m = 2 + ext;
            Some([b[m], b[m + 1], b[m + 2], b[m + 3]])
        } else {
            None
        };
        if !control {
            match (opcode, self.in_message) {
                (OP_CONT, false) => return Err(PROTO),
                (OP_TEXT | OP_BINARY, true) => return Err(PROTO),
                (OP_TEXT | OP_BINARY, false) => {
                    self.in_message = true;
                    self.msg_text = opcode == OP_TEXT;
                    self.msg.clear();
                    self.utf8_ok = 0;
                }
                _ => {}
            }
            if len > (self.max_message - self.msg.len().min(self.max_message)) as u64 {
                return Err(BIG);
            }
            self.msg.reserve((len as usize).min(1 << 16));
        }
        Ok(Some((
            need,
            Frame {
                fin,
                opcode,
                mask,
                remaining: len,
                done: 0,
            },
        )))
    }
}

fn parse_close(p: &[u8]) -> Result<Event, Fail> {
    match p.len() {
        0 => Ok(Event::Close {
            code: 0,
            reason: String::new(),
        }),
        1 => Err(PROTO),
        _ => {
            let code = u16::from_be_bytes([p[0], p[1]]);
            if !is_valid_close_code(code) {
                return Err(PROTO);
            }
            let reason = std::str::from_utf8(&p[2..]).map_err(|_| UTF8)?;
            Ok(Event::Close {
                code,
                reason: reason.to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(d: &mut Decoder, mut b: &[u8]) -> Result<Vec<Event>, Fail> {
        let mut v = Vec::new();
        loop {
            let (n, e) = d.feed(b)?;
            b = &b[n..];
            match e {
                Some(e) => v.push(e),
                None => return Ok(v),
            }
        }
    }

    #[test]
    fn roundtrip_masked_and_split() {
        for len in [0usize, 1, 125, 126, 65535, 65536, 100_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let mut f = Vec::new();
            encode_frame(&mut f, OP_BINARY, &data, Some([1, 2, 3, 4]));
            let mut d = Decoder::new(true, 1 << 20);
            // One byte at a time for small frames, whole for big ones.
            let mut evs = Vec::new();
            if len < 300 {
                let mut buf = Vec::new();
                for b in &f {
                    buf.push(*b);
                    let (n, e) = d.feed(&buf).unwrap();
                    buf.drain(..n);
                    evs.extend(e);
                }
            } else {
                evs = all(&mut d, &f).unwrap();
            }
            assert_eq!(evs, vec![Event::Message { data, text: false }]);
        }
    }

    #[test]
    fn fragments_and_control_between() {
        let mut b = vec![0x01, 0x03, b'h', b'e', b'l'];
        encode_frame(&mut b, OP_PING, b"p", None);
        b.extend_from_slice(&[0x80, 0x02, b'l', b'o']);
        let mut d = Decoder::new(false, 100);
        assert_eq!(
            all(&mut d, &b).unwrap(),
            vec![
                Event::Ping(b"p".to_vec()),
                Event::Message {
                    data: b"hello".to_vec(),
                    text: true
                }
            ]
        );
    }

    #[test]
    fn violations() {
        let cases: &[(&[u8], u16)] = &[
            (&[0x82, 0x7F, 0, 0, 0, 1, 0, 0, 0, 0], CLOSE_TOO_BIG), // 4 GiB
            (
                &[0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0],
                CLOSE_PROTOCOL_ERROR,
            ),
            (&[0xC2, 0x00], CLOSE_PROTOCOL_ERROR), // RSV1
            (&[0x83, 0x00], CLOSE_PROTOCOL_ERROR), // reserved opcode
            (&[0x8B, 0x00], CLOSE_PROTOCOL_ERROR),
            (&[0x80, 0x00], CLOSE_PROTOCOL_ERROR), // continuation without message
            (&[0x09, 0x00], CLOSE_PROTOCOL_ERROR), // fragmented ping
            (&[0x89, 0x7E, 0, 126], CLOSE_PROTOCOL_ERROR),
            (&[0x81, 0x02, 0xC3, 0x28], CLOSE_INVALID_PAYLOAD),
            (&[0x01, 0x01, 0xFF], CLOSE_INVALID_PAYLOAD), // invalid in the first fragment
            (&[0x81, 0x01, 0xC3], CLOSE_INVALID_PAYLOAD), // truncated at the end
            (&[0x88, 0x01, 0x03], CLOSE_PROTOCOL_ERROR),
            (&[0x88, 0x02, 0x03, 0xEC], CLOSE_PROTOCOL_ERROR), // 1004
            (&[0x88, 0x03, 0x03, 0xE8, 0xFF], CLOSE_INVALID_PAYLOAD),
            (&[0x01, 0x00, 0x82, 0x00], CLOSE_PROTOCOL_ERROR), // new message inside one
        ];
        for (bytes, code) in cases {
            let mut d = Decoder::new(false, 65535);
            assert_eq!(
                all(&mut d, bytes).map_err(|f| f.code),
                Err(*code),
                "{bytes:?}"
            );
        }
        // Unmasked to a server, masked to a client.
        assert_eq!(
            Decoder::new(true, 10)
                .feed(&[0x82, 0x00])
                .map_err(|f| f.code),
            Err(CLOSE_PROTOCOL_ERROR)
        );
        assert_eq!(
            Decoder::new(false, 10)
                .feed(&[0x82, 0x80, 0, 0, 0, 0])
                .map_err(|f| f.code),
            Err(CLOSE_PROTOCOL_ERROR)
        );
        // Too big across fragments.
        let mut d = Decoder::new(false, 4);
        assert_eq!(
            all(&mut d, &[0x02, 0x03, 1, 2, 3, 0x80, 0x02, 4, 5]).map_err(|f| f.code),
            Err(CLOSE_TOO_BIG)
        );
        assert_eq!(
            all(&mut Decoder::new(false, 4), &[0x88, 0x00]).unwrap(),
            vec![Event::Close {
                code: 0,
                reason: String::new()
            }]
        );
    }

    #[test]
    fn mask_offsets() {
        let data: Vec<u8> = (0..37).collect();
        let mut a = data.clone();
        apply_mask(&mut a, [9, 8, 7, 6], 0);
        let mut b = data.clone();
        let (x, y) = b.split_at_mut(13);
        apply_mask(x, [9, 8, 7, 6], 0);
        apply_mask(y, [9, 8, 7, 6], 13);
        assert_eq!(a, b);
        for (i, v) in a.iter().enumerate() {
            assert_eq!(*v, data[i] ^ [9, 8, 7, 6][i % 4]);
        }
    }

    /// The fuzz target's properties on pseudo-random inputs (stable Rust, runs with the tests): no
    /// panic, consumption within the input, limits, UTF-8, valid close codes, engine fail codes.
    #[test]
    fn random_inputs_keep_the_invariants() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..3000 {
            let len = (next() % 300) as usize;
            let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Half the rounds start with a plausible header so the payload paths run too.
            if round % 2 == 0 && len > 2 {
                data[0] = [0x81, 0x82, 0x01, 0x02, 0x00, 0x80, 0x89, 0x8A, 0x88][round % 9];
                data[1] = (data[1] & 0x80) | (data[1] % 40);
            }
            let server = round % 3 == 0;
            let max = 1 + (next() % 64) as usize;
            let mut d = Decoder::new(server, max);
            let mut rest: &[u8] = &data;
            let mut guard = 0;
            loop {
                guard += 1;
                assert!(guard < 10_000);
                match d.feed(rest) {
                    Ok((n, ev)) => {
                        assert!(n <= rest.len());
                        rest = &rest[n..];
                        match ev {
                            Some(Event::Message { data, text }) => {
                                assert!(data.len() <= max);
                                if text {
                                    assert!(std::str::from_utf8(&data).is_ok());
                                }
                            }
                            Some(Event::Close { code, .. }) => {
                                assert!(code == 0 || is_valid_close_code(code))
                            }
                            Some(Event::Ping(p)) | Some(Event::Pong(p)) => assert!(p.len() <= 125),
                            None => break,
                        }
                    }
                    Err(f) => {
                        assert!(matches!(f.code, 1002 | 1007 | 1009));
                        break;
                    }
                }
            }
        }
    }
}
