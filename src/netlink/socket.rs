//! The netlink transport: a NETLINK_NETFILTER socket, and the loop that
//! sends a request and collects the kernel's replies up to the final
//! acknowledgement or end of dump.
//!
//! This is the part of libnfnetlink (`nfnl_open`, `nfnl_rcvbufsiz`,
//! `nfnl_query`, `nfnl_catch`) and libmnl (`mnl_socket_*`, `mnl_cb_run`)
//! that upstream's src/main.c and src/conntrack/api.c rely on. Messages are
//! handed over as raw bytes; decoding them is the parsers' job.
//!
//! All I/O goes through [`Transport`], so the request loop can be tested
//! against a fake kernel.
//!
//! The only `unsafe` code is in `recv_from`: nix has no `recvfrom` that
//! takes flags.
#![deny(unsafe_code)]

use std::mem::{size_of, MaybeUninit};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::time::{SystemTime, UNIX_EPOCH};

use nix::errno::Errno;
use nix::sys::socket::{
    bind, getsockname, getsockopt, send, setsockopt, socket, sockopt, AddressFamily, MsgFlags,
    NetlinkAddr, SockFlag, SockProtocol, SockType,
};
use nix::{setsockopt_impl, sockopt_impl};

use super::attr::align;
use super::message::NLMSG_HDRLEN;
use crate::{Error, Result};

/// Something that carries whole netlink datagrams to and from the kernel.
pub trait Transport {
    /// Sends one datagram holding one or more netlink messages; returns the
    /// number of bytes sent.
    fn send(&mut self, msg: &[u8]) -> Result<usize>;

    /// Receives one datagram into `buf` and returns its length. A datagram
    /// longer than `buf` is an error (`NoSpace`), not a short read.
    fn recv(&mut self, buf: &mut [u8]) -> Result<usize>;
}

/// What the request loop does after handing a message to the callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next message.
    Continue,
    /// Deliver no more messages and return success.
    Stop,
}

/// Receive buffer used for requests that are not dumps (libmnl's
/// `MNL_SOCKET_BUFFER_SIZE` on machines with 4 KiB pages).
pub const DEFAULT_BUFFER_SIZE: usize = 8192;
/// Receive buffer used for dumps: the kernel fills up to 32 KiB per read
/// when the reader offers that much (`MNL_SOCKET_DUMP_SIZE`).
pub const DUMP_BUFFER_SIZE: usize = 32768;

fn u32_at(b: &[u8], off: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(off..off + 4) {
        w.copy_from_slice(s);
    }
    u32::from_ne_bytes(w)
}

fn u16_at(b: &[u8], off: usize) -> u16 {
    let mut w = [0u8; 2];
    if let Some(s) = b.get(off..off + 2) {
        w.copy_from_slice(s);
    }
    u16::from_ne_bytes(w)
}

/// A netlink message header (`struct nlmsghdr`), host byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub len: u32,
    pub kind: u16,
    pub flags: u16,
    pub seq: u32,
    pub portid: u32,
}

impl Header {
    /// Reads the header at the start of `b`; `None` if `b` is shorter than one.
    pub fn parse(b: &[u8]) -> Option<Header> {
        if b.len() < NLMSG_HDRLEN {
            return None;
        }
        Some(Header {
            len: u32_at(b, 0),
            kind: u16_at(b, 4),
            flags: u16_at(b, 6),
            seq: u32_at(b, 8),
            portid: u32_at(b, 12),
        })
    }

    /// Writes this header over the first [`NLMSG_HDRLEN`] bytes of `b`.
    pub fn write(&self, b: &mut [u8]) -> Result<()> {
        let b = b.get_mut(..NLMSG_HDRLEN).ok_or(Error::NoSpace)?;
        b[0..4].copy_from_slice(&self.len.to_ne_bytes());
        b[4..6].copy_from_slice(&self.kind.to_ne_bytes());
        b[6..8].copy_from_slice(&self.flags.to_ne_bytes());
        b[8..12].copy_from_slice(&self.seq.to_ne_bytes());
        b[12..16].copy_from_slice(&self.portid.to_ne_bytes());
        Ok(())
    }
}

/// The messages of one datagram, each as its header and its whole bytes
/// (header included). A message whose length is shorter than a header or
/// runs past the datagram yields `Malformed` and ends the walk; fewer
/// trailing bytes than a header are padding and ignored.
pub struct Messages<'a> {
    rest: &'a [u8],
}

/// Walks the netlink messages in `datagram`.
pub fn messages(datagram: &[u8]) -> Messages<'_> {
    Messages { rest: datagram }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<(Header, &'a [u8])>;

    fn next(&mut self) -> Option<Self::Item> {
        let h = Header::parse(self.rest)?;
        let len = h.len as usize;
        if len < NLMSG_HDRLEN || len > self.rest.len() {
            self.rest = &[];
            return Some(Err(Error::Malformed));
        }
        let (msg, _) = self.rest.split_at(len);
        self.rest = self.rest.get(align(len)..).unwrap_or(&[]);
        Some(Ok((h, msg)))
    }
}

/// How one reply message ends (or not) the exchange.
enum Step {
    Deliver,
    Skip,
    Done,
}

/// Classifies a reply: acknowledgements, errors and end-of-dump end the
/// exchange; control messages are skipped; the rest goes to the caller.
fn classify(h: &Header, msg: &[u8]) -> Result<Step> {
    let kind = i32::from(h.kind);
    if kind == libc::NLMSG_ERROR {
        // struct nlmsgerr: the error code, then the offending header.
        if msg.len() < NLMSG_HDRLEN + 4 {
            return Err(Error::Malformed);
        }
        return match u32_at(msg, NLMSG_HDRLEN) as i32 {
            0 => Ok(Step::Done),
            c => Err(Error::Os(c.saturating_abs())),
        };
    }
    if kind == libc::NLMSG_DONE {
        // A dump that failed half-way reports its error here.
        let code = if msg.len() >= NLMSG_HDRLEN + 4 {
            u32_at(msg, NLMSG_HDRLEN) as i32
        } else {
            0
        };
        return match code {
            0 => Ok(Step::Done),
            c => Err(Error::Os(c.saturating_abs())),
        };
    }
    if kind < libc::NLMSG_MIN_TYPE {
        // NLMSG_NOOP, NLMSG_OVERRUN and reserved control types.
        return Ok(Step::Skip);
    }
    Ok(Step::Deliver)
}

/// Sends `msg` over `t` and reads the replies into `buf` until the
/// acknowledgement (`NLMSG_ERROR` with code 0), the end of a dump
/// (`NLMSG_DONE`), an error, or `on_message` returning [`Flow::Stop`].
///
/// Every data message whose sequence number is that of `msg` and whose port
/// id is `portid` (any, when `portid` is 0) is passed to `on_message` as raw
/// bytes, header included. Other messages (events, stale replies) are
/// skipped. An `NLMSG_ERROR` with a negative code becomes
/// `Error::Os(-code)`; errors of the transport and of `on_message` are
/// returned as they are. When `on_message` stops or fails during a dump
/// (`NLM_F_DUMP`), the rest of the dump is still read, and dropped, so that
/// the socket is ready for the next request. `NLM_F_DUMP_INTR` (the table
/// changed during the dump) is not reported.
pub fn exchange<T, F>(
    t: &mut T,
    msg: &[u8],
    portid: u32,
    buf: &mut [u8],
    mut on_message: F,
) -> Result<()>
where
    T: Transport + ?Sized,
    F: FnMut(&[u8]) -> Result<Flow>,
{
    let req = Header::parse(msg).ok_or(Error::Malformed)?;
    let dump = i32::from(req.flags) & libc::NLM_F_DUMP == libc::NLM_F_DUMP;
    let sent = t.send(msg)?;
    if sent != msg.len() {
        return Err(Error::Os(libc::EMSGSIZE));
    }
    // Set once the callback has ended the exchange early.
    let mut early: Option<Result<()>> = None;
    loop {
        let n = match t.recv(buf) {
            Ok(n) => n,
            Err(e) => return early.unwrap_or(Err(e)),
        };
        let datagram = buf.get(..n).ok_or(Error::Malformed)?;
        for item in messages(datagram) {
            let (h, m) = match item {
                Ok(x) => x,
                Err(e) => return early.unwrap_or(Err(e)),
            };
            if h.seq != req.seq || (portid != 0 && h.portid != portid) {
                continue;
            }
            let step = classify(&h, m);
            if let Some(r) = early {
                // Draining: only the end of the dump matters.
                match step {
                    Ok(Step::Deliver | Step::Skip) => {
                        early = Some(r);
                        continue;
                    }
                    Ok(Step::Done) | Err(_) => return r,
                }
            }
            match step? {
                Step::Skip => {}
                Step::Done => return Ok(()),
                Step::Deliver => {
                    let r = match on_message(m) {
                        Ok(Flow::Continue) => continue,
                        Ok(Flow::Stop) => Ok(()),
                        Err(e) => Err(e),
                    };
                    // The kernel runs one dump per socket at a time and
                    // holds the next one back (EBUSY) until this one is
                    // read to its end: read and drop the rest.
                    if !dump {
                        return r;
                    }
                    early = Some(r);
                }
            }
        }
    }
}

fn os(e: Errno) -> Error {
    Error::Os(e as i32)
}

// nix names no option for these two netlink flags; its own macro for
// defining socket options supplies the setsockopt call.
sockopt_impl!(
    /// `NETLINK_BROADCAST_ERROR`: report failed event deliveries as errors.
    BroadcastError,
    SetOnly,
    libc::SOL_NETLINK,
    libc::NETLINK_BROADCAST_ERROR,
    bool
);

sockopt_impl!(
    /// `NETLINK_NO_ENOBUFS`: do not report receive buffer overruns.
    NoEnobufs,
    SetOnly,
    libc::SOL_NETLINK,
    libc::NETLINK_NO_ENOBUFS,
    bool
);

sockopt_impl!(
    /// `NETLINK_EXT_ACK`: errors carry the kernel's extended-ack attributes.
    ExtAck,
    SetOnly,
    libc::SOL_NETLINK,
    libc::NETLINK_EXT_ACK,
    bool
);

sockopt_impl!(
    /// `NETLINK_CAP_ACK`: errors do not echo the request's payload.
    CapAck,
    SetOnly,
    libc::SOL_NETLINK,
    libc::NETLINK_CAP_ACK,
    bool
);

// nix has no option for socket filters; its macro supplies the
// setsockopt call, which passes the `struct sock_fprog` by pointer.
sockopt_impl!(
    /// `SO_ATTACH_FILTER`: attach a classic BPF program.
    AttachFilter,
    SetOnly,
    libc::SOL_SOCKET,
    libc::SO_ATTACH_FILTER,
    libc::sock_fprog
);

sockopt_impl!(
    /// `SO_DETACH_FILTER`: remove the attached program.
    DetachFilter,
    SetOnly,
    libc::SOL_SOCKET,
    libc::SO_DETACH_FILTER,
    libc::c_int
);

/// A bound NETLINK_NETFILTER socket, with its sequence counter and the
/// buffer the request loop reads into.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    portid: u32,
    groups: u32,
    seq: u32,
    buf: Vec<u8>,
    buf_size: usize,
}

impl Socket {
    /// Opens a NETLINK_NETFILTER socket (raw, close-on-exec) and binds it
    /// to the legacy multicast `groups` bitmask (the `NF_NETLINK_CONNTRACK_*`
    /// bits `nfct_open` takes; 0 for none). The kernel picks the port id.
    pub fn open(groups: u32) -> Result<Socket> {
        let fd = socket(
            AddressFamily::Netlink,
            SockType::Raw,
            SockFlag::SOCK_CLOEXEC,
            SockProtocol::NetlinkNetFilter,
        )
        .map_err(os)?;
        bind(fd.as_raw_fd(), &NetlinkAddr::new(0, groups)).map_err(os)?;
        let local: NetlinkAddr = getsockname(fd.as_raw_fd()).map_err(os)?;
        let seq = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as u32)
            .unwrap_or(1);
        Ok(Socket {
            fd,
            portid: local.pid(),
            groups: local.groups(),
            seq,
            buf: Vec::new(),
            buf_size: DEFAULT_BUFFER_SIZE,
        })
    }

    /// The port id the kernel gave this socket.
    pub fn portid(&self) -> u32 {
        self.portid
    }

    /// The multicast groups the socket is bound to.
    pub fn groups(&self) -> u32 {
        self.groups
    }

    /// The file descriptor, for polling.
    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Sets the size of the buffer [`Socket::request`] reads replies into
    /// (dumps use at least [`DUMP_BUFFER_SIZE`]).
    pub fn set_buffer_size(&mut self, size: usize) {
        self.buf_size = size.max(NLMSG_HDRLEN);
    }

    /// Sets the kernel receive buffer to `size` bytes, as libnfnetlink's
    /// `nfnl_rcvbufsiz`: `SO_RCVBUFFORCE` first (exceeds the system maximum
    /// when privileged), plain `SO_RCVBUF` if that is refused. Returns the
    /// size the kernel then reports (it doubles what it was given).
    pub fn set_rcvbuf(&self, size: usize) -> Result<usize> {
        if setsockopt(&self.fd, sockopt::RcvBufForce, &size).is_err() {
            setsockopt(&self.fd, sockopt::RcvBuf, &size).map_err(os)?;
        }
        self.rcvbuf()
    }

    /// The kernel receive buffer size (`SO_RCVBUF`).
    pub fn rcvbuf(&self) -> Result<usize> {
        getsockopt(&self.fd, sockopt::RcvBuf).map_err(os)
    }

    /// Turns `NETLINK_BROADCAST_ERROR` on or off.
    pub fn set_broadcast_error(&self, on: bool) -> Result<()> {
        setsockopt(&self.fd, BroadcastError, &on).map_err(os)
    }

    /// Turns `NETLINK_NO_ENOBUFS` on or off.
    pub fn set_no_enobufs(&self, on: bool) -> Result<()> {
        setsockopt(&self.fd, NoEnobufs, &on).map_err(os)
    }

    /// Turns `NETLINK_EXT_ACK` and `NETLINK_CAP_ACK` on or off: error
    /// messages then carry the kernel's extended-ack attributes
    /// (`NLM_F_ACK_TLVS`) after the request's header only (`NLM_F_CAPPED`).
    pub fn set_ext_ack(&self, on: bool) -> Result<()> {
        setsockopt(&self.fd, ExtAck, &on).map_err(os)?;
        setsockopt(&self.fd, CapAck, &on).map_err(os)
    }

    /// Attaches the classic BPF program `prog` to the socket
    /// (`SO_ATTACH_FILTER`); the kernel copies it. An empty or too long
    /// program is `InvalidArgument`.
    pub fn attach_filter(&self, prog: &[crate::filter::bpf::Insn]) -> Result<()> {
        let mut code: Vec<libc::sock_filter> = prog
            .iter()
            .map(|i| libc::sock_filter {
                code: i.code,
                jt: i.jt,
                jf: i.jf,
                k: i.k,
            })
            .collect();
        let len = u16::try_from(code.len()).map_err(|_| Error::InvalidArgument)?;
        if len == 0 {
            return Err(Error::InvalidArgument);
        }
        // The pointer stays valid for the call: `code` lives to the end
        // of this function and the kernel copies the instructions.
        let fprog = libc::sock_fprog {
            len,
            filter: code.as_mut_ptr(),
        };
        setsockopt(&self.fd, AttachFilter, &fprog).map_err(os)
    }

    /// Removes the attached program (`SO_DETACH_FILTER`); `ENOENT` when
    /// there is none.
    pub fn detach_filter(&self) -> Result<()> {
        setsockopt(&self.fd, DetachFilter, &0).map_err(os)
    }

    /// The last sequence number handed out.
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// Advances and returns the sequence number for the next request.
    pub fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    /// Sends the request `msg` and passes its replies to `on_message` (see
    /// [`exchange`]). The header of `msg` gets the next sequence number and,
    /// unless it asks for a dump (`NLM_F_DUMP`), `NLM_F_ACK`, so that the
    /// kernel always ends the exchange.
    pub fn request<F>(&mut self, msg: &mut [u8], on_message: F) -> Result<()>
    where
        F: FnMut(&[u8]) -> Result<Flow>,
    {
        let mut h = Header::parse(msg).ok_or(Error::Malformed)?;
        let dump = i32::from(h.flags) & libc::NLM_F_DUMP == libc::NLM_F_DUMP;
        if !dump {
            h.flags |= libc::NLM_F_ACK as u16;
        }
        h.seq = self.next_seq();
        h.write(msg)?;
        let size = if dump {
            self.buf_size.max(DUMP_BUFFER_SIZE)
        } else {
            self.buf_size
        };
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(size, 0);
        let portid = self.portid;
        let r = exchange(self, msg, portid, &mut buf, on_message);
        self.buf = buf;
        r
    }
}

impl Transport for Socket {
    fn send(&mut self, msg: &[u8]) -> Result<usize> {
        loop {
            match send(self.fd.as_raw_fd(), msg, MsgFlags::empty()) {
                Err(Errno::EINTR) => continue,
                r => return r.map_err(os),
            }
        }
    }

    fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
        recv_datagram(self.fd.as_raw_fd(), buf)
    }
}

/// Reads one datagram from the netlink socket `fd` into `buf`. An
/// interrupted read is retried, as libnfnetlink's `nfnl_catch` does; a
/// datagram longer than `buf` is [`Error::NoSpace`] (its tail is lost);
/// datagrams from anyone but the kernel (port id 0) are dropped, as
/// libnfnetlink drops them.
pub(crate) fn recv_datagram(fd: RawFd, buf: &mut [u8]) -> Result<usize> {
    loop {
        let (n, from) = match recv_from(fd, buf) {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(os(e)),
            Ok(r) => r,
        };
        if n > buf.len() {
            return Err(Error::NoSpace);
        }
        if from.is_some_and(|pid| pid != 0) {
            continue;
        }
        return Ok(n);
    }
}

/// recvfrom(2), the call libnfnetlink reads with, plus MSG_TRUNC: the
/// datagram's full length (more than `buf.len()` when it did not fit) and
/// the sender's port id. recvmsg(2) would give the same, but costs the
/// kernel about 10 % more per event datagram (it copies in a msghdr and
/// an iovec).
#[allow(unsafe_code)]
fn recv_from(fd: RawFd, buf: &mut [u8]) -> nix::Result<(usize, Option<u32>)> {
    let mut addr = MaybeUninit::<libc::sockaddr_nl>::zeroed();
    let mut len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes and `addr`
    // for `len` bytes, and the kernel writes no more than it is given
    // (MSG_TRUNC changes the value returned, not the bytes written); `len`
    // is a valid socklen_t the kernel updates.
    let r = unsafe {
        libc::recvfrom(
            fd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_TRUNC,
            addr.as_mut_ptr().cast(),
            &mut len,
        )
    };
    let n = Errno::result(r)?;
    // SAFETY: all-zero bytes are a valid sockaddr_nl (integers only), and
    // the kernel wrote at most a valid one over them.
    let addr = unsafe { addr.assume_init() };
    let full = len as usize >= size_of::<libc::sockaddr_nl>();
    let from = (full && i32::from(addr.nl_family) == libc::AF_NETLINK).then_some(addr.nl_pid);
    Ok((n as usize, from))
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::*;
    use std::collections::VecDeque;

    const PORT: u32 = 4242;

    /// A kernel that replays prepared datagrams and records what it got.
    #[derive(Default)]
    struct Fake {
        sent: Vec<Vec<u8>>,
        replies: VecDeque<Result<Vec<u8>>>,
    }

    impl Transport for Fake {
        fn send(&mut self, msg: &[u8]) -> Result<usize> {
            self.sent.push(msg.to_vec());
            Ok(msg.len())
        }
        fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
            match self.replies.pop_front() {
                // An exhausted fake would block forever: say so instead.
                None => Err(Error::Os(libc::EAGAIN)),
                Some(Err(e)) => Err(e),
                Some(Ok(d)) => {
                    let dst = buf.get_mut(..d.len()).ok_or(Error::NoSpace)?;
                    dst.copy_from_slice(&d);
                    Ok(d.len())
                }
            }
        }
    }

    fn msg(kind: u16, flags: u16, seq: u32, portid: u32, payload: &[u8]) -> Vec<u8> {
        let mut m = vec![0u8; NLMSG_HDRLEN];
        Header {
            len: (NLMSG_HDRLEN + payload.len()) as u32,
            kind,
            flags,
            seq,
            portid,
        }
        .write(&mut m)
        .unwrap();
        m.extend_from_slice(payload);
        m.resize(align(m.len()), 0);
        m
    }

    fn data(seq: u32, tag: u8) -> Vec<u8> {
        let kind = u16::from(NFNL_SUBSYS_CTNETLINK) << 8 | u16::from(IPCTNL_MSG_CT_NEW);
        msg(
            kind,
            libc::NLM_F_MULTI as u16,
            seq,
            PORT,
            &[2, 0, 0, 0, tag],
        )
    }

    fn done(seq: u32) -> Vec<u8> {
        msg(
            libc::NLMSG_DONE as u16,
            libc::NLM_F_MULTI as u16,
            seq,
            PORT,
            &0i32.to_ne_bytes(),
        )
    }

    fn err(seq: u32, code: i32) -> Vec<u8> {
        let mut p = code.to_ne_bytes().to_vec();
        p.extend_from_slice(&[0u8; NLMSG_HDRLEN]);
        msg(libc::NLMSG_ERROR as u16, 0, seq, PORT, &p)
    }

    fn request(seq: u32) -> Vec<u8> {
        let kind = u16::from(NFNL_SUBSYS_CTNETLINK) << 8 | u16::from(IPCTNL_MSG_CT_GET);
        let flags = (libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16;
        msg(kind, flags, seq, 0, &[2, 0, 0, 0])
    }

    /// Runs one exchange and returns the tags of the delivered messages.
    fn run(fake: &mut Fake, seq: u32) -> (Result<()>, Vec<u8>) {
        let mut tags = Vec::new();
        let mut buf = vec![0u8; DUMP_BUFFER_SIZE];
        let r = exchange(fake, &request(seq), PORT, &mut buf, |m| {
            tags.push(m[NLMSG_HDRLEN + 4]);
            Ok(Flow::Continue)
        });
        (r, tags)
    }

    #[test]
    fn header_round_trip() {
        let h = Header {
            len: 20,
            kind: 0x0101,
            flags: 0x0301,
            seq: 7,
            portid: 9,
        };
        let mut b = [0u8; 16];
        h.write(&mut b).unwrap();
        assert_eq!(Header::parse(&b), Some(h));
        assert_eq!(Header::parse(&b[..15]), None);
        assert_eq!(h.write(&mut [0u8; 15]), Err(Error::NoSpace));
    }

    #[test]
    fn multipart_over_several_datagrams() {
        let mut fake = Fake::default();
        let mut d1 = data(5, 1);
        d1.extend(data(5, 2));
        let mut d2 = data(5, 3);
        d2.extend(done(5));
        // Anything after the end is not read.
        d2.extend(data(5, 4));
        fake.replies.extend([Ok(d1), Ok(d2), Ok(data(5, 5))]);
        let (r, tags) = run(&mut fake, 5);
        assert_eq!(r, Ok(()));
        assert_eq!(tags, [1, 2, 3]);
        assert_eq!(fake.sent, [request(5)]);
        assert_eq!(fake.replies.len(), 1);
    }

    #[test]
    fn ack_ends_and_errors_become_os() {
        let mut fake = Fake::default();
        fake.replies.extend([Ok(data(6, 1)), Ok(err(6, 0))]);
        assert_eq!(run(&mut fake, 6), (Ok(()), vec![1]));

        fake.replies.push_back(Ok(err(7, -libc::ENOENT)));
        assert_eq!(run(&mut fake, 7), (Err(Error::Os(libc::ENOENT)), vec![]));

        // An error code that does not fit is malformed.
        let mut short = msg(libc::NLMSG_ERROR as u16, 0, 8, PORT, &[0, 0]);
        short.truncate(NLMSG_HDRLEN + 2);
        fake.replies.push_back(Ok(short));
        assert_eq!(run(&mut fake, 8).0, Err(Error::Malformed));

        // A dump that fails reports its error in NLMSG_DONE.
        let failed = msg(
            libc::NLMSG_DONE as u16,
            0,
            9,
            PORT,
            &(-libc::EBUSY).to_ne_bytes(),
        );
        fake.replies.extend([Ok(data(9, 1)), Ok(failed)]);
        assert_eq!(run(&mut fake, 9), (Err(Error::Os(libc::EBUSY)), vec![1]));

        // NLMSG_DONE without a payload ends cleanly.
        let bare = msg(libc::NLMSG_DONE as u16, 0, 10, PORT, &[]);
        fake.replies.push_back(Ok(bare));
        assert_eq!(run(&mut fake, 10), (Ok(()), vec![]));
    }

    #[test]
    fn foreign_messages_are_skipped() {
        let mut fake = Fake::default();
        let mut d = data(4, 9); // a stale reply to an earlier request
        d.extend(data(11, 1));
        d.extend(msg(0x0100, 0, 0, 0, &[2, 0, 0, 0, 8])); // an event
        let mut other_port = data(11, 7);
        other_port[12..16].copy_from_slice(&(PORT + 1).to_ne_bytes());
        d.extend(other_port);
        d.extend(err(4, -libc::EPERM)); // a stale error
        d.extend(msg(libc::NLMSG_NOOP as u16, 0, 11, PORT, &[]));
        d.extend(data(11, 2));
        d.extend(done(11));
        fake.replies.push_back(Ok(d));
        assert_eq!(run(&mut fake, 11), (Ok(()), vec![1, 2]));
    }

    #[test]
    fn truncated_datagrams_are_malformed() {
        let mut fake = Fake::default();
        let mut d = data(12, 1);
        let mut cut = data(12, 2);
        cut.truncate(NLMSG_HDRLEN + 2);
        d.extend(cut);
        fake.replies.push_back(Ok(d));
        assert_eq!(run(&mut fake, 12), (Err(Error::Malformed), vec![1]));

        // A length shorter than a header.
        let mut tiny = data(13, 1);
        tiny[0..4].copy_from_slice(&8u32.to_ne_bytes());
        fake.replies.push_back(Ok(tiny));
        assert_eq!(run(&mut fake, 13), (Err(Error::Malformed), vec![]));

        // Trailing bytes shorter than a header are padding; the walk then
        // waits for the next datagram.
        let mut padded = data(14, 1);
        padded.extend([0u8; 8]);
        fake.replies.extend([Ok(padded), Ok(done(14))]);
        assert_eq!(run(&mut fake, 14), (Ok(()), vec![1]));

        // Empty datagrams carry nothing.
        fake.replies.extend([Ok(Vec::new()), Ok(done(15))]);
        assert_eq!(run(&mut fake, 15), (Ok(()), vec![]));
    }

    #[test]
    fn transport_errors_and_callback_control() {
        let mut fake = Fake::default();
        fake.replies.push_back(Err(Error::Os(libc::ENOBUFS)));
        assert_eq!(run(&mut fake, 16).0, Err(Error::Os(libc::ENOBUFS)));

        // Too big for the buffer.
        fake.replies.push_back(Ok(data(17, 1)));
        let mut small = [0u8; 8];
        let r = exchange(&mut fake, &request(17), PORT, &mut small, |_| {
            Ok(Flow::Continue)
        });
        assert_eq!(r, Err(Error::NoSpace));

        // The callback stops early, or fails.
        fake.replies
            .push_back(Ok([data(18, 1), data(18, 2), done(18)].concat()));
        let mut seen = 0;
        let mut buf = vec![0u8; 4096];
        let r = exchange(&mut fake, &request(18), PORT, &mut buf, |_| {
            seen += 1;
            Ok(Flow::Stop)
        });
        assert_eq!((r, seen), (Ok(()), 1));
        fake.replies.push_back(Ok([data(19, 1), done(19)].concat()));
        let r = exchange(&mut fake, &request(19), PORT, &mut buf, |_| {
            Err(Error::Malformed)
        });
        assert_eq!(r, Err(Error::Malformed));

        // Port id 0 accepts replies to any port.
        fake.replies.push_back(Ok([data(20, 3), done(20)].concat()));
        let mut tags = Vec::new();
        let r = exchange(&mut fake, &request(20), 0, &mut buf, |m| {
            tags.push(m[NLMSG_HDRLEN + 4]);
            Ok(Flow::Continue)
        });
        assert_eq!((r, tags), (Ok(()), vec![3]));

        // A request too short to have a header is not sent.
        assert_eq!(
            exchange(&mut fake, &[0u8; 4], PORT, &mut buf, |_| Ok(Flow::Continue)),
            Err(Error::Malformed)
        );
    }

    #[test]
    fn stopping_a_dump_drains_it() {
        let mut fake = Fake::default();
        fake.replies.extend([
            Ok([data(21, 1), data(21, 2)].concat()),
            Ok([data(21, 3), done(21)].concat()),
            Ok(data(22, 9)),
        ]);
        let mut seen = 0;
        let mut buf = vec![0u8; 4096];
        let r = exchange(&mut fake, &request(21), PORT, &mut buf, |_| {
            seen += 1;
            Ok(Flow::Stop)
        });
        assert_eq!((r, seen), (Ok(()), 1));
        assert_eq!(fake.replies.len(), 1);

        // A failing callback: its error comes back after the drain, also
        // when the drain ends in an error of its own.
        fake.replies.clear();
        fake.replies
            .extend([Ok(data(23, 1)), Ok(err(23, -libc::EINTR))]);
        let r = exchange(&mut fake, &request(23), PORT, &mut buf, |_| {
            Err(Error::NoSpace)
        });
        assert_eq!(r, Err(Error::NoSpace));
        fake.replies.push_back(Ok(data(24, 1)));
        let r = exchange(&mut fake, &request(24), PORT, &mut buf, |_| Ok(Flow::Stop));
        assert_eq!(
            r,
            Ok(()),
            "a transport error while draining is not reported"
        );

        // Not a dump: stopping returns at once.
        let mut get = request(25);
        get[6..8].copy_from_slice(&((libc::NLM_F_REQUEST | libc::NLM_F_ACK) as u16).to_ne_bytes());
        fake.replies.extend([Ok(data(25, 1)), Ok(err(25, 0))]);
        let r = exchange(&mut fake, &get, PORT, &mut buf, |_| Ok(Flow::Stop));
        assert_eq!(r, Ok(()));
        assert_eq!(fake.replies.len(), 1);
    }

    /// Arbitrary datagrams, and well-formed ones with one byte changed:
    /// the walk and the loop return, and never panic.
    #[test]
    fn arbitrary_bytes_do_not_panic() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut buf = vec![0u8; 4096];
        for round in 0..3000 {
            let mut d = if round % 2 == 0 {
                let len = (rnd() % 200) as usize;
                (0..len).map(|_| rnd() as u8).collect()
            } else {
                let mut d = [data(30, 1), err(30, -1), done(30)].concat();
                let i = (rnd() as usize) % d.len();
                d[i] = rnd() as u8;
                d
            };
            if round % 3 == 0 && d.len() >= 12 {
                // Make the random bytes more likely to be taken as replies.
                d[8..12].copy_from_slice(&30u32.to_ne_bytes());
            }
            let _ = messages(&d).count();
            let mut fake = Fake::default();
            fake.replies.push_back(Ok(d));
            let _ = exchange(&mut fake, &request(30), 0, &mut buf, |m| {
                assert!(m.len() >= NLMSG_HDRLEN);
                Ok(Flow::Continue)
            });
        }
    }

    #[test]
    fn align_rounds_up() {
        assert_eq!(align(0), 0);
        assert_eq!(align(1), 4);
        assert_eq!(align(16), 16);
        assert_eq!(align(21), 24);
        assert_eq!(align(usize::MAX), usize::MAX & !3);
    }

    /// Tests against the real kernel. Each runs on a thread of its own that
    /// first moves to a new, empty network namespace, so the host's
    /// conntrack table is never seen nor touched.
    mod kernel {
        use super::*;
        use nix::sched::{unshare, CloneFlags};
        use nix::sys::time::TimeVal;

        /// Runs `f` in a fresh network namespace; `None` (test skipped)
        /// where that is not permitted, except under CI, where it fails.
        fn in_netns<R: Send>(f: impl FnOnce() -> R + Send) -> Option<R> {
            std::thread::scope(|s| {
                s.spawn(|| match unshare(CloneFlags::CLONE_NEWNET) {
                    Ok(()) => Some(f()),
                    Err(e) if std::env::var_os("CI").is_none() => {
                        eprintln!(
                            "skipped: unshare(CLONE_NEWNET) failed ({e}); needs CAP_SYS_ADMIN"
                        );
                        None
                    }
                    Err(e) => panic!("unshare(CLONE_NEWNET) failed under CI: {e}"),
                })
                .join()
                .expect("test thread panicked")
            })
        }

        fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
            let mut a = Vec::new();
            a.extend(((4 + payload.len()) as u16).to_ne_bytes());
            a.extend(kind.to_ne_bytes());
            a.extend(payload);
            a.resize(align(a.len()), 0);
            a
        }

        fn nested(kind: u16, parts: &[Vec<u8>]) -> Vec<u8> {
            attr(kind | NLA_F_NESTED, &parts.concat())
        }

        /// A UDP tuple of direction `dir` (`CTA_TUPLE_ORIG` or `_REPLY`).
        fn udp(dir: u16, src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16) -> Vec<u8> {
            nested(
                dir,
                &[
                    nested(
                        CTA_TUPLE_IP,
                        &[attr(CTA_IP_V4_SRC, &src), attr(CTA_IP_V4_DST, &dst)],
                    ),
                    nested(
                        CTA_TUPLE_PROTO,
                        &[
                            attr(CTA_PROTO_NUM, &[17]),
                            attr(CTA_PROTO_SRC_PORT, &sport.to_be_bytes()),
                            attr(CTA_PROTO_DST_PORT, &dport.to_be_bytes()),
                        ],
                    ),
                ],
            )
        }

        const A: [u8; 4] = [192, 0, 2, 1];
        const B: [u8; 4] = [192, 0, 2, 2];

        /// The original tuple of the flow A:1000 -> B:dport.
        fn udp_tuple(dport: u16) -> Vec<u8> {
            udp(CTA_TUPLE_ORIG, A, B, 1000, dport)
        }

        /// What creating the flow A:1000 -> B:dport takes: both tuples and
        /// a timeout.
        fn udp_entry(dport: u16) -> [Vec<u8>; 3] {
            [
                udp_tuple(dport),
                udp(CTA_TUPLE_REPLY, B, A, dport, 1000),
                attr(CTA_TIMEOUT, &100u32.to_be_bytes()),
            ]
        }

        /// A ctnetlink request: header, `struct nfgenmsg` for AF_INET, attributes.
        fn ct_msg(kind: u8, flags: i32, attrs: &[Vec<u8>]) -> Vec<u8> {
            let mut payload = vec![libc::AF_INET as u8, NFNETLINK_V0, 0, 0];
            payload.extend(attrs.concat());
            let kind = u16::from(NFNL_SUBSYS_CTNETLINK) << 8 | u16::from(kind);
            msg(kind, (libc::NLM_F_REQUEST | flags) as u16, 0, 0, &payload)
        }

        /// A transport over a socket that counts the NLMSG_DONE it receives.
        struct CountDone<'a> {
            sock: &'a mut Socket,
            done: usize,
        }

        impl Transport for CountDone<'_> {
            fn send(&mut self, msg: &[u8]) -> Result<usize> {
                self.sock.send(msg)
            }
            fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
                let n = self.sock.recv(buf)?;
                self.done += messages(&buf[..n])
                    .filter(|m| matches!(m, Ok((h, _)) if i32::from(h.kind) == libc::NLMSG_DONE))
                    .count();
                Ok(n)
            }
        }

        fn dump(sock: &mut Socket) -> (usize, usize) {
            let mut req = ct_msg(IPCTNL_MSG_CT_GET, libc::NLM_F_DUMP, &[]);
            Header {
                seq: sock.next_seq(),
                ..Header::parse(&req).unwrap()
            }
            .write(&mut req)
            .unwrap();
            let portid = sock.portid();
            let mut t = CountDone { sock, done: 0 };
            let mut entries = 0;
            let mut buf = vec![0u8; DUMP_BUFFER_SIZE];
            exchange(&mut t, &req, portid, &mut buf, |m| {
                let h = Header::parse(m).unwrap();
                assert_eq!(h.kind & 0xff, u16::from(IPCTNL_MSG_CT_NEW));
                entries += 1;
                Ok(Flow::Continue)
            })
            .unwrap();
            (entries, t.done)
        }

        #[test]
        fn socket_options() {
            in_netns(|| {
                let groups = NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_DESTROY;
                let sock = Socket::open(groups).unwrap();
                assert_ne!(sock.portid(), 0);
                assert_eq!(sock.groups(), groups);
                assert!(sock.fd() >= 0);
                assert_eq!(sock.fd(), sock.as_raw_fd());
                // Privileged: SO_RCVBUFFORCE passes the system maximum,
                // and the kernel reports twice the size asked for.
                assert_eq!(sock.set_rcvbuf(4 << 20), Ok(8 << 20));
                assert_eq!(sock.rcvbuf(), Ok(8 << 20));
                assert_eq!(sock.set_broadcast_error(true), Ok(()));
                assert_eq!(sock.set_no_enobufs(true), Ok(()));
                assert_eq!(sock.set_no_enobufs(false), Ok(()));
                let other = Socket::open(0).unwrap();
                assert_ne!(other.portid(), sock.portid());
                assert_eq!(other.groups(), 0);
            });
        }

        #[test]
        fn dump_of_an_empty_table() {
            in_netns(|| {
                let mut sock = Socket::open(0).unwrap();
                assert_eq!(dump(&mut sock), (0, 1));
                // Through request(): the buffer is reused, seq advances.
                let seq = sock.seq();
                let mut req = ct_msg(IPCTNL_MSG_CT_GET, libc::NLM_F_DUMP, &[]);
                let mut n = 0;
                sock.request(&mut req, |_| {
                    n += 1;
                    Ok(Flow::Continue)
                })
                .unwrap();
                assert_eq!(n, 0);
                assert_eq!(sock.seq(), seq.wrapping_add(1));
                assert_eq!(Header::parse(&req).unwrap().seq, sock.seq());
            });
        }

        #[test]
        fn delete_of_a_missing_entry_is_enoent() {
            in_netns(|| {
                let mut sock = Socket::open(0).unwrap();
                let mut req = ct_msg(IPCTNL_MSG_CT_DELETE, 0, &[udp_tuple(53)]);
                let r = sock.request(&mut req, |_| Ok(Flow::Continue));
                assert_eq!(r, Err(Error::Os(libc::ENOENT)));
                // request() asked for the acknowledgement itself.
                let flags = i32::from(Header::parse(&req).unwrap().flags);
                assert_eq!(flags & libc::NLM_F_ACK, libc::NLM_F_ACK);
            });
        }

        #[test]
        fn create_dump_delete_with_events() {
            in_netns(|| {
                let mut sock = Socket::open(0).unwrap();
                let events = Socket::open(NF_NETLINK_CONNTRACK_NEW).unwrap();
                let timeout = TimeVal::new(5, 0);
                setsockopt(&events, sockopt::ReceiveTimeout, &timeout).unwrap();

                let create = |sock: &mut Socket| {
                    let mut req = ct_msg(
                        IPCTNL_MSG_CT_NEW,
                        libc::NLM_F_CREATE | libc::NLM_F_EXCL,
                        &udp_entry(53),
                    );
                    sock.request(&mut req, |_| Ok(Flow::Continue))
                };
                assert_eq!(create(&mut sock), Ok(()));
                assert_eq!(create(&mut sock), Err(Error::Os(libc::EEXIST)));

                // The creation was announced to the subscribed socket.
                let mut events = events;
                let mut buf = vec![0u8; DEFAULT_BUFFER_SIZE];
                let n = events.recv(&mut buf).unwrap();
                let (h, _) = messages(&buf[..n]).next().unwrap().unwrap();
                assert_eq!(h.kind >> 8, u16::from(NFNL_SUBSYS_CTNETLINK));
                assert_eq!(h.kind & 0xff, u16::from(IPCTNL_MSG_CT_NEW));

                assert_eq!(dump(&mut sock), (1, 1));
                // A get of the entry: one reply, then the acknowledgement.
                let mut get = ct_msg(IPCTNL_MSG_CT_GET, 0, &[udp_tuple(53)]);
                let mut replies = 0;
                sock.request(&mut get, |_| {
                    replies += 1;
                    Ok(Flow::Continue)
                })
                .unwrap();
                assert_eq!(replies, 1);

                let mut del = ct_msg(IPCTNL_MSG_CT_DELETE, 0, &[udp_tuple(53)]);
                assert_eq!(sock.request(&mut del, |_| Ok(Flow::Continue)), Ok(()));
                let mut del = ct_msg(IPCTNL_MSG_CT_DELETE, 0, &[udp_tuple(53)]);
                assert_eq!(
                    sock.request(&mut del, |_| Ok(Flow::Continue)),
                    Err(Error::Os(libc::ENOENT))
                );
                assert_eq!(dump(&mut sock), (0, 1));
            });
        }

        /// A read on `sock` with nothing queued fails with EAGAIN after
        /// 50 ms instead of blocking.
        fn time_out_reads(sock: &Socket) {
            let timeout = TimeVal::new(0, 50_000);
            setsockopt(&sock.fd, sockopt::ReceiveTimeout, &timeout).unwrap();
        }

        fn stats_request() -> Vec<u8> {
            ct_msg(IPCTNL_MSG_CT_GET_STATS, 0, &[])
        }

        #[test]
        fn datagrams_from_other_processes_are_dropped() {
            in_netns(|| {
                let mut sock = Socket::open(0).unwrap();
                let other = Socket::open(0).unwrap();
                time_out_reads(&sock);
                let to = NetlinkAddr::new(sock.portid(), 0);
                let fake = msg(libc::NLMSG_MIN_TYPE as u16, 0, 0, other.portid(), &[0; 8]);
                nix::sys::socket::sendto(other.fd(), &fake, &to, MsgFlags::empty()).unwrap();
                let mut buf = [0u8; 4096];
                assert_eq!(
                    recv_datagram(sock.fd(), &mut buf),
                    Err(Error::Os(libc::EAGAIN))
                );
                // Then one from another process and one from the kernel:
                // only the kernel's is returned.
                nix::sys::socket::sendto(other.fd(), &fake, &to, MsgFlags::empty()).unwrap();
                sock.send(&stats_request()).unwrap();
                let n = recv_datagram(sock.fd(), &mut buf).unwrap();
                let h = Header::parse(&buf[..n]).unwrap();
                let stats =
                    u16::from(NFNL_SUBSYS_CTNETLINK) << 8 | u16::from(IPCTNL_MSG_CT_GET_STATS);
                assert_eq!(h.kind, stats);
                assert_eq!(
                    recv_datagram(sock.fd(), &mut buf),
                    Err(Error::Os(libc::EAGAIN))
                );
            });
        }

        #[test]
        fn a_datagram_longer_than_the_buffer_is_no_space() {
            in_netns(|| {
                let mut sock = Socket::open(0).unwrap();
                time_out_reads(&sock);
                sock.send(&stats_request()).unwrap();
                let mut small = [0u8; NLMSG_HDRLEN];
                assert_eq!(recv_datagram(sock.fd(), &mut small), Err(Error::NoSpace));
                // Its tail is gone with it, as with the original.
                let mut buf = [0u8; 4096];
                assert_eq!(
                    recv_datagram(sock.fd(), &mut buf),
                    Err(Error::Os(libc::EAGAIN))
                );
                sock.send(&stats_request()).unwrap();
                assert!(recv_datagram(sock.fd(), &mut buf).unwrap() > NLMSG_HDRLEN);
            });
        }

        #[test]
        fn stopping_a_dump_early_leaves_no_trace() {
            in_netns(|| {
                let mut sock = Socket::open(0).unwrap();
                // More than one read's worth, so the kernel still holds
                // part of the dump when the callback stops.
                for port in 1..=400u16 {
                    let mut req = ct_msg(IPCTNL_MSG_CT_NEW, libc::NLM_F_CREATE, &udp_entry(port));
                    sock.request(&mut req, |_| Ok(Flow::Continue)).unwrap();
                }
                let mut req = ct_msg(IPCTNL_MSG_CT_GET, libc::NLM_F_DUMP, &[]);
                let mut seen = 0;
                sock.request(&mut req, |_| {
                    seen += 1;
                    Ok(Flow::Stop)
                })
                .unwrap();
                assert_eq!(seen, 1);
                // The rest of that dump was drained: a new one can start.
                assert_eq!(dump(&mut sock), (400, 1));
            });
        }
    }
}
