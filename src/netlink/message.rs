//! Netlink message framing for nfnetlink: `struct nlmsghdr` followed by
//! `struct nfgenmsg`, then attributes. Builds headers into a `Vec<u8>` and
//! reads them back with bounds checks (libmnl nlmsg.c, libnfnetlink's
//! header helpers).
#![forbid(unsafe_code)]

use super::attr::align;
use crate::kernel::NFGENMSG_LEN;
use crate::{Error, Result};

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;

/// Size of the headers of an nfnetlink message: nlmsghdr plus nfgenmsg.
pub const NFNL_HDRLEN: usize = NLMSG_HDRLEN + NFGENMSG_LEN;

/// `struct nlmsghdr`, fields in host order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Header {
    /// Length of the message, header included.
    pub len: u32,
    /// `(subsystem << 8) | message` for nfnetlink.
    pub ty: u16,
    pub flags: u16,
    pub seq: u32,
    pub portid: u32,
}

impl Header {
    /// A header for nfnetlink message `msg` of subsystem `subsys`; the
    /// length is filled in by [`finish`].
    pub fn new(subsys: u8, msg: u8, flags: u16, seq: u32, portid: u32) -> Header {
        Header {
            len: 0,
            ty: (u16::from(subsys) << 8) | u16::from(msg),
            flags,
            seq,
            portid,
        }
    }

    /// The nfnetlink subsystem (`NFNL_SUBSYS_ID`).
    pub fn subsys(&self) -> u8 {
        (self.ty >> 8) as u8
    }

    /// The message type within the subsystem (`NFNL_MSG_TYPE`).
    pub fn msg(&self) -> u8 {
        (self.ty & 0xff) as u8
    }

    /// Appends the 16 header bytes.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.len.to_ne_bytes());
        out.extend_from_slice(&self.ty.to_ne_bytes());
        out.extend_from_slice(&self.flags.to_ne_bytes());
        out.extend_from_slice(&self.seq.to_ne_bytes());
        out.extend_from_slice(&self.portid.to_ne_bytes());
    }

    /// Reads the header at the start of `bytes` without checking `len`.
    pub fn read(bytes: &[u8]) -> Result<Header> {
        let b: &[u8; NLMSG_HDRLEN] = bytes
            .get(..NLMSG_HDRLEN)
            .and_then(|b| b.try_into().ok())
            .ok_or(Error::Malformed)?;
        Ok(Header {
            len: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
            ty: u16::from_ne_bytes([b[4], b[5]]),
            flags: u16::from_ne_bytes([b[6], b[7]]),
            seq: u32::from_ne_bytes([b[8], b[9], b[10], b[11]]),
            portid: u32::from_ne_bytes([b[12], b[13], b[14], b[15]]),
        })
    }

    /// Reads the message at the start of `bytes`: its header and its
    /// payload (the bytes after the header up to `len`). Fails when `len`
    /// is shorter than the header or longer than `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<(Header, &[u8])> {
        let h = Header::read(bytes)?;
        let len = usize::try_from(h.len).map_err(|_| Error::Malformed)?;
        if len < NLMSG_HDRLEN {
            return Err(Error::Malformed);
        }
        let payload = bytes.get(NLMSG_HDRLEN..len).ok_or(Error::Malformed)?;
        Ok((h, payload))
    }
}

/// `struct nfgenmsg`. `res_id` is kept in host order here and is in
/// network order on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NfGenMsg {
    pub family: u8,
    pub version: u8,
    pub res_id: u16,
}

impl NfGenMsg {
    /// Appends the 4 bytes.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.push(self.family);
        out.push(self.version);
        out.extend_from_slice(&self.res_id.to_be_bytes());
    }

    /// Reads the nfgenmsg at the start of a message payload; returns it and
    /// the attribute bytes after it.
    pub fn parse(payload: &[u8]) -> Result<(NfGenMsg, &[u8])> {
        let b = payload.get(..NFGENMSG_LEN).ok_or(Error::Malformed)?;
        let rest = payload.get(NFGENMSG_LEN..).unwrap_or_default();
        Ok((
            NfGenMsg {
                family: b[0],
                version: b[1],
                res_id: u16::from_be_bytes([b[2], b[3]]),
            },
            rest,
        ))
    }
}

/// Starts an nfnetlink message at the (aligned) end of `out`: writes the
/// header and the nfgenmsg, and returns the offset of the message for
/// [`finish`].
pub fn start(out: &mut Vec<u8>, header: &Header, nfg: &NfGenMsg) -> usize {
    out.resize(align(out.len()), 0);
    let at = out.len();
    header.write(out);
    nfg.write(out);
    at
}

/// Sets the length of the message that [`start`] began at `at` to cover
/// everything up to the end of `out`.
pub fn finish(out: &mut [u8], at: usize) -> Result<()> {
    let len = out.len().checked_sub(at).ok_or(Error::InvalidArgument)?;
    let len = u32::try_from(len).map_err(|_| Error::NoSpace)?;
    let hdr = out.get_mut(at..at + 4).ok_or(Error::InvalidArgument)?;
    hdr.copy_from_slice(&len.to_ne_bytes());
    Ok(())
}

/// Reads a whole nfnetlink message: header, nfgenmsg and the attribute
/// bytes after them.
pub fn parse_nfnl(bytes: &[u8]) -> Result<(Header, NfGenMsg, &[u8])> {
    let (h, payload) = Header::parse(bytes)?;
    let (nfg, attrs) = NfGenMsg::parse(payload)?;
    Ok((h, nfg, attrs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::{IPCTNL_MSG_CT_GET, NFNL_SUBSYS_CTNETLINK, NLM_F_DUMP, NLM_F_REQUEST};

    #[test]
    fn builds_an_nfnetlink_header() {
        let mut v = Vec::new();
        let h = Header::new(
            NFNL_SUBSYS_CTNETLINK,
            IPCTNL_MSG_CT_GET,
            NLM_F_REQUEST | NLM_F_DUMP,
            0x01020304,
            7,
        );
        let nfg = NfGenMsg {
            family: 2,
            version: 0,
            res_id: 0x0102,
        };
        let at = start(&mut v, &h, &nfg);
        assert_eq!(at, 0);
        v.extend_from_slice(&[8, 0, 3, 0, 0, 0, 0, 1]);
        finish(&mut v, at).unwrap();
        let mut want = Vec::new();
        want.extend_from_slice(&28u32.to_ne_bytes());
        want.extend_from_slice(&0x0101u16.to_ne_bytes());
        want.extend_from_slice(&0x0301u16.to_ne_bytes());
        want.extend_from_slice(&0x01020304u32.to_ne_bytes());
        want.extend_from_slice(&7u32.to_ne_bytes());
        want.extend_from_slice(&[2, 0, 1, 2, 8, 0, 3, 0, 0, 0, 0, 1]);
        assert_eq!(v, want);

        let (h2, nfg2, attrs) = parse_nfnl(&v).unwrap();
        assert_eq!(h2.len, 28);
        assert_eq!(h2.subsys(), NFNL_SUBSYS_CTNETLINK);
        assert_eq!(h2.msg(), IPCTNL_MSG_CT_GET);
        assert_eq!(h2.flags, NLM_F_REQUEST | NLM_F_DUMP);
        assert_eq!(h2.seq, 0x01020304);
        assert_eq!(h2.portid, 7);
        assert_eq!(nfg2, nfg);
        assert_eq!(attrs, &[8, 0, 3, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn rejects_bad_lengths() {
        let mut v = Vec::new();
        Header {
            len: 15,
            ..Header::default()
        }
        .write(&mut v);
        assert_eq!(Header::parse(&v), Err(Error::Malformed));
        v[0] = 17;
        assert_eq!(Header::parse(&v), Err(Error::Malformed));
        v[0] = 16;
        assert!(Header::parse(&v).is_ok());
        // No room for the nfgenmsg.
        assert_eq!(parse_nfnl(&v).map(|_| ()), Err(Error::Malformed));
        assert_eq!(Header::parse(&v[..10]), Err(Error::Malformed));
        assert_eq!(Header::read(&[]), Err(Error::Malformed));
    }
}
