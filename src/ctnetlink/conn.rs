//! The connection under the Rust API: a ctnetlink socket opened in the
//! caller's or in a given network namespace, one receive buffer reused for
//! every datagram, and the reading of replies one message at a time, so
//! that dumps and event streams can be consumed as iterators.
//!
//! Unlike [`crate::netlink::socket::exchange`], replies here keep the
//! kernel's extended-ack message (`NETLINK_EXT_ACK` is turned on).
#![forbid(unsafe_code)]

use std::ops::Range;
use std::os::fd::{AsFd, BorrowedFd};

use nix::sched::{setns, CloneFlags};

use super::error::{Error, Result};
use crate::kernel::{NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use crate::netlink::attr::align;
use crate::netlink::attr::Attrs;
use crate::netlink::message::NLMSG_HDRLEN as HEADER_LEN;
use crate::netlink::message::{self, NfGenMsg};
use crate::netlink::socket::{Header, Socket, Transport, DUMP_BUFFER_SIZE};

/// `NLM_F_CAPPED` of an error: the request's payload was left out.
const NLM_F_CAPPED: u16 = 0x100;
/// `NLM_F_ACK_TLVS` of an error: extended-ack attributes follow.
const NLM_F_ACK_TLVS: u16 = 0x200;
/// `NLMSGERR_ATTR_MSG`: the extended-ack text.
const NLMSGERR_ATTR_MSG: u16 = 1;
/// First message type that carries data (`NLMSG_MIN_TYPE`).
const NLMSG_MIN_TYPE: u16 = 0x10;

/// Opens a NETLINK_NETFILTER socket bound to the legacy `groups`, inside
/// network namespace `netns` when given.
///
/// A netlink socket belongs for its whole life to the namespace of the
/// thread that created it. To open one elsewhere, a short-lived thread
/// joins `netns` with `setns(CLONE_NEWNET)`, opens the socket and ends:
/// the calling thread never changes namespace, so nothing has to be
/// switched back, and the socket keeps working in `netns` from any thread.
pub(crate) fn open_socket(groups: u32, netns: Option<BorrowedFd<'_>>) -> Result<Socket> {
    let sock = match netns {
        None => Socket::open(groups)?,
        Some(fd) => std::thread::scope(|s| {
            s.spawn(move || -> Result<Socket> {
                setns(fd, CloneFlags::CLONE_NEWNET)?;
                Ok(Socket::open(groups)?)
            })
            .join()
            .unwrap_or(Err(Error::from(crate::Error::Os(libc::EIO))))
        })?,
    };
    // Older kernels lack extended acks; errors then come without text.
    let _ = sock.set_ext_ack(true);
    Ok(sock)
}

/// What one message read from the socket is.
pub(crate) enum Reply {
    /// A data message (a conntrack, an expectation, statistics).
    Data,
    /// The acknowledgement or the end of a dump.
    End,
    /// An error from the kernel.
    Error(Error),
    /// A control message to pass over (`NLMSG_NOOP`, `NLMSG_OVERRUN`).
    Skip,
}

fn i32_at(b: &[u8], off: usize) -> Option<i32> {
    let w = b.get(off..off + 4)?;
    Some(i32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
}

/// The text of the `NLMSGERR_ATTR_MSG` attribute among `attrs`.
fn ext_ack_text(attrs: &[u8]) -> Option<String> {
    Attrs::new(attrs)
        .map_while(|a| a.ok())
        .find(|a| a.kind() == NLMSGERR_ATTR_MSG)
        .map(|a| String::from_utf8_lossy(a.str_bytes()).into_owned())
}

/// The error a non-zero `code` (a negative errno) stands for, with the
/// extended-ack text when there is one.
fn kernel_error(code: i32, tlvs: Option<&[u8]>) -> Error {
    let errno = code.saturating_abs();
    Error::with_ext_ack(crate::Error::Os(errno), tlvs.and_then(ext_ack_text))
}

/// Classifies message `m` (header included).
pub(crate) fn classify(m: &[u8]) -> Reply {
    let Some(h) = Header::parse(m) else {
        return Reply::Error(crate::Error::Malformed.into());
    };
    let tlvs = h.flags & NLM_F_ACK_TLVS != 0;
    match h.kind {
        NLMSG_ERROR => {
            let Some(code) = i32_at(m, HEADER_LEN) else {
                return Reply::Error(crate::Error::Malformed.into());
            };
            if code == 0 {
                return Reply::End;
            }
            // struct nlmsgerr: the code, then the request's header, and its
            // payload unless capped; the attributes follow.
            let req_len = if h.flags & NLM_F_CAPPED != 0 {
                HEADER_LEN
            } else {
                i32_at(m, HEADER_LEN + 4).map_or(HEADER_LEN, |l| align(l as u32 as usize))
            };
            let at = (HEADER_LEN + 4).saturating_add(req_len);
            Reply::Error(kernel_error(code, m.get(at..).filter(|_| tlvs)))
        }
        NLMSG_DONE => match i32_at(m, HEADER_LEN) {
            None | Some(0) => Reply::End,
            Some(code) => {
                Reply::Error(kernel_error(code, m.get(HEADER_LEN + 4..).filter(|_| tlvs)))
            }
        },
        k if k < NLMSG_MIN_TYPE => Reply::Skip,
        _ => Reply::Data,
    }
}

/// A socket with its receive buffer and the position of the next unread
/// message in it.
#[derive(Debug)]
pub(crate) struct Conn {
    pub(crate) sock: Socket,
    buf: Vec<u8>,
    req: Vec<u8>,
    pos: usize,
    len: usize,
}

impl Conn {
    pub(crate) fn new(sock: Socket) -> Conn {
        Conn {
            sock,
            buf: vec![0; DUMP_BUFFER_SIZE],
            req: Vec::new(),
            pos: 0,
            len: 0,
        }
    }

    /// The bytes of `r`, a range [`Conn::next_msg`] returned.
    pub(crate) fn msg(&self, r: Range<usize>) -> &[u8] {
        self.buf.get(r).unwrap_or_default()
    }

    /// The next message, of sequence number `seq` when given (others are
    /// stale replies and are passed over), reading datagrams as needed.
    pub(crate) fn next_msg(&mut self, seq: Option<u32>) -> Result<Range<usize>> {
        loop {
            while self.pos < self.len {
                let rest = &self.buf[self.pos..self.len];
                let Some(h) = Header::parse(rest) else {
                    self.pos = self.len;
                    break;
                };
                let l = h.len as usize;
                if l < HEADER_LEN || l > rest.len() {
                    self.pos = self.len;
                    return Err(crate::Error::Malformed.into());
                }
                let start = self.pos;
                self.pos = (start + align(l)).min(self.len);
                if seq.is_some_and(|s| s != h.seq) {
                    continue;
                }
                return Ok(start..start + l);
            }
            self.pos = 0;
            self.len = 0;
            self.len = self.sock.recv(&mut self.buf)?;
        }
    }

    /// Builds a request with `build` (which writes a whole message into
    /// the buffer it is given), gives it the next sequence number, asks for
    /// an acknowledgement unless it is a dump, sends it and returns its
    /// sequence number. Unread data of an earlier exchange is dropped.
    pub(crate) fn send(
        &mut self,
        build: impl FnOnce(&mut Vec<u8>) -> crate::Result<()>,
    ) -> Result<u32> {
        let mut req = std::mem::take(&mut self.req);
        req.clear();
        let r = build(&mut req).map_err(Error::from).and_then(|()| {
            let mut h = Header::parse(&req).ok_or(Error::from(crate::Error::Malformed))?;
            if h.flags & NLM_F_DUMP != NLM_F_DUMP {
                h.flags |= NLM_F_ACK;
            }
            h.seq = self.sock.next_seq();
            h.write(&mut req)?;
            self.pos = 0;
            self.len = 0;
            if self.sock.send(&req)? != req.len() {
                return Err(crate::Error::Os(libc::EMSGSIZE).into());
            }
            Ok(h.seq)
        });
        self.req = req;
        r
    }

    /// Sends a request (see [`Conn::send`]) and hands each data message of
    /// the reply to `on_data`, up to the acknowledgement or end of dump.
    /// When `on_data` fails during a dump, the rest is read and dropped
    /// before its error is returned.
    pub(crate) fn request(
        &mut self,
        build: impl FnOnce(&mut Vec<u8>) -> crate::Result<()>,
        mut on_data: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let seq = self.send(build)?;
        let mut failed = None;
        loop {
            let r = self.next_msg(Some(seq))?;
            let m = self.msg(r);
            match classify(m) {
                Reply::Data => {
                    if failed.is_none() {
                        if let Err(e) = on_data(m) {
                            failed = Some(e);
                        }
                    }
                }
                Reply::Skip => {}
                Reply::End => return failed.map_or(Ok(()), Err),
                Reply::Error(e) => return Err(failed.unwrap_or(e)),
            }
        }
    }

    /// Reads and drops the rest of the exchange `seq`.
    pub(crate) fn drain(&mut self, seq: u32) {
        while let Ok(r) = self.next_msg(Some(seq)) {
            if matches!(classify(self.msg(r)), Reply::End | Reply::Error(_)) {
                return;
            }
        }
    }
}

impl AsFd for Conn {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

/// Writes a request of message `msg` in subsystem `subsys` with `flags`
/// (`NLM_F_REQUEST` added) and no attributes.
pub(crate) fn bare_request(
    out: &mut Vec<u8>,
    subsys: u8,
    msg: u8,
    flags: u16,
    family: u8,
) -> crate::Result<()> {
    let h = message::Header::new(subsys, msg, NLM_F_REQUEST | flags, 0, 0);
    let at = message::start(
        out,
        &h,
        &NfGenMsg {
            family,
            version: crate::kernel::NFNETLINK_V0,
            res_id: 0,
        },
    );
    message::finish(out, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_msg(code: i32, flags: u16, tlv: &[u8]) -> Vec<u8> {
        let mut m = Vec::new();
        let len = (HEADER_LEN + 4 + HEADER_LEN + tlv.len()) as u32;
        m.extend(len.to_ne_bytes());
        m.extend(NLMSG_ERROR.to_ne_bytes());
        m.extend(flags.to_ne_bytes());
        m.extend([0u8; 8]);
        m.extend(code.to_ne_bytes());
        // The request's header, capped.
        m.extend(40u32.to_ne_bytes());
        m.extend([0u8; 12]);
        m.extend(tlv);
        m
    }

    #[test]
    fn errors_carry_the_ext_ack_text() {
        let text = b"Attribute failed policy validation\0";
        let mut tlv = Vec::new();
        tlv.extend(((4 + text.len()) as u16).to_ne_bytes());
        tlv.extend(NLMSGERR_ATTR_MSG.to_ne_bytes());
        tlv.extend(text);
        tlv.resize(align(tlv.len()), 0);
        let m = err_msg(-libc::EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, &tlv);
        let Reply::Error(e) = classify(&m) else {
            panic!()
        };
        assert_eq!(e.errno(), libc::EINVAL);
        assert_eq!(e.ext_ack(), Some("Attribute failed policy validation"));
        // Without NLM_F_ACK_TLVS the bytes after the header are not read.
        let m = err_msg(-libc::ENOENT, NLM_F_CAPPED, &tlv);
        let Reply::Error(e) = classify(&m) else {
            panic!()
        };
        assert_eq!((e.errno(), e.ext_ack()), (libc::ENOENT, None));
        assert!(matches!(classify(&err_msg(0, 0, &[])), Reply::End));
        // Truncated or odd messages never panic.
        for n in 0..m.len() {
            let _ = classify(&m[..n]);
        }
        let m = err_msg(i32::MIN, NLM_F_ACK_TLVS, &[1, 2, 3]);
        let Reply::Error(e) = classify(&m) else {
            panic!()
        };
        assert!(e.errno() > 0);
    }

    /// The kernel's own extended ack, in a fresh network namespace: a
    /// request with an attribute of the wrong size fails its policy check.
    #[test]
    fn kernel_sends_an_ext_ack_message() {
        use crate::conntrack::object::Attr;
        use crate::kernel::{CTA_TIMEOUT, IPCTNL_MSG_CT_NEW, NLM_F_CREATE};
        use nix::sched::{unshare, CloneFlags};

        let run = || {
            let mut conn = Conn::new(open_socket(0, None).unwrap());
            let r = conn.request(
                |out| {
                    let mut ct = crate::conntrack::Conntrack::new();
                    ct.set_u8(Attr::OrigL3Proto, libc::AF_INET as u8)?;
                    ct.set_u8(Attr::OrigL4Proto, libc::IPPROTO_UDP as u8)?;
                    crate::query::conntrack_message(
                        u16::from(IPCTNL_MSG_CT_NEW),
                        NLM_F_REQUEST | NLM_F_CREATE,
                        &ct,
                        out,
                    )?;
                    // CTA_TIMEOUT is a u32; give it two bytes.
                    out.extend(6u16.to_ne_bytes());
                    out.extend(CTA_TIMEOUT.to_ne_bytes());
                    out.extend([0, 1, 0, 0]);
                    let len = out.len() as u32;
                    out[..4].copy_from_slice(&len.to_ne_bytes());
                    Ok(())
                },
                |_| Ok(()),
            );
            let e = r.unwrap_err();
            // ERANGE on current kernels, EINVAL on older ones.
            assert!([libc::ERANGE, libc::EINVAL].contains(&e.errno()), "{e}");
            assert_eq!(
                e.ext_ack(),
                Some("Attribute failed policy validation"),
                "{e}"
            );
        };
        std::thread::scope(|s| {
            s.spawn(|| match unshare(CloneFlags::CLONE_NEWNET) {
                Ok(()) => run(),
                Err(e) if std::env::var_os("CI").is_none() => {
                    eprintln!("skipped: unshare(CLONE_NEWNET) failed ({e}); needs CAP_SYS_ADMIN");
                }
                Err(e) => panic!("unshare(CLONE_NEWNET) failed under CI: {e}"),
            })
            .join()
            .expect("test thread panicked")
        });
    }
}
