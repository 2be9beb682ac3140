//! The receive side of a handle: libnfnetlink's `nfnl_catch` and
//! `nfnl_query` loops (which upstream's `nfct_catch` and `nfct_query`
//! are), and the event typing of upstream's src/callback.c.
//!
//! Every message read is handled in order, whatever its sequence number
//! or sender port: replies and events alike go to the handler, as with the
//! original. An acknowledgement, the end of a dump or the handler saying
//! stop ends the loop with success; an error message ends it with that
//! error.
#![forbid(unsafe_code)]

use std::os::fd::RawFd;

use nix::sys::socket::{send, MsgFlags};

use crate::netlink::attr::align;
use crate::netlink::message::{NFNL_HDRLEN, NLMSG_HDRLEN};
use crate::netlink::socket::{messages, recv_datagram, Flow, Header, Transport};
use crate::{Error, Result};

/// `NFCT_T_NEW`: a new entry.
pub const T_NEW: u32 = 1;
/// `NFCT_T_UPDATE`: a changed entry (also every entry of a dump or get).
pub const T_UPDATE: u32 = 2;
/// `NFCT_T_DESTROY`: a removed entry.
pub const T_DESTROY: u32 = 4;
/// `NFCT_T_ALL`.
pub const T_ALL: u32 = T_NEW | T_UPDATE | T_DESTROY;
/// `NFCT_T_ERROR`.
pub const T_ERROR: u32 = 1 << 31;

/// Highest subsystem id libnfnetlink keeps a slot for (`NFNL_MAX_SUBSYS`).
pub const MAX_SUBSYS: u8 = 16;

/// The `NFCT_T_*` type of a ctnetlink or expectation message, from its
/// type and flags, as upstream's `__parse_message`: a `*_NEW` message is
/// new when it carries `NLM_F_CREATE` or `NLM_F_EXCL` and an update
/// otherwise, `*_DELETE` is a destroy, anything else is unknown (0).
pub fn msg_type(h: &Header) -> u32 {
    let new = u16::from(crate::kernel::IPCTNL_MSG_CT_NEW);
    let delete = u16::from(crate::kernel::IPCTNL_MSG_CT_DELETE);
    let created = (libc::NLM_F_CREATE | libc::NLM_F_EXCL) as u16;
    match h.kind & 0xff {
        k if k == new && h.flags & created != 0 => T_NEW,
        k if k == new => T_UPDATE,
        k if k == delete => T_DESTROY,
        _ => 0,
    }
}

/// How the handling of one datagram ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// Whether to read on, or the error that ends the loop.
    pub result: Result<Flow>,
    /// Bytes of the datagram looked at, up to the message that ended it.
    pub used: usize,
}

fn i32_at(b: &[u8], off: usize) -> Option<i32> {
    let w = b.get(off..off + 4)?;
    Some(i32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
}

/// One message, as libnfnetlink's `nfnl_step`. `cb_count(subsys)` is the
/// number of message types of an opened subsystem (0 when not opened).
fn step<F>(h: &Header, msg: &[u8], cb_count: &dyn Fn(u8) -> u8, handler: &mut F) -> Result<Flow>
where
    F: FnMut(&Header, &[u8]) -> Result<Flow>,
{
    let kind = i32::from(h.kind);
    let multi = i32::from(h.flags) & libc::NLM_F_MULTI != 0;
    if kind == libc::NLMSG_ERROR || (kind == libc::NLMSG_DONE && multi) {
        return match i32_at(msg, NLMSG_HDRLEN) {
            None => Err(Error::Os(libc::EBADMSG)),
            Some(0) => Ok(Flow::Stop),
            Some(code) => Err(Error::Os(code.wrapping_neg())),
        };
    }
    if msg.len() < NFNL_HDRLEN {
        return Err(Error::Os(libc::ENOSPC));
    }
    let subsys = (h.kind >> 8) as u8;
    if subsys > MAX_SUBSYS || (h.kind & 0xff) >= u16::from(cb_count(subsys)) {
        return Err(Error::Os(libc::ENOENT));
    }
    handler(h, msg)
}

/// Handles the messages of one datagram in order, as libnfnetlink's
/// `nfnl_process`: stops at the first that ends the exchange (see
/// [`catch`]). A first message whose sequence number is neither 0 nor
/// `seq` fails with `EILSEQ`; a datagram without a whole message ends the
/// loop as a stop does.
pub fn process<F>(
    datagram: &[u8],
    seq: u32,
    cb_count: &dyn Fn(u8) -> u8,
    handler: &mut F,
) -> Processed
where
    F: FnMut(&Header, &[u8]) -> Result<Flow>,
{
    if let Some(first) = Header::parse(datagram) {
        if first.seq != 0 && first.seq != seq {
            return Processed {
                result: Err(Error::Os(libc::EILSEQ)),
                used: 0,
            };
        }
    }
    let mut result = Ok(Flow::Stop);
    let mut used = 0;
    for item in messages(datagram) {
        // A message that does not fit ends the walk, as NLMSG_OK does.
        let Ok((h, msg)) = item else { break };
        used = (used + align(msg.len())).min(datagram.len());
        result = step(&h, msg, cb_count, handler);
        if !matches!(result, Ok(Flow::Continue)) {
            break;
        }
    }
    Processed { result, used }
}

/// Reads datagrams from `t` into `buf` and hands their messages to
/// `handler`, as libnfnetlink's `nfnl_catch`, until:
/// - an acknowledgement (`NLMSG_ERROR` with code 0) or the end of a dump
///   (`NLMSG_DONE`): `Ok`;
/// - `handler` returns [`Flow::Stop`]: `Ok`; or an error: that error;
/// - an `NLMSG_ERROR` with a code: `Os(-code)`;
/// - a message too short for `struct nfgenmsg` (`ENOSPC`), of a subsystem
///   or type not opened (`ENOENT`), a reply out of sequence (`EILSEQ`);
/// - a receive error (`Os(ENOBUFS)` after an overrun, `EAGAIN` on a
///   non-blocking socket with nothing to read, ...). The transport retries
///   on `EINTR`, as the original does.
///
/// `handler` sees only messages of opened subsystems, with a type below
/// their `cb_count` and room for `struct nfgenmsg`.
pub fn catch<T, F>(
    t: &mut T,
    buf: &mut [u8],
    seq: u32,
    cb_count: &dyn Fn(u8) -> u8,
    mut handler: F,
) -> Result<()>
where
    T: Transport + ?Sized,
    F: FnMut(&Header, &[u8]) -> Result<Flow>,
{
    loop {
        let n = t.recv(buf)?;
        let datagram = buf.get(..n).ok_or(Error::Malformed)?;
        if process(datagram, seq, cb_count, &mut handler).result? == Flow::Stop {
            return Ok(());
        }
    }
}

/// Whether `bytes` hold the message that ends a dump (`NLMSG_DONE`) or
/// an `NLMSG_ERROR`.
fn holds_end(bytes: &[u8]) -> bool {
    messages(bytes).any(|m| {
        matches!(m, Ok((h, _)) if i32::from(h.kind) == libc::NLMSG_DONE
            || i32::from(h.kind) == libc::NLMSG_ERROR)
    })
}

/// Sends the request `msg` and handles what comes back as [`catch`]
/// does, as libnfnetlink's `nfnl_query`.
///
/// One difference to the original: when `handler` ends a dump early
/// (stop or error), the rest of the dump is read and dropped before
/// returning, so that the next request on the socket gets its own replies
/// and not the tail of this dump (the original leaves it in the socket).
pub fn query<T, F>(
    t: &mut T,
    msg: &[u8],
    buf: &mut [u8],
    seq: u32,
    cb_count: &dyn Fn(u8) -> u8,
    mut handler: F,
) -> Result<()>
where
    T: Transport + ?Sized,
    F: FnMut(&Header, &[u8]) -> Result<Flow>,
{
    let req = Header::parse(msg).ok_or(Error::Malformed)?;
    let dump = i32::from(req.flags) & libc::NLM_F_DUMP == libc::NLM_F_DUMP;
    t.send(msg)?;
    let mut ended_by_handler = false;
    let mut tracked = |h: &Header, m: &[u8]| {
        let r = handler(h, m);
        if !matches!(r, Ok(Flow::Continue)) {
            ended_by_handler = true;
        }
        r
    };
    let (r, rest) = loop {
        let n = match t.recv(buf) {
            Ok(n) => n,
            Err(e) => break (Err(e), 0..0),
        };
        let p = process(buf.get(..n).unwrap_or(&[]), seq, cb_count, &mut tracked);
        match p.result {
            Ok(Flow::Continue) => {}
            r => break (r.map(|_| ()), p.used..n),
        }
    };
    if ended_by_handler && dump && !holds_end(buf.get(rest).unwrap_or(&[])) {
        drain(t, buf);
    }
    r
}

/// Reads and drops datagrams up to the end of a dump, or a receive error.
fn drain<T: Transport + ?Sized>(t: &mut T, buf: &mut [u8]) {
    while let Ok(n) = t.recv(buf) {
        if holds_end(buf.get(..n).unwrap_or(&[])) {
            return;
        }
    }
}

/// Datagram I/O on a netlink socket given by its descriptor, which may
/// belong to someone else (a libnfnetlink handle passed to
/// `nfct_open_nfnl`).
#[derive(Debug, Clone, Copy)]
pub struct FdTransport(pub RawFd);

impl Transport for FdTransport {
    fn send(&mut self, msg: &[u8]) -> Result<usize> {
        send(self.0, msg, MsgFlags::empty()).map_err(|e| Error::Os(e as i32))
    }

    fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
        recv_datagram(self.0, buf)
    }
}
