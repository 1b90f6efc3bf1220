//! The few OS calls that std and socket2 do not offer safely: poll(2), FIONREAD, interface lookup
//! (if_nametoindex, getifaddrs) and the batch calls sendmmsg/recvmmsg. This is the only module of
//! the networking core with `unsafe`; every block says why it is sound.
#![allow(unsafe_code)]

use std::ffi::CString;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::fd::RawFd;

/// Flags for every stream send: MSG_NOSIGNAL where it exists, so a closed peer gives EPIPE instead
/// of SIGPIPE. Apple systems have no such flag; their sockets get SO_NOSIGPIPE ([`no_sigpipe`]).
#[cfg(not(any(target_os = "macos", target_os = "ios")))]
pub const SEND_FLAGS: i32 = libc::MSG_NOSIGNAL;
#[cfg(any(target_os = "macos", target_os = "ios"))]
pub const SEND_FLAGS: i32 = 0;

/// Suppresses SIGPIPE on a socket where the OS needs a socket option for it (Apple); elsewhere
/// [`SEND_FLAGS`] does it per call.
pub fn no_sigpipe(s: &socket2::Socket) -> io::Result<()> {
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    return s.set_nosigpipe(true);
    #[cfg(not(any(target_os = "macos", target_os = "ios")))]
    {
        let _ = s;
        Ok(())
    }
}

/// Readable (`POLLIN`).
pub const POLL_IN: i16 = libc::POLLIN;
/// Writable (`POLLOUT`).
pub const POLL_OUT: i16 = libc::POLLOUT;
/// Error condition (`POLLERR`), reported whatever was asked.
pub const POLL_ERR: i16 = libc::POLLERR;
/// Hang-up (`POLLHUP`).
pub const POLL_HUP: i16 = libc::POLLHUP;
/// Invalid descriptor (`POLLNVAL`).
pub const POLL_NVAL: i16 = libc::POLLNVAL;

/// `poll(2)` on one descriptor. Returns the `revents` (0 on timeout). `timeout_ms < 0` waits
/// forever. EINTR is retried.
pub fn poll_fd(fd: RawFd, events: i16, timeout_ms: i32) -> io::Result<i16> {
    let mut pfd = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    loop {
        // SAFETY: `pfd` is a valid, writable pollfd and we pass a count of exactly 1.
        let r = unsafe { libc::poll(&mut pfd, 1, timeout_ms) };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        return Ok(if r == 0 { 0 } else { pfd.revents });
    }
}

/// Bytes waiting in the socket's receive queue (`ioctl(FIONREAD)`).
pub fn bytes_available(fd: RawFd) -> io::Result<i32> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int through the pointer, which points to a live local.
    let r = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n as *mut libc::c_int) };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n)
    }
}

/// The OS index of the interface called `name`, if it exists.
pub fn interface_index(name: &str) -> Option<u32> {
    let c = CString::new(name).ok()?;
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    let idx = unsafe { libc::if_nametoindex(c.as_ptr()) };
    (idx != 0).then_some(idx)
}

/// The first IPv4 address of the interface called `name` (what the engine uses for IPv4 multicast
/// membership), if any.
pub fn interface_first_ipv4(name: &str) -> Option<Ipv4Addr> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a list head through the pointer; on success we free it below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return None;
    }
    let mut found = None;
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, not yet freed.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        if ifa.ifa_name.is_null() || ifa.ifa_addr.is_null() {
            continue;
        }
        // SAFETY: ifa_name is a NUL-terminated string owned by the list.
        let n = unsafe { std::ffi::CStr::from_ptr(ifa.ifa_name) };
        if n.to_bytes() != name.as_bytes() {
            continue;
        }
        // SAFETY: ifa_addr is non-NULL and points to a sockaddr owned by the list.
        let family = unsafe { (*ifa.ifa_addr).sa_family };
        if i32::from(family) == libc::AF_INET {
            // SAFETY: the family says this sockaddr is a sockaddr_in.
            let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
            found = Some(Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr)));
            break;
        }
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    found
}

/// Every address of every interface that is up (IPv4 and IPv6, loopback included), in the order
/// getifaddrs lists them, without duplicates. Empty when the OS refuses the query.
pub fn interface_addresses() -> Vec<std::net::IpAddr> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a list head through the pointer; on success we free it below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, not yet freed.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        if ifa.ifa_addr.is_null() || ifa.ifa_flags & (libc::IFF_UP as u32) == 0 {
            continue;
        }
        // SAFETY: ifa_addr is non-NULL and points to a sockaddr owned by the list.
        let family = i32::from(unsafe { (*ifa.ifa_addr).sa_family });
        let ip = if family == libc::AF_INET {
            // SAFETY: the family says this sockaddr is a sockaddr_in.
            let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
            std::net::IpAddr::V4(Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr)))
        } else if family == libc::AF_INET6 {
            // SAFETY: the family says this sockaddr is a sockaddr_in6.
            let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
            std::net::IpAddr::V6(std::net::Ipv6Addr::from(sin6.sin6_addr.s6_addr))
        } else {
            continue;
        };
        if !out.contains(&ip) {
            out.push(ip);
        }
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    out
}

/// One datagram received by [`recv_batch`].
#[derive(Debug, Clone, Copy)]
pub struct RecvMeta {
    /// Bytes stored in the slot.
    pub len: usize,
    /// The datagram was longer than its slot and was cut.
    pub truncated: bool,
    /// Sender (None on a connected socket where the OS gives none).
    pub addr: Option<SocketAddr>,
}

/// Most datagrams moved by one sendmmsg/recvmmsg call.
pub const BATCH_MAX: usize = 64;

/// Sends each of `packets` as one datagram (to `dest`, or to the connected peer when `dest` is
/// None) with as few system calls as the OS allows (sendmmsg on Linux). Returns how many were
/// sent; stops at the first one that would block or fails (an error is returned only when none
/// was sent).
pub fn send_batch(fd: RawFd, packets: &[&[u8]], dest: Option<&SocketAddr>) -> io::Result<usize> {
    let dest = dest.map(|d| socket2::SockAddr::from(*d));
    let mut total = 0;
    while total < packets.len() {
        let chunk = &packets[total..packets.len().min(total + BATCH_MAX)];
        let n = send_chunk(fd, chunk, dest.as_ref());
        match n {
            Ok(n) => {
                total += n;
                if n < chunk.len() {
                    break;
                }
            }
            Err(e) => {
                if total == 0 {
                    return Err(e);
                }
                break;
            }
        }
    }
    Ok(total)
}

#[cfg(target_os = "linux")]
fn send_chunk(fd: RawFd, chunk: &[&[u8]], dest: Option<&socket2::SockAddr>) -> io::Result<usize> {
    use std::mem::MaybeUninit;
    let n = chunk.len().min(BATCH_MAX);
    // Only the first `n` entries are initialised and passed to the kernel (no 64-entry zeroing
    // per call: this runs once per batch on the hot path).
    let mut iov = [MaybeUninit::<libc::iovec>::uninit(); BATCH_MAX];
    let mut msgs = [const { MaybeUninit::<libc::mmsghdr>::uninit() }; BATCH_MAX];
    for i in 0..n {
        iov[i].write(libc::iovec {
            iov_base: chunk[i].as_ptr() as *mut libc::c_void,
            iov_len: chunk[i].len(),
        });
        // SAFETY: mmsghdr is plain old data; all-zero is a valid (empty) value.
        let mut m: libc::mmsghdr = unsafe { std::mem::zeroed() };
        m.msg_hdr.msg_iov = iov[i].as_mut_ptr();
        m.msg_hdr.msg_iovlen = 1;
        if let Some(d) = dest {
            m.msg_hdr.msg_name = d.as_ptr() as *mut libc::c_void;
            m.msg_hdr.msg_namelen = d.len();
        }
        msgs[i].write(m);
    }
    loop {
        // SAFETY: `msgs[..n]` are initialised and point to iovecs and an address that live until
        // the call returns; the kernel only reads the payloads (iov_base is *mut only by type).
        let r = unsafe {
            libc::sendmmsg(
                fd,
                msgs.as_mut_ptr() as *mut libc::mmsghdr,
                n as libc::c_uint,
                libc::MSG_NOSIGNAL,
            )
        };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        return Ok(r as usize);
    }
}

#[cfg(not(target_os = "linux"))]
fn send_chunk(fd: RawFd, chunk: &[&[u8]], dest: Option<&socket2::SockAddr>) -> io::Result<usize> {
    use std::os::fd::BorrowedFd;
    // SAFETY: the caller owns `fd` for the duration of this call.
    let bfd = unsafe { BorrowedFd::borrow_raw(fd) };
    let s = socket2::SockRef::from(&bfd);
    let mut sent = 0;
    for p in chunk {
        let r = match dest {
            Some(d) => s.send_to(p, d),
            None => s.send(p),
        };
        match r {
            Ok(_) => sent += 1,
            Err(e) if sent == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(sent)
}

/// Receives up to `slots.len()` datagrams, one per slot, without blocking (recvmmsg on Linux).
/// Fills `meta` for each and returns the count; a would-block with nothing received is returned
/// as the `WouldBlock` error.
pub fn recv_batch(fd: RawFd, slots: &mut [&mut [u8]], meta: &mut [RecvMeta]) -> io::Result<usize> {
    let n = slots.len().min(meta.len()).min(BATCH_MAX);
    recv_chunk(fd, &mut slots[..n], &mut meta[..n])
}

#[cfg(target_os = "linux")]
fn recv_chunk(fd: RawFd, slots: &mut [&mut [u8]], meta: &mut [RecvMeta]) -> io::Result<usize> {
    use std::mem::MaybeUninit;
    let n = slots.len();
    // Only the first `n` entries are initialised (see send_chunk); addresses are written by the
    // kernel and read back only for received messages.
    let mut iov = [MaybeUninit::<libc::iovec>::uninit(); BATCH_MAX];
    let mut names = [const { MaybeUninit::<libc::sockaddr_storage>::uninit() }; BATCH_MAX];
    let mut msgs = [const { MaybeUninit::<libc::mmsghdr>::uninit() }; BATCH_MAX];
    for i in 0..n {
        iov[i].write(libc::iovec {
            iov_base: slots[i].as_mut_ptr() as *mut libc::c_void,
            iov_len: slots[i].len(),
        });
        // SAFETY: mmsghdr is plain old data; all-zero is a valid (empty) value.
        let mut m: libc::mmsghdr = unsafe { std::mem::zeroed() };
        m.msg_hdr.msg_iov = iov[i].as_mut_ptr();
        m.msg_hdr.msg_iovlen = 1;
        // SAFETY: sockaddr_storage is plain old data; zeroed so every byte is initialised even
        // where the kernel writes a shorter address.
        names[i].write(unsafe { std::mem::zeroed() });
        m.msg_hdr.msg_name = names[i].as_mut_ptr() as *mut libc::c_void;
        m.msg_hdr.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        msgs[i].write(m);
    }
    let got = loop {
        // SAFETY: `msgs[..n]` are initialised; each points to a writable slot (exclusively
        // borrowed) and a writable sockaddr_storage, all alive until the call returns;
        // MSG_DONTWAIT never blocks; no timeout pointer.
        let r = unsafe {
            libc::recvmmsg(
                fd,
                msgs.as_mut_ptr() as *mut libc::mmsghdr,
                n as libc::c_uint,
                libc::MSG_DONTWAIT,
                std::ptr::null_mut(),
            )
        };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        break (r as usize).min(n);
    };
    for i in 0..got {
        // SAFETY: entries below `n` were initialised above; the kernel updated them in place.
        let m = unsafe { msgs[i].assume_init_ref() };
        let addr = if m.msg_hdr.msg_namelen == 0 {
            None
        } else {
            // SAFETY: names[i] (i < n) was zero-initialised above and the kernel wrote the address
            // into it.
            storage_to_addr(unsafe { names[i].assume_init_ref() })
        };
        meta[i] = RecvMeta {
            len: (m.msg_len as usize).min(slots[i].len()),
            truncated: m.msg_hdr.msg_flags & libc::MSG_TRUNC != 0,
            addr,
        };
    }
    Ok(got)
}

/// A sockaddr_storage the kernel filled, as a Rust address (IPv4 / IPv6 only).
#[cfg(target_os = "linux")]
fn storage_to_addr(st: &libc::sockaddr_storage) -> Option<SocketAddr> {
    use std::net::{Ipv6Addr, SocketAddrV4, SocketAddrV6};
    match i32::from(st.ss_family) {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in, which it is large enough for.
            let sin =
                unsafe { &*(st as *const libc::sockaddr_storage as *const libc::sockaddr_in) };
            Some(SocketAddr::V4(SocketAddrV4::new(
                Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr)),
                u16::from_be(sin.sin_port),
            )))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6, which it is large enough for.
            let sin6 =
                unsafe { &*(st as *const libc::sockaddr_storage as *const libc::sockaddr_in6) };
            Some(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(sin6.sin6_addr.s6_addr),
                u16::from_be(sin6.sin6_port),
                sin6.sin6_flowinfo,
                sin6.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

#[cfg(not(target_os = "linux"))]
fn recv_chunk(fd: RawFd, slots: &mut [&mut [u8]], meta: &mut [RecvMeta]) -> io::Result<usize> {
    use std::os::fd::BorrowedFd;
    // SAFETY: the caller owns `fd` for the duration of this call.
    let bfd = unsafe { BorrowedFd::borrow_raw(fd) };
    let s = socket2::SockRef::from(&bfd);
    let mut got = 0;
    for (slot, m) in slots.iter_mut().zip(meta.iter_mut()) {
        // SAFETY: recv_from never writes uninitialised bytes into the buffer, so viewing the
        // initialised slot as MaybeUninit for the call is sound.
        let buf = unsafe { &mut *(&mut **slot as *mut [u8] as *mut [std::mem::MaybeUninit<u8>]) };
        match s.recv_from(buf) {
            Ok((len, a)) => {
                *m = RecvMeta {
                    len,
                    truncated: false,
                    addr: a.as_socket(),
                };
                got += 1;
            }
            Err(e) if got == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(got)
}

/// Cheap "is there anything to read?" check for stream sockets: a per-thread, level-triggered epoll
/// set holding the sockets this thread has asked about. `epoll_wait` with a zero timeout on a set whose
/// ready list is empty costs little more than a bare system call (about half an empty `recv` on
/// Linux), because the kernel fills the ready list from the sockets' own wake-ups (data, FIN, error)
/// and only looks at the sockets on it. One descriptor per thread that probes, none per socket.
#[cfg(any(target_os = "linux", target_os = "android"))]
mod readiness {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
    use std::sync::atomic::{AtomicU64, Ordering};

    struct ThreadSet {
        ep: OwnedFd,
        /// Unique for the life of the process (a descriptor number is not), so a socket remembers in
        /// which set it is registered.
        id: u64,
    }

    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    /// Events read per probe; a full batch without the asked socket counts as "unknown".
    const BATCH: usize = 16;

    thread_local! {
        static SET: Option<ThreadSet> = {
            // SAFETY: plain system call with a flag argument; the result is checked.
            let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
            // SAFETY: a fresh descriptor that nothing else owns.
            (fd >= 0).then(|| ThreadSet { ep: unsafe { OwnedFd::from_raw_fd(fd) }, id: NEXT_ID.fetch_add(1, Ordering::Relaxed) })
        };
    }

    pub fn readable(fd: RawFd, registered_in: &mut u64) -> Option<bool> {
        SET.try_with(|set| {
            let set = set.as_ref()?;
            let ep = set.ep.as_raw_fd();
            if *registered_in != set.id {
                let mut ev = libc::epoll_event {
                    events: (libc::EPOLLIN | libc::EPOLLRDHUP) as u32,
                    u64: fd as u64,
                };
                // SAFETY: `ep` and `fd` are open descriptors; `ev` is a valid epoll_event read by the call.
                let r = unsafe { libc::epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, &mut ev) };
                if r != 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EEXIST) {
                    return None;
                }
                *registered_in = set.id;
            }
            let mut evs = [libc::epoll_event { events: 0, u64: 0 }; BATCH];
            // SAFETY: `evs` has room for BATCH events; zero timeout, so the call never blocks.
            let n = unsafe { libc::epoll_wait(ep, evs.as_mut_ptr(), BATCH as i32, 0) };
            if n < 0 {
                return None;
            }
            let n = n as usize;
            let hit = evs[..n.min(BATCH)].iter().any(|e| {
                let data = e.u64;
                data == fd as u64
            });
            if hit {
                Some(true)
            } else if n >= BATCH {
                None
            } else {
                Some(false)
            }
        })
        .ok()
        .flatten()
    }
}

/// Whether the connected stream socket `fd` has data, an end of stream or an error waiting:
/// `Some(false)` means a non-blocking `recv` would now find nothing (would block); `Some(true)` that it
/// would return something; `None` that this could not be told cheaply (ask the socket). The socket is
/// added to the calling thread's probe set once; `registered_in` remembers that set (start at 0 for a
/// new socket). Closing the socket removes it from every set.
pub fn stream_readable(fd: RawFd, registered_in: &mut u64) -> Option<bool> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    return readiness::readable(fd, registered_in);
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (fd, registered_in);
        None
    }
}

/// Asks the OS to report ICMP errors (port unreachable, host unreachable...) on an *unconnected*
/// UDP socket: Linux `IP_RECVERR`, plus `IPV6_RECVERR` on an IPv6 socket (whose IPv4-mapped
/// destinations need both). Without it an unconnected socket never hears that a destination
/// refused a datagram. Nothing sent changes. Once on, every report waits in the socket's error
/// queue (charged to its receive buffer) until [`take_socket_error`] reads it, so whoever turns this
/// on must drain the queue whenever a receive fails. Elsewhere than Linux: `Unsupported`.
pub fn enable_icmp_errors(fd: RawFd, ipv6: bool) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let on: libc::c_int = 1;
        let mut opts = vec![(libc::IPPROTO_IP, libc::IP_RECVERR)];
        if ipv6 {
            opts.push((libc::IPPROTO_IPV6, libc::IPV6_RECVERR));
        }
        for (level, name) in opts {
            // SAFETY: `on` is a live c_int and the length passed is its size.
            let r = unsafe {
                libc::setsockopt(
                    fd,
                    level,
                    name,
                    &on as *const libc::c_int as *const libc::c_void,
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
            if r < 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (fd, ipv6);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// One ICMP error the OS reported on a socket with [`enable_icmp_errors`]: the destination of the
/// datagram that was refused and the error (`ECONNREFUSED` for port unreachable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketErrorReport {
    pub destination: SocketAddr,
    /// The OS error number (`libc::ECONNREFUSED`...).
    pub errno: i32,
}

/// Takes the oldest report from the socket's error queue (`recvmsg(MSG_ERRQUEUE)`, never blocks):
/// `Ok(None)` when the queue is empty. Reports without an address are skipped.
pub fn take_socket_error(fd: RawFd) -> io::Result<Option<SocketErrorReport>> {
    #[cfg(target_os = "linux")]
    loop {
        // Room for the original datagram's head (not used) and one extended-error message with
        // its offender address.
        let mut data = [0u8; 64];
        let mut control = [0u64; 32];
        // SAFETY: sockaddr_storage and msghdr are plain old data; all-zero is a valid value.
        let mut name: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        let mut iov = libc::iovec {
            iov_base: data.as_mut_ptr() as *mut libc::c_void,
            iov_len: data.len(),
        };
        // SAFETY: as above.
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_name = &mut name as *mut libc::sockaddr_storage as *mut libc::c_void;
        msg.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr() as *mut libc::c_void;
        msg.msg_controllen = std::mem::size_of_val(&control) as _;
        // SAFETY: every pointer in `msg` points to a live local of the length given.
        let r = unsafe { libc::recvmsg(fd, &mut msg, libc::MSG_ERRQUEUE | libc::MSG_DONTWAIT) };
        if r < 0 {
            let e = io::Error::last_os_error();
            return match e.kind() {
                io::ErrorKind::WouldBlock => Ok(None),
                io::ErrorKind::Interrupted => continue,
                _ => Err(e),
            };
        }
        let mut errno = None;
        // SAFETY: `msg` was filled by recvmsg; the CMSG macros walk only within msg_controllen.
        let mut cmsg = unsafe { libc::CMSG_FIRSTHDR(&msg) };
        while !cmsg.is_null() {
            // SAFETY: `cmsg` is non-null and inside the control buffer (CMSG_FIRSTHDR/NXTHDR).
            let c = unsafe { &*cmsg };
            let is_err = (c.cmsg_level == libc::IPPROTO_IP && c.cmsg_type == libc::IP_RECVERR)
                || (c.cmsg_level == libc::IPPROTO_IPV6 && c.cmsg_type == libc::IPV6_RECVERR);
            let need = std::mem::size_of::<libc::sock_extended_err>();
            // SAFETY: as above.
            let payload = unsafe { libc::CMSG_LEN(0) } as usize;
            if is_err && c.cmsg_len as usize >= payload + need {
                // SAFETY: the message is long enough for a sock_extended_err, which the kernel
                // wrote at CMSG_DATA; read_unaligned because the control buffer promises no
                // alignment for the payload.
                let ee = unsafe {
                    std::ptr::read_unaligned(libc::CMSG_DATA(cmsg) as *const libc::sock_extended_err)
                };
                errno = Some(ee.ee_errno as i32);
            }
            // SAFETY: `msg` and `cmsg` come from the calls above.
            cmsg = unsafe { libc::CMSG_NXTHDR(&msg, cmsg) };
        }
        match (errno, storage_to_addr(&name)) {
            (Some(errno), Some(destination)) => {
                return Ok(Some(SocketErrorReport { destination, errno }))
            }
            // Not an ICMP report (or no address): look at the next one.
            _ => continue,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = fd;
        Ok(None)
    }
}
