//! Dump filters: the state behind `struct nfct_filter_dump` and the
//! attributes `nfct_nlmsg_build_filter` appends to a dump (or flush)
//! request, as upstream's src/conntrack/filter_dump.c and build_mnl.c.
//!
//! Attributes are written the way libmnl writes them: each at the 4-byte
//! aligned end of the message, padded with zeros, `nlmsg_len` growing by
//! the aligned size; nests carry `NLA_F_NESTED`.
#![forbid(unsafe_code)]

use super::MarkMatch;
use crate::conntrack::build;
use crate::conntrack::object::{Attr as CtAttr, Conntrack};
use crate::kernel::*;
use crate::netlink::attr::AttrWriter;
use crate::netlink::message::NFNL_HDRLEN;
use crate::{Error, Result};

/// Dump filter attribute ids (`enum nfct_filter_dump_attr`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attr {
    Mark = 0,
    L3Num = 1,
    Status = 2,
    Zone = 3,
    Tuple = 4,
}

impl Attr {
    /// Number of attributes (`NFCT_FILTER_DUMP_MAX`).
    pub const COUNT: u32 = 5;

    /// The attribute with this numeric id.
    pub fn from_id(id: u32) -> Option<Attr> {
        Some(match id {
            0 => Attr::Mark,
            1 => Attr::L3Num,
            2 => Attr::Status,
            3 => Attr::Zone,
            4 => Attr::Tuple,
            _ => return None,
        })
    }
}

/// A value for [`DumpFilter::set`], already read from C.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Mark(MarkMatch),
    L3Num(u8),
    Status(MarkMatch),
    Zone(u16),
    /// The conntrack whose original tuple the dumped entries must match.
    Tuple(Box<Conntrack>),
}

/// What a dump request is restricted to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DumpFilter {
    pub ct: Conntrack,
    pub mark: MarkMatch,
    pub status: MarkMatch,
    pub l3num: u8,
    /// Attributes set, one bit per [`Attr`].
    pub set: u32,
    pub zone: u16,
}

/// Bytes appended to a netlink message, libmnl style.
///
/// `bytes` starts at the 4-aligned end of the message as it was; the new
/// `nlmsg_len` is the old one plus `bytes.len()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    /// The `nfgen_family` of the message's `struct nfgenmsg`.
    pub family: u8,
    pub bytes: Vec<u8>,
}

impl DumpFilter {
    /// An empty dump filter.
    pub fn new() -> DumpFilter {
        DumpFilter::default()
    }

    /// Sets one attribute (`nfct_filter_dump_set_attr`). A tuple is
    /// copied.
    pub fn set(&mut self, value: Value) {
        let attr = match value {
            Value::Mark(m) => {
                self.mark = m;
                Attr::Mark
            }
            Value::L3Num(f) => {
                self.l3num = f;
                Attr::L3Num
            }
            Value::Status(m) => {
                self.status = m;
                Attr::Status
            }
            Value::Zone(z) => {
                self.zone = z;
                Attr::Zone
            }
            Value::Tuple(ct) => {
                self.ct = *ct;
                Attr::Tuple
            }
        };
        self.set |= 1 << attr as u32;
    }

    /// Whether `attr` is set.
    pub fn is_set(&self, attr: Attr) -> bool {
        self.set & (1 << attr as u32) != 0
    }

    /// Checks that the filter can go with a flush request: upstream
    /// refuses a tuple there with `EOPNOTSUPP`.
    pub fn check_flush(&self) -> Result<()> {
        if self.is_set(Attr::Tuple) {
            return Err(Error::NotSupported);
        }
        Ok(())
    }

    /// Appends the filter attributes to `tail` and updates its family, as
    /// `nfct_nlmsg_build_filter`. On error `tail` holds what upstream
    /// would have written before failing.
    pub fn build(&self, tail: &mut Tail) -> Result<()> {
        let mut w = AttrWriter::new(&mut tail.bytes);
        if self.is_set(Attr::Mark) {
            w.put_be32(CTA_MARK, self.mark.val)?;
            w.put_be32(CTA_MARK_MASK, self.mark.mask)?;
        }
        if self.is_set(Attr::L3Num) {
            tail.family = self.l3num;
        }
        if self.is_set(Attr::Status) {
            w.put_be32(CTA_STATUS, self.status.val)?;
            w.put_be32(CTA_STATUS_MASK, self.status.mask)?;
        }
        if self.is_set(Attr::Zone) {
            w.put_be16(CTA_ZONE, self.zone)?;
        }
        if self.is_set(Attr::Tuple) {
            // Upstream 1.1.1 sends the whole conntrack through
            // nfct_nlmsg_build, not only its tuples.
            let ct = &self.ct;
            build::put(ct, &mut w)?;
            let nest = w.nest_start(CTA_FILTER)?;
            if ct.is_set(CtAttr::OrigL3Proto) {
                if self.is_set(Attr::L3Num) && self.l3num != ct.head.orig.l3protonum {
                    return Err(Error::InvalidArgument);
                }
                tail.family = ct.head.orig.l3protonum;
            }
            w.put_u32(CTA_FILTER_ORIG_FLAGS, orig_flags(ct, tail.family))?;
            w.put_u32(CTA_FILTER_REPLY_FLAGS, 0)?;
            w.nest_end(nest)?;
        }
        Ok(())
    }

    /// Like [`build`](Self::build) on a whole message (`struct nlmsghdr`,
    /// `struct nfgenmsg`, attributes): appends, updates `nlmsg_len` and
    /// the family. Partial writes stay on error, as upstream's do.
    pub fn build_message(&self, msg: &mut Vec<u8>) -> Result<()> {
        if msg.len() < NFNL_HDRLEN {
            return Err(Error::InvalidArgument);
        }
        let old = u32::from_ne_bytes([msg[0], msg[1], msg[2], msg[3]]);
        let base = usize::try_from(old)
            .map_err(|_| Error::InvalidArgument)?
            .next_multiple_of(4);
        let mut tail = Tail {
            family: msg[16],
            bytes: Vec::new(),
        };
        let r = self.build(&mut tail);
        msg.resize(base, 0);
        msg.extend_from_slice(&tail.bytes);
        let new_len = u32::try_from(tail.bytes.len())
            .ok()
            .and_then(|n| old.checked_add(n))
            .ok_or(Error::NoSpace)?;
        msg[0..4].copy_from_slice(&new_len.to_ne_bytes());
        msg[16] = tail.family;
        r
    }
}

/// The CTA_FILTER_ORIG_FLAGS of upstream's `get_flags_from_ct`: which
/// fields of the original tuple the kernel compares.
fn orig_flags(ct: &Conntrack, family: u8) -> u32 {
    let mut flags = 0;
    let mut add = |attr: CtAttr, flag: u32| {
        if ct.is_set(attr) {
            flags |= flag;
        }
    };
    if family == AF_INET {
        add(CtAttr::OrigIpv4Src, CTA_FILTER_F_CTA_IP_SRC);
        add(CtAttr::OrigIpv4Dst, CTA_FILTER_F_CTA_IP_DST);
        add(CtAttr::IcmpType, CTA_FILTER_F_CTA_PROTO_ICMP_TYPE);
        add(CtAttr::IcmpCode, CTA_FILTER_F_CTA_PROTO_ICMP_CODE);
        add(CtAttr::IcmpId, CTA_FILTER_F_CTA_PROTO_ICMP_ID);
    } else if family == AF_INET6 {
        add(CtAttr::OrigIpv6Src, CTA_FILTER_F_CTA_IP_SRC);
        add(CtAttr::OrigIpv6Dst, CTA_FILTER_F_CTA_IP_DST);
        add(CtAttr::IcmpType, CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE);
        add(CtAttr::IcmpCode, CTA_FILTER_F_CTA_PROTO_ICMPV6_CODE);
        add(CtAttr::IcmpId, CTA_FILTER_F_CTA_PROTO_ICMPV6_ID);
    }
    add(CtAttr::OrigZone, CTA_FILTER_F_CTA_TUPLE_ZONE);
    add(CtAttr::OrigL4Proto, CTA_FILTER_F_CTA_PROTO_NUM);
    add(CtAttr::OrigPortSrc, CTA_FILTER_F_CTA_PROTO_SRC_PORT);
    add(CtAttr::OrigPortDst, CTA_FILTER_F_CTA_PROTO_DST_PORT);
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::object::Addr;

    /// Requests built by the original library (1.0.9) with
    /// ctests/filter/capture-dump.c.
    const GOLDEN: &str = include_str!("../../ctests/filter/golden-dump.txt");

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn golden(name: &str) -> (i32, Vec<u8>) {
        let line = GOLDEN
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap();
        let f: Vec<&str> = line.split(' ').collect();
        (f[1].parse().unwrap(), hex(f[2]))
    }

    /// The dump request header capture-dump.c starts from.
    fn request() -> Vec<u8> {
        golden("empty").1
    }

    fn built(f: &DumpFilter) -> (Result<()>, Vec<u8>) {
        let mut msg = request();
        let r = f.build_message(&mut msg);
        (r, msg)
    }

    const MARK: MarkMatch = MarkMatch {
        val: 0x1122_3344,
        mask: 0xff00_ff00,
    };
    const STATUS: MarkMatch = MarkMatch { val: 8, mask: 2 };

    #[test]
    fn matches_the_original() {
        let mut cases: Vec<(&str, DumpFilter)> = Vec::new();
        cases.push(("empty", DumpFilter::new()));
        let mut f = DumpFilter::new();
        f.set(Value::Mark(MARK));
        cases.push(("mark", f));
        let mut f = DumpFilter::new();
        f.set(Value::L3Num(10));
        cases.push(("l3num", f));
        let mut f = DumpFilter::new();
        f.set(Value::Status(STATUS));
        cases.push(("status", f));
        let mut f = DumpFilter::new();
        f.set(Value::Status(STATUS));
        f.set(Value::L3Num(2));
        f.set(Value::Mark(MARK));
        cases.push(("all", f));
        for (name, f) in cases {
            let (rc, want) = golden(name);
            assert_eq!(rc, 0);
            let (r, got) = built(&f);
            assert_eq!(r, Ok(()), "{name}");
            assert_eq!(got, want, "{name}");
        }
        assert_eq!(Attr::from_id(100), None);
    }

    #[test]
    fn zone() {
        let mut f = DumpFilter::new();
        f.set(Value::Zone(7));
        let (r, got) = built(&f);
        assert_eq!(r, Ok(()));
        let mut want = request();
        want[0] = 0x1c;
        want.extend_from_slice(&hex("0600120000070000"));
        assert_eq!(got, want);
    }

    fn tcp_tuple() -> Box<Conntrack> {
        let mut ct = Conntrack::new();
        let t = &mut ct.head.orig;
        t.l3protonum = 2;
        t.protonum = 6;
        t.src = Addr([u32::from_ne_bytes([192, 168, 0, 1]), 0, 0, 0]);
        t.dst = Addr([u32::from_ne_bytes([192, 168, 0, 2]), 0, 0, 0]);
        t.l4src = 1234u16.to_be();
        t.l4dst.set_port(80u16.to_be());
        for a in [
            CtAttr::OrigL3Proto,
            CtAttr::OrigL4Proto,
            CtAttr::OrigIpv4Src,
            CtAttr::OrigIpv4Dst,
            CtAttr::OrigPortDst,
        ] {
            ct.mark_set(a);
        }
        Box::new(ct)
    }

    #[test]
    fn tuple() {
        let mut f = DumpFilter::new();
        f.set(Value::Tuple(tcp_tuple()));
        assert_eq!(f.check_flush(), Err(Error::NotSupported));
        let (r, got) = built(&f);
        assert_eq!(r, Ok(()));
        let mut want = request();
        want[0] = 0x5c;
        want[16] = 2;
        let attrs = concat!(
            "34000180",
            "14000180",
            "08000100c0a80001",
            "08000200c0a80002",
            "1c000280",
            "0500010006000000",
            "0600020004d20000",
            "0600030000500000",
            "14001980",
            "080001002b000000",
            "0800020000000000",
        );
        want.extend_from_slice(&hex(attrs));
        assert_eq!(got, want);
    }

    #[test]
    fn tuple_sends_the_whole_conntrack() {
        // As upstream 1.1.1: nfct_nlmsg_build's attributes, then CTA_FILTER.
        let mut ct = tcp_tuple();
        ct.timeout = 30;
        ct.mark_set(CtAttr::Timeout);
        let mut f = DumpFilter::new();
        f.set(Value::Tuple(ct.clone()));
        let (r, got) = built(&f);
        assert_eq!(r, Ok(()));
        let mut want = request();
        build::put_attrs(&ct, &mut want).unwrap();
        assert_eq!(got[20..want.len()], want[20..]);
        assert_eq!(got[want.len() - 8..want.len()], hex("080007000000001e")[..]);
        assert_eq!(got.len(), want.len() + 20);
    }

    #[test]
    fn tuple_errors() {
        // The tuple's family contradicts L3NUM: EINVAL after the tuple
        // and the CTA_FILTER header are written, as upstream.
        let mut f = DumpFilter::new();
        f.set(Value::L3Num(10));
        f.set(Value::Tuple(tcp_tuple()));
        let (r, got) = built(&f);
        assert_eq!(r, Err(Error::InvalidArgument));
        assert_eq!(got.len(), 20 + 52 + 4);
        assert_eq!(u32::from_ne_bytes([got[0], got[1], got[2], got[3]]), 76);
        assert_eq!(got[16], 10);
        // No layer-3 protocol: nothing of the tuple is written.
        let mut f = DumpFilter::new();
        f.set(Value::Zone(1));
        f.set(Value::Tuple(Box::default()));
        let (r, got) = built(&f);
        assert_eq!(r, Err(Error::InvalidArgument));
        assert_eq!(got.len(), 28);
        // An unknown layer-3 protocol: the tuple nest is cancelled.
        let mut ct = tcp_tuple();
        ct.head.orig.l3protonum = 7;
        let mut f = DumpFilter::new();
        f.set(Value::Tuple(ct));
        let (r, got) = built(&f);
        assert!(r.is_err());
        assert_eq!(got, request());
        // A message shorter than its headers is refused.
        assert_eq!(
            f.build_message(&mut vec![0; 10]),
            Err(Error::InvalidArgument)
        );
    }

    #[test]
    fn ipv6_icmp_tuple_flags() {
        let mut ct = Conntrack::new();
        ct.head.orig.l3protonum = 10;
        ct.head.orig.protonum = 58;
        ct.head.orig.zone = 3;
        for a in [
            CtAttr::OrigL3Proto,
            CtAttr::OrigIpv6Src,
            CtAttr::IcmpType,
            CtAttr::IcmpId,
            CtAttr::OrigZone,
        ] {
            ct.mark_set(a);
        }
        assert_eq!(
            orig_flags(&ct, 10),
            CTA_FILTER_F_CTA_IP_SRC
                | CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE
                | CTA_FILTER_F_CTA_PROTO_ICMPV6_ID
                | CTA_FILTER_F_CTA_TUPLE_ZONE
        );
        let mut f = DumpFilter::new();
        f.set(Value::Tuple(Box::new(ct)));
        let (r, got) = built(&f);
        assert_eq!(r, Ok(()));
        assert_eq!(got[16], 10);
        // Tuple: IP nest with two 16-byte addresses, proto nest with
        // number, code, type, id; then the zone; then CTA_FILTER.
        let tuple_len = 4 + (4 + 20 + 20) + (4 + 8 + 8 + 8 + 8) + 8;
        assert_eq!(u16::from_ne_bytes([got[20], got[21]]) as usize, tuple_len);
        assert_eq!(
            got[20 + tuple_len - 8..20 + tuple_len],
            hex("0600030000030000")[..]
        );
        assert_eq!(got.len(), 20 + tuple_len + 20);
    }
}
