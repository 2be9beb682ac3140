//! Setting, reading and clearing single conntrack attributes: the
//! behaviour of upstream's src/conntrack/setter.c, getter.c and the
//! attribute functions of api.c.
//!
//! Values travel as the C API hands them over: the bytes a `const void *`
//! points to (addresses and ports already in network byte order), or a
//! host-order integer from `nfct_set_attr_u8/16/32/64`, which upstream also
//! passes on as the bytes of that integer. Each attribute reads as many
//! bytes as its type has; a shorter value is padded with zeros.
//!
//! Some setters touch more than their own field, as upstream's do: ICMP
//! type, code and id also write the reply tuple, NAT addresses and ports
//! fill both ends of the range. Some attributes are only marked as set
//! (counters, use, timestamps, security context): their storage is only
//! ever filled from kernel messages. Unsetting clears the mark and
//! nothing else.
//!
//! The typed getters read what a C caller reads through the pointer
//! `nfct_get_attr` returns: a getter wider than its attribute sees the
//! following bytes of upstream's object layout (see `layout`).
#![forbid(unsafe_code)]

use super::object::{protoinfo as pi, Addr, Attr, Conntrack, DIR_ORIG, DIR_REPL, HELPER_NAME_MAX};
use crate::kernel::{AF_INET, AF_INET6};
use crate::labels::Bitmask;
use crate::{Error, Result};

/// Index of the master tuple for [`Conntrack::tuple`].
const DIR_MASTER: usize = 2;

/// How the C API passes an attribute's value, and so how many bytes the
/// C layer must read from a `const void *` for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One byte.
    U8,
    /// Two bytes (ports in network order, zones and ICMP id).
    U16,
    /// Four bytes (IPv4 addresses in network order, 32-bit integers).
    U32,
    /// Eight bytes.
    U64,
    /// Sixteen bytes: an IPv6 address in network order.
    Addr,
    /// A NUL-terminated string of which at most
    /// [`HELPER_NAME_MAX`]` - 1` bytes are kept.
    HelperName,
    /// A NUL-terminated string that upstream's setter ignores: setting it
    /// only marks it as set. The value need not be read.
    Secctx,
    /// As many bytes as the caller says (`nfct_set_attr_l`'s `len`).
    HelperInfo,
    /// A pointer to a bitmask whose ownership moves into the object.
    Bitmask,
}

impl Kind {
    /// Number of bytes of a fixed-size value, `None` for the others.
    pub fn fixed_len(self) -> Option<usize> {
        match self {
            Kind::U8 => Some(1),
            Kind::U16 => Some(2),
            Kind::U32 => Some(4),
            Kind::U64 => Some(8),
            Kind::Addr => Some(16),
            Kind::HelperName | Kind::Secctx | Kind::HelperInfo | Kind::Bitmask => None,
        }
    }
}

/// The value type of `attr`, as the header comments of
/// `enum nf_conntrack_attr` give it.
pub fn kind(attr: Attr) -> Kind {
    use Attr::*;
    match attr {
        OrigIpv4Src | OrigIpv4Dst | ReplIpv4Src | ReplIpv4Dst | SnatIpv4 | DnatIpv4
        | MasterIpv4Src | MasterIpv4Dst => Kind::U32,
        OrigIpv6Src | OrigIpv6Dst | ReplIpv6Src | ReplIpv6Dst | MasterIpv6Src | MasterIpv6Dst
        | SnatIpv6 | DnatIpv6 => Kind::Addr,
        OrigPortSrc | OrigPortDst | ReplPortSrc | ReplPortDst | IcmpId | SnatPort | DnatPort
        | MasterPortSrc | MasterPortDst | Zone | OrigZone | ReplZone => Kind::U16,
        IcmpType | IcmpCode | OrigL3Proto | ReplL3Proto | OrigL4Proto | ReplL4Proto | TcpState
        | TcpFlagsOrig | TcpFlagsRepl | TcpMaskOrig | TcpMaskRepl | MasterL3Proto
        | MasterL4Proto | SctpState | DccpState | DccpRole | TcpWscaleOrig | TcpWscaleRepl => {
            Kind::U8
        }
        Timeout
        | Mark
        | Use
        | Id
        | Status
        | Secmark
        | OrigNatSeqCorrectionPos
        | OrigNatSeqOffsetBefore
        | OrigNatSeqOffsetAfter
        | ReplNatSeqCorrectionPos
        | ReplNatSeqOffsetBefore
        | ReplNatSeqOffsetAfter
        | SctpVtagOrig
        | SctpVtagRepl
        | SynproxyIsn
        | SynproxyIts
        | SynproxyTsoff => Kind::U32,
        OrigCounterPackets | ReplCounterPackets | OrigCounterBytes | ReplCounterBytes
        | DccpHandshakeSeq | TimestampStart | TimestampStop | TimestampEvent => Kind::U64,
        HelperName => Kind::HelperName,
        Secctx => Kind::Secctx,
        HelperInfo => Kind::HelperInfo,
        Connlabels | ConnlabelsMask => Kind::Bitmask,
    }
}

/// Where an attribute's value lives inside the object: what upstream's
/// getter points at. The C layer turns it into the pointer it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    U8(&'a u8),
    U16(&'a u16),
    U32(&'a u32),
    U64(&'a u64),
    /// A full 16-byte address.
    Addr(&'a Addr),
    /// Raw bytes: a destination port (or ICMP type and code), a field of
    /// the protocol-info union, the helper name array (NUL-terminated),
    /// the security context (with its NUL) or the helper info.
    Bytes(&'a [u8]),
    Bitmask(&'a Bitmask),
    /// The attribute is set but has no storage (a security context,
    /// helper info or label set that was marked without a value): upstream
    /// returns NULL without touching errno.
    Null,
}

impl Value<'_> {
    /// The first eight bytes of the value's memory, zero-padded: what a
    /// C caller reads through the returned pointer. For a bitmask this is
    /// its word count followed by its first word, as `struct nfct_bitmask`.
    fn prefix(&self) -> [u8; 8] {
        let mut out = [0u8; 8];
        let mut put = |b: &[u8]| {
            for (o, i) in out.iter_mut().zip(b) {
                *o = *i;
            }
        };
        match self {
            Value::U8(v) => put(&[**v]),
            Value::U16(v) => put(&v.to_ne_bytes()),
            Value::U32(v) => put(&v.to_ne_bytes()),
            Value::U64(v) => put(&v.to_ne_bytes()),
            Value::Addr(a) => put(&a.bytes()),
            Value::Bytes(b) => put(b),
            Value::Bitmask(m) => {
                let words = u32::try_from(m.words.len()).unwrap_or(u32::MAX);
                let first = m.words.first().copied().unwrap_or(0);
                let mut b = [0u8; 8];
                b[..4].copy_from_slice(&words.to_ne_bytes());
                b[4..].copy_from_slice(&first.to_ne_bytes());
                put(&b);
            }
            Value::Null => {}
        }
        out
    }

    /// The value's first byte (0 for [`Value::Null`]). Unlike
    /// [`Conntrack::get_u8`] and friends, the `as_*` readers never look
    /// past the value: narrower values are zero-extended.
    pub fn as_u8(&self) -> u8 {
        self.prefix()[0]
    }
    /// The value read as a `u16` (its first two bytes, native order).
    pub fn as_u16(&self) -> u16 {
        let p = self.prefix();
        u16::from_ne_bytes([p[0], p[1]])
    }
    /// The value read as a `u32` (its first four bytes, native order).
    pub fn as_u32(&self) -> u32 {
        let p = self.prefix();
        u32::from_ne_bytes([p[0], p[1], p[2], p[3]])
    }
    /// The value read as a `u64` (its first eight bytes, native order).
    pub fn as_u64(&self) -> u64 {
        u64::from_ne_bytes(self.prefix())
    }
}

/// The first `N` bytes of `v`, zero-padded.
fn take<const N: usize>(v: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(whole) = v.get(..N) {
        out.copy_from_slice(whole);
        return out;
    }
    for (o, i) in out.iter_mut().zip(v) {
        *o = *i;
    }
    out
}

fn rd_u8(v: &[u8]) -> u8 {
    take::<1>(v)[0]
}
fn rd_u16(v: &[u8]) -> u16 {
    u16::from_ne_bytes(take(v))
}
fn rd_u32(v: &[u8]) -> u32 {
    u32::from_ne_bytes(take(v))
}
fn rd_u64(v: &[u8]) -> u64 {
    u64::from_ne_bytes(take(v))
}

/// Reply ICMP type for an ICMP (v4) request type, plus one; 0 if none.
fn icmp_reply_type(t: u8) -> u8 {
    match t {
        8 => 1,   // echo -> echo reply (0)
        0 => 9,   // echo reply -> echo (8)
        13 => 15, // timestamp -> timestamp reply (14)
        14 => 14, // timestamp reply -> timestamp (13)
        15 => 17, // info request -> info reply (16)
        16 => 16, // info reply -> info request (15)
        17 => 19, // address mask request -> reply (18)
        18 => 18, // address mask reply -> request (17)
        _ => 0,
    }
}

/// Reply ICMPv6 type for an ICMPv6 request type, plus one; 0 if none.
fn icmpv6_reply_type(t: u8) -> u8 {
    match t {
        128 => 130, // echo request -> echo reply (129)
        129 => 129, // echo reply -> echo request (128)
        139 => 141, // node information query -> reply (140)
        140 => 140, // node information reply -> query (139)
        _ => 0,
    }
}

/// Writes the ICMP type into the original tuple and the matching reply
/// type into the reply tuple (255 when there is none), as upstream does.
pub(crate) fn set_icmp_type(ct: &mut Conntrack, t: u8) {
    ct.head.orig.l4dst.0[0] = t;
    let r = match ct.head.orig.l3protonum {
        AF_INET => icmp_reply_type(t),
        AF_INET6 => icmpv6_reply_type(t),
        _ => 0,
    };
    ct.repl.l4dst.0[0] = if r != 0 { r - 1 } else { 255 };
}

/// Stores a helper name the way `snprintf(buf, 16, "%s", name)` does: at
/// most 15 bytes up to the first NUL, then a NUL; later bytes stay.
pub(crate) fn store_helper_name(dst: &mut [u8; HELPER_NAME_MAX], name: &[u8]) {
    let n = name
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(name.len())
        .min(HELPER_NAME_MAX - 1);
    for (d, s) in dst.iter_mut().zip(name.iter().take(n)) {
        *d = *s;
    }
    if let Some(d) = dst.get_mut(n) {
        *d = 0;
    }
}

fn set_addr_v4(a: &mut Addr, v: &[u8]) {
    a.0[0] = u32::from_ne_bytes(take(v));
}

fn set_addr_v6(a: &mut Addr, v: &[u8]) {
    *a = Addr::from_bytes(take(v));
}

impl Conntrack {
    /// Sets `attr` from the bytes a C caller's `value` pointer points to,
    /// and marks it as set, exactly as upstream's setter table does.
    ///
    /// Fixed-size attributes read their size from the front of `value`
    /// (zero-padded when shorter). The helper name keeps at most 15 bytes
    /// up to the first NUL. Helper info keeps all of `value`. The security
    /// context, counters, use and start/stop timestamps are only marked
    /// as set; `TimestampEvent` is not settable and is left alone.
    ///
    /// Label sets are moved in with [`Conntrack::set_bitmask`]; passing
    /// bytes for them fails with [`Error::InvalidArgument`].
    pub fn set_bytes(&mut self, attr: Attr, v: &[u8]) -> Result<()> {
        use Attr::*;
        match attr {
            OrigIpv4Src => set_addr_v4(&mut self.head.orig.src, v),
            OrigIpv4Dst => set_addr_v4(&mut self.head.orig.dst, v),
            ReplIpv4Src => set_addr_v4(&mut self.repl.src, v),
            ReplIpv4Dst => set_addr_v4(&mut self.repl.dst, v),
            OrigIpv6Src => set_addr_v6(&mut self.head.orig.src, v),
            OrigIpv6Dst => set_addr_v6(&mut self.head.orig.dst, v),
            ReplIpv6Src => set_addr_v6(&mut self.repl.src, v),
            ReplIpv6Dst => set_addr_v6(&mut self.repl.dst, v),
            OrigPortSrc => self.head.orig.l4src = rd_u16(v),
            OrigPortDst => self.head.orig.l4dst.0 = take(v),
            ReplPortSrc => self.repl.l4src = rd_u16(v),
            ReplPortDst => self.repl.l4dst.0 = take(v),
            IcmpType => set_icmp_type(self, rd_u8(v)),
            IcmpCode => {
                let c = rd_u8(v);
                self.head.orig.l4dst.0[1] = c;
                self.repl.l4dst.0[1] = c;
            }
            IcmpId => {
                let id = rd_u16(v);
                self.head.orig.l4src = id;
                self.repl.l4src = id;
            }
            OrigL3Proto => self.head.orig.l3protonum = rd_u8(v),
            ReplL3Proto => self.repl.l3protonum = rd_u8(v),
            OrigL4Proto => self.head.orig.protonum = rd_u8(v),
            ReplL4Proto => self.repl.protonum = rd_u8(v),
            TcpState | SctpState | DccpState => self.protoinfo.0[pi::STATE] = rd_u8(v),
            TcpFlagsOrig => self.protoinfo.0[pi::TCP_FLAGS] = rd_u8(v),
            TcpMaskOrig => self.protoinfo.0[pi::TCP_FLAGS + 1] = rd_u8(v),
            TcpFlagsRepl => self.protoinfo.0[pi::TCP_FLAGS + 2] = rd_u8(v),
            TcpMaskRepl => self.protoinfo.0[pi::TCP_FLAGS + 3] = rd_u8(v),
            TcpWscaleOrig => self.protoinfo.0[pi::TCP_WSCALE + DIR_ORIG] = rd_u8(v),
            TcpWscaleRepl => self.protoinfo.0[pi::TCP_WSCALE + DIR_REPL] = rd_u8(v),
            SctpVtagOrig => self.protoinfo.set_u32_at(pi::SCTP_VTAG, rd_u32(v)),
            SctpVtagRepl => self.protoinfo.set_u32_at(pi::SCTP_VTAG + 4, rd_u32(v)),
            DccpRole => self.protoinfo.0[pi::DCCP_ROLE] = rd_u8(v),
            DccpHandshakeSeq => self.protoinfo.set_u64_at(pi::DCCP_HANDSHAKE_SEQ, rd_u64(v)),
            SnatIpv4 => {
                set_addr_v4(&mut self.snat.min_ip, v);
                set_addr_v4(&mut self.snat.max_ip, v);
            }
            DnatIpv4 => {
                set_addr_v4(&mut self.dnat.min_ip, v);
                set_addr_v4(&mut self.dnat.max_ip, v);
            }
            SnatIpv6 => {
                set_addr_v6(&mut self.snat.min_ip, v);
                set_addr_v6(&mut self.snat.max_ip, v);
            }
            DnatIpv6 => {
                set_addr_v6(&mut self.dnat.min_ip, v);
                set_addr_v6(&mut self.dnat.max_ip, v);
            }
            SnatPort => {
                self.snat.l4min = rd_u16(v);
                self.snat.l4max = self.snat.l4min;
            }
            DnatPort => {
                self.dnat.l4min = rd_u16(v);
                self.dnat.l4max = self.dnat.l4min;
            }
            Timeout => self.timeout = rd_u32(v),
            Mark => self.mark = rd_u32(v),
            Secmark => self.secmark = rd_u32(v),
            Status => self.status = rd_u32(v),
            Id => self.id = rd_u32(v),
            MasterIpv4Src => set_addr_v4(&mut self.master.src, v),
            MasterIpv4Dst => set_addr_v4(&mut self.master.dst, v),
            MasterIpv6Src => set_addr_v6(&mut self.master.src, v),
            MasterIpv6Dst => set_addr_v6(&mut self.master.dst, v),
            MasterPortSrc => self.master.l4src = rd_u16(v),
            MasterPortDst => self.master.l4dst.0 = take(v),
            MasterL3Proto => self.master.l3protonum = rd_u8(v),
            MasterL4Proto => self.master.protonum = rd_u8(v),
            OrigNatSeqCorrectionPos => self.natseq[DIR_ORIG].correction_pos = rd_u32(v),
            OrigNatSeqOffsetBefore => self.natseq[DIR_ORIG].offset_before = rd_u32(v),
            OrigNatSeqOffsetAfter => self.natseq[DIR_ORIG].offset_after = rd_u32(v),
            ReplNatSeqCorrectionPos => self.natseq[DIR_REPL].correction_pos = rd_u32(v),
            ReplNatSeqOffsetBefore => self.natseq[DIR_REPL].offset_before = rd_u32(v),
            ReplNatSeqOffsetAfter => self.natseq[DIR_REPL].offset_after = rd_u32(v),
            HelperName => store_helper_name(&mut self.helper_name, v),
            Zone => self.zone = rd_u16(v),
            OrigZone => self.head.orig.zone = rd_u16(v),
            ReplZone => self.repl.zone = rd_u16(v),
            HelperInfo => self.helper_info = Some(v.into()),
            SynproxyIsn => self.synproxy.isn = rd_u32(v),
            SynproxyIts => self.synproxy.its = rd_u32(v),
            SynproxyTsoff => self.synproxy.tsoff = rd_u32(v),
            // Upstream's setters for these do nothing: only the mark is set.
            OrigCounterPackets | ReplCounterPackets | OrigCounterBytes | ReplCounterBytes | Use
            | Secctx | TimestampStart | TimestampStop => {}
            // Upstream has no setter: nothing happens, not even the mark.
            TimestampEvent => return Ok(()),
            Connlabels | ConnlabelsMask => return Err(Error::InvalidArgument),
        }
        self.mark_set(attr);
        Ok(())
    }

    /// Sets `attr` from an 8-bit value (`nfct_set_attr_u8`). The common
    /// 8-bit attributes are stored directly, the rest as by
    /// [`Conntrack::set_bytes`]; either way with the same result.
    pub fn set_u8(&mut self, attr: Attr, v: u8) -> Result<()> {
        use Attr::*;
        let field = match attr {
            OrigL3Proto => &mut self.head.orig.l3protonum,
            ReplL3Proto => &mut self.repl.l3protonum,
            OrigL4Proto => &mut self.head.orig.protonum,
            ReplL4Proto => &mut self.repl.protonum,
            TcpState | SctpState | DccpState => &mut self.protoinfo.0[pi::STATE],
            _ => return self.set_bytes(attr, &[v]),
        };
        *field = v;
        self.mark_set(attr);
        Ok(())
    }
    /// Sets `attr` from a 16-bit value (`nfct_set_attr_u16`); ports are
    /// expected in network byte order, as with the C API. Ports and zones
    /// directly, the rest as by [`Conntrack::set_bytes`].
    pub fn set_u16(&mut self, attr: Attr, v: u16) -> Result<()> {
        use Attr::*;
        match attr {
            OrigPortSrc => self.head.orig.l4src = v,
            OrigPortDst => self.head.orig.l4dst.0 = v.to_ne_bytes(),
            ReplPortSrc => self.repl.l4src = v,
            ReplPortDst => self.repl.l4dst.0 = v.to_ne_bytes(),
            Zone => self.zone = v,
            OrigZone => self.head.orig.zone = v,
            ReplZone => self.repl.zone = v,
            _ => return self.set_bytes(attr, &v.to_ne_bytes()),
        }
        self.mark_set(attr);
        Ok(())
    }
    /// Sets `attr` from a 32-bit value (`nfct_set_attr_u32`). IPv4
    /// addresses and the common 32-bit fields directly, the rest as by
    /// [`Conntrack::set_bytes`].
    pub fn set_u32(&mut self, attr: Attr, v: u32) -> Result<()> {
        use Attr::*;
        let field = match attr {
            OrigIpv4Src => &mut self.head.orig.src.0[0],
            OrigIpv4Dst => &mut self.head.orig.dst.0[0],
            ReplIpv4Src => &mut self.repl.src.0[0],
            ReplIpv4Dst => &mut self.repl.dst.0[0],
            Timeout => &mut self.timeout,
            Mark => &mut self.mark,
            Secmark => &mut self.secmark,
            Status => &mut self.status,
            Id => &mut self.id,
            _ => return self.set_bytes(attr, &v.to_ne_bytes()),
        };
        *field = v;
        self.mark_set(attr);
        Ok(())
    }
    /// Sets `attr` from a 64-bit value (`nfct_set_attr_u64`).
    pub fn set_u64(&mut self, attr: Attr, v: u64) -> Result<()> {
        self.set_bytes(attr, &v.to_ne_bytes())
    }

    /// Moves a label set into `Connlabels` or `ConnlabelsMask` and marks
    /// it as set; the set it replaces is dropped. Other attributes fail
    /// with [`Error::InvalidArgument`].
    pub fn set_bitmask(&mut self, attr: Attr, m: Box<Bitmask>) -> Result<()> {
        match attr {
            Attr::Connlabels => self.connlabels = Some(m),
            Attr::ConnlabelsMask => self.connlabels_mask = Some(m),
            _ => return Err(Error::InvalidArgument),
        }
        self.mark_set(attr);
        Ok(())
    }

    /// The label set stored for `Connlabels` or `ConnlabelsMask`, set or
    /// not (the C layer needs it to recognise a pointer it already owns).
    pub fn bitmask_slot(&self, attr: Attr) -> Option<&Bitmask> {
        match attr {
            Attr::Connlabels => self.connlabels.as_deref(),
            Attr::ConnlabelsMask => self.connlabels_mask.as_deref(),
            _ => None,
        }
    }

    /// Where `attr` is stored, for any attribute whether set or not.
    pub fn value(&self, attr: Attr) -> Value<'_> {
        use Attr::*;
        let t = |d: usize| self.tuple(d);
        let p = &self.protoinfo.0;
        match attr {
            OrigIpv4Src => Value::U32(&t(DIR_ORIG).src.0[0]),
            OrigIpv4Dst => Value::U32(&t(DIR_ORIG).dst.0[0]),
            ReplIpv4Src => Value::U32(&t(DIR_REPL).src.0[0]),
            ReplIpv4Dst => Value::U32(&t(DIR_REPL).dst.0[0]),
            OrigIpv6Src => Value::Addr(&t(DIR_ORIG).src),
            OrigIpv6Dst => Value::Addr(&t(DIR_ORIG).dst),
            ReplIpv6Src => Value::Addr(&t(DIR_REPL).src),
            ReplIpv6Dst => Value::Addr(&t(DIR_REPL).dst),
            OrigPortSrc | IcmpId => Value::U16(&t(DIR_ORIG).l4src),
            OrigPortDst => Value::Bytes(&t(DIR_ORIG).l4dst.0),
            ReplPortSrc => Value::U16(&t(DIR_REPL).l4src),
            ReplPortDst => Value::Bytes(&t(DIR_REPL).l4dst.0),
            IcmpType => Value::U8(&t(DIR_ORIG).l4dst.0[0]),
            IcmpCode => Value::U8(&t(DIR_ORIG).l4dst.0[1]),
            OrigL3Proto => Value::U8(&t(DIR_ORIG).l3protonum),
            ReplL3Proto => Value::U8(&t(DIR_REPL).l3protonum),
            OrigL4Proto => Value::U8(&t(DIR_ORIG).protonum),
            ReplL4Proto => Value::U8(&t(DIR_REPL).protonum),
            TcpState | SctpState | DccpState => Value::U8(&p[pi::STATE]),
            TcpFlagsOrig => Value::U8(&p[pi::TCP_FLAGS]),
            TcpMaskOrig => Value::U8(&p[pi::TCP_FLAGS + 1]),
            TcpFlagsRepl => Value::U8(&p[pi::TCP_FLAGS + 2]),
            TcpMaskRepl => Value::U8(&p[pi::TCP_FLAGS + 3]),
            TcpWscaleOrig => Value::U8(&p[pi::TCP_WSCALE + DIR_ORIG]),
            TcpWscaleRepl => Value::U8(&p[pi::TCP_WSCALE + DIR_REPL]),
            SctpVtagOrig => Value::Bytes(&p[pi::SCTP_VTAG..pi::SCTP_VTAG + 4]),
            SctpVtagRepl => Value::Bytes(&p[pi::SCTP_VTAG + 4..pi::SCTP_VTAG + 8]),
            DccpRole => Value::U8(&p[pi::DCCP_ROLE]),
            DccpHandshakeSeq => {
                Value::Bytes(&p[pi::DCCP_HANDSHAKE_SEQ..pi::DCCP_HANDSHAKE_SEQ + 8])
            }
            SnatIpv4 => Value::U32(&self.snat.min_ip.0[0]),
            DnatIpv4 => Value::U32(&self.dnat.min_ip.0[0]),
            SnatIpv6 => Value::Addr(&self.snat.min_ip),
            DnatIpv6 => Value::Addr(&self.dnat.min_ip),
            SnatPort => Value::U16(&self.snat.l4min),
            DnatPort => Value::U16(&self.dnat.l4min),
            Timeout => Value::U32(&self.timeout),
            Mark => Value::U32(&self.mark),
            Secmark => Value::U32(&self.secmark),
            OrigCounterPackets => Value::U64(&self.counters[DIR_ORIG].packets),
            OrigCounterBytes => Value::U64(&self.counters[DIR_ORIG].bytes),
            ReplCounterPackets => Value::U64(&self.counters[DIR_REPL].packets),
            ReplCounterBytes => Value::U64(&self.counters[DIR_REPL].bytes),
            Status => Value::U32(&self.status),
            Use => Value::U32(&self.use_),
            Id => Value::U32(&self.id),
            MasterIpv4Src => Value::U32(&t(DIR_MASTER).src.0[0]),
            MasterIpv4Dst => Value::U32(&t(DIR_MASTER).dst.0[0]),
            MasterIpv6Src => Value::Addr(&t(DIR_MASTER).src),
            MasterIpv6Dst => Value::Addr(&t(DIR_MASTER).dst),
            MasterPortSrc => Value::U16(&t(DIR_MASTER).l4src),
            MasterPortDst => Value::Bytes(&t(DIR_MASTER).l4dst.0),
            MasterL3Proto => Value::U8(&t(DIR_MASTER).l3protonum),
            MasterL4Proto => Value::U8(&t(DIR_MASTER).protonum),
            OrigNatSeqCorrectionPos => Value::U32(&self.natseq[DIR_ORIG].correction_pos),
            OrigNatSeqOffsetBefore => Value::U32(&self.natseq[DIR_ORIG].offset_before),
            OrigNatSeqOffsetAfter => Value::U32(&self.natseq[DIR_ORIG].offset_after),
            ReplNatSeqCorrectionPos => Value::U32(&self.natseq[DIR_REPL].correction_pos),
            ReplNatSeqOffsetBefore => Value::U32(&self.natseq[DIR_REPL].offset_before),
            ReplNatSeqOffsetAfter => Value::U32(&self.natseq[DIR_REPL].offset_after),
            HelperName => Value::Bytes(&self.helper_name),
            Zone => Value::U16(&self.zone),
            OrigZone => Value::U16(&t(DIR_ORIG).zone),
            ReplZone => Value::U16(&t(DIR_REPL).zone),
            Secctx => self.secctx.as_deref().map_or(Value::Null, Value::Bytes),
            TimestampStart => Value::U64(&self.timestamp.start),
            TimestampStop => Value::U64(&self.timestamp.stop),
            HelperInfo => self
                .helper_info
                .as_deref()
                .map_or(Value::Null, Value::Bytes),
            Connlabels => self
                .connlabels
                .as_deref()
                .map_or(Value::Null, Value::Bitmask),
            ConnlabelsMask => self
                .connlabels_mask
                .as_deref()
                .map_or(Value::Null, Value::Bitmask),
            SynproxyIsn => Value::U32(&self.synproxy.isn),
            SynproxyIts => Value::U32(&self.synproxy.its),
            SynproxyTsoff => Value::U32(&self.synproxy.tsoff),
            TimestampEvent => Value::U64(&self.timestamp_event),
        }
    }

    /// The value of `attr` (`nfct_get_attr`), or [`Error::NotSet`].
    pub fn get(&self, attr: Attr) -> Result<Value<'_>> {
        if self.is_set(attr) {
            Ok(self.value(attr))
        } else {
            Err(Error::NotSet)
        }
    }

    /// The first `n` (at most 8) bytes a C caller reads through the
    /// pointer `nfct_get_attr` returns, as a native-order integer. Reads
    /// wider than the attribute continue into the neighbouring fields of
    /// upstream's object layout, as they do with the original.
    fn read(&self, attr: Attr, n: usize) -> Result<u64> {
        let v = self.get(attr)?;
        let mut b = [0u8; 8];
        let fits = match v {
            Value::U8(_) => n <= 1,
            Value::U16(_) => n <= 2,
            Value::U32(_) => n <= 4,
            Value::U64(_) | Value::Addr(_) => true,
            Value::Bytes(x) => n <= x.len(),
            Value::Bitmask(_) | Value::Null => true,
        };
        match layout::offset(attr) {
            Some(off) if !fits => {
                let img = layout::image(self);
                for (d, s) in b.iter_mut().take(n).zip(img.iter().skip(off)) {
                    *d = *s;
                }
            }
            _ => {
                for (d, s) in b.iter_mut().take(n).zip(v.prefix()) {
                    *d = s;
                }
            }
        }
        Ok(u64::from_ne_bytes(b))
    }

    /// `nfct_get_attr_u8`: the first byte of the value; 0 when the
    /// attribute is set without storage.
    ///
    /// The common 8-bit attributes are read directly, the rest through
    /// the general read; the two agree (see the tests).
    pub fn get_u8(&self, attr: Attr) -> Result<u8> {
        use Attr::*;
        let v = match attr {
            OrigL3Proto => self.head.orig.l3protonum,
            ReplL3Proto => self.repl.l3protonum,
            OrigL4Proto => self.head.orig.protonum,
            ReplL4Proto => self.repl.protonum,
            TcpState | SctpState | DccpState => self.protoinfo.0[pi::STATE],
            _ => return self.read(attr, 1).map(|v| v as u8),
        };
        self.if_set(attr, v)
    }
    /// `nfct_get_attr_u16`: the first two bytes of the value, native order.
    /// Ports and zones directly, the rest through the general read.
    pub fn get_u16(&self, attr: Attr) -> Result<u16> {
        use Attr::*;
        let v = match attr {
            OrigPortSrc => self.head.orig.l4src,
            OrigPortDst => u16::from_ne_bytes(self.head.orig.l4dst.0),
            ReplPortSrc => self.repl.l4src,
            ReplPortDst => u16::from_ne_bytes(self.repl.l4dst.0),
            Zone => self.zone,
            OrigZone => self.head.orig.zone,
            ReplZone => self.repl.zone,
            _ => return self.read(attr, 2).map(|v| v as u16),
        };
        self.if_set(attr, v)
    }
    /// `nfct_get_attr_u32`: the first four bytes of the value, native order.
    /// IPv4 addresses and the common 32-bit fields directly, the rest
    /// through the general read.
    pub fn get_u32(&self, attr: Attr) -> Result<u32> {
        use Attr::*;
        let v = match attr {
            OrigIpv4Src => self.head.orig.src.0[0],
            OrigIpv4Dst => self.head.orig.dst.0[0],
            ReplIpv4Src => self.repl.src.0[0],
            ReplIpv4Dst => self.repl.dst.0[0],
            Timeout => self.timeout,
            Mark => self.mark,
            Secmark => self.secmark,
            Status => self.status,
            Id => self.id,
            _ => return self.read(attr, 4).map(|v| v as u32),
        };
        self.if_set(attr, v)
    }

    /// `v` when `attr` is set, as [`Conntrack::get`] decides.
    fn if_set<T>(&self, attr: Attr, v: T) -> Result<T> {
        if self.is_set(attr) {
            Ok(v)
        } else {
            Err(Error::NotSet)
        }
    }
    /// `nfct_get_attr_u64`: the first eight bytes of the value, native order.
    pub fn get_u64(&self, attr: Attr) -> Result<u64> {
        self.read(attr, 8)
    }

    /// Clears the mark of `attr` (`nfct_attr_unset`). Stored data, label
    /// sets and strings included, stays until overwritten or destroyed.
    pub fn unset(&mut self, attr: Attr) {
        self.mark_unset(attr)
    }

    /// `nfct_attr_is_set_array`: whether every id in `ids` is set. Checks
    /// in order: an unset attribute gives `Ok(false)` at once, an id out of
    /// range met first gives [`Error::InvalidArgument`].
    pub fn are_set(&self, ids: &[u32]) -> Result<bool> {
        for &id in ids {
            let attr = Attr::from_id(id).ok_or(Error::InvalidArgument)?;
            if !self.is_set(attr) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Upstream's `struct nf_conntrack` as a C program sees it on x86_64 (and
/// other LP64 targets), for getters that read more bytes than their
/// attribute has: the original then returns the bytes of the next fields.
mod layout {
    use super::super::object::{protoinfo as pi, Attr, Conntrack, Tuple, DIR_ORIG, DIR_REPL};

    /// `sizeof(struct nf_conntrack)`.
    pub const SIZE: usize = 400;
    const ORIG: usize = 0;
    const SET: usize = 40;
    const REPL: usize = 52;
    const MASTER: usize = 92;
    const TIMEOUT: usize = 132;
    const ZONE: usize = 156;
    const HELPER_NAME: usize = 158;
    const PROTOINFO: usize = 184;
    const COUNTERS: usize = 200;
    const SNAT: usize = 232;
    const DNAT: usize = 268;
    const NATSEQ: usize = 304;
    const TIMESTAMP: usize = 328;
    const SYNPROXY: usize = 344;
    const TIMESTAMP_EVENT: usize = 392;

    /// Offsets inside `struct __nfct_tuple` and `struct __nfct_nat`.
    const T_DST: usize = 16;
    const T_L3: usize = 32;
    const T_L4: usize = 33;
    const T_ZONE: usize = 34;
    const T_L4SRC: usize = 36;
    const T_L4DST: usize = 38;
    const N_MAX: usize = 16;
    const N_L4MIN: usize = 32;
    const N_L4MAX: usize = 34;

    /// Where upstream stores `attr`; `None` for values behind pointers.
    pub fn offset(attr: Attr) -> Option<usize> {
        use Attr::*;
        Some(match attr {
            OrigIpv4Src | OrigIpv6Src => ORIG,
            OrigIpv4Dst | OrigIpv6Dst => ORIG + T_DST,
            ReplIpv4Src | ReplIpv6Src => REPL,
            ReplIpv4Dst | ReplIpv6Dst => REPL + T_DST,
            MasterIpv4Src | MasterIpv6Src => MASTER,
            MasterIpv4Dst | MasterIpv6Dst => MASTER + T_DST,
            OrigPortSrc | IcmpId => ORIG + T_L4SRC,
            OrigPortDst | IcmpType => ORIG + T_L4DST,
            IcmpCode => ORIG + T_L4DST + 1,
            ReplPortSrc => REPL + T_L4SRC,
            ReplPortDst => REPL + T_L4DST,
            MasterPortSrc => MASTER + T_L4SRC,
            MasterPortDst => MASTER + T_L4DST,
            OrigL3Proto => ORIG + T_L3,
            ReplL3Proto => REPL + T_L3,
            MasterL3Proto => MASTER + T_L3,
            OrigL4Proto => ORIG + T_L4,
            ReplL4Proto => REPL + T_L4,
            MasterL4Proto => MASTER + T_L4,
            OrigZone => ORIG + T_ZONE,
            ReplZone => REPL + T_ZONE,
            Timeout => TIMEOUT,
            Mark => TIMEOUT + 4,
            Secmark => TIMEOUT + 8,
            Status => TIMEOUT + 12,
            Use => TIMEOUT + 16,
            Id => TIMEOUT + 20,
            Zone => ZONE,
            HelperName => HELPER_NAME,
            TcpState | SctpState | DccpState => PROTOINFO + pi::STATE,
            TcpFlagsOrig => PROTOINFO + pi::TCP_FLAGS,
            TcpMaskOrig => PROTOINFO + pi::TCP_FLAGS + 1,
            TcpFlagsRepl => PROTOINFO + pi::TCP_FLAGS + 2,
            TcpMaskRepl => PROTOINFO + pi::TCP_FLAGS + 3,
            TcpWscaleOrig => PROTOINFO + pi::TCP_WSCALE,
            TcpWscaleRepl => PROTOINFO + pi::TCP_WSCALE + 1,
            SctpVtagOrig => PROTOINFO + pi::SCTP_VTAG,
            SctpVtagRepl => PROTOINFO + pi::SCTP_VTAG + 4,
            DccpRole => PROTOINFO + pi::DCCP_ROLE,
            DccpHandshakeSeq => PROTOINFO + pi::DCCP_HANDSHAKE_SEQ,
            OrigCounterPackets => COUNTERS,
            OrigCounterBytes => COUNTERS + 8,
            ReplCounterPackets => COUNTERS + 16,
            ReplCounterBytes => COUNTERS + 24,
            SnatIpv4 | SnatIpv6 => SNAT,
            DnatIpv4 | DnatIpv6 => DNAT,
            SnatPort => SNAT + N_L4MIN,
            DnatPort => DNAT + N_L4MIN,
            OrigNatSeqCorrectionPos => NATSEQ,
            OrigNatSeqOffsetBefore => NATSEQ + 4,
            OrigNatSeqOffsetAfter => NATSEQ + 8,
            ReplNatSeqCorrectionPos => NATSEQ + 12,
            ReplNatSeqOffsetBefore => NATSEQ + 16,
            ReplNatSeqOffsetAfter => NATSEQ + 20,
            TimestampStart => TIMESTAMP,
            TimestampStop => TIMESTAMP + 8,
            SynproxyIsn => SYNPROXY,
            SynproxyIts => SYNPROXY + 4,
            SynproxyTsoff => SYNPROXY + 8,
            TimestampEvent => TIMESTAMP_EVENT,
            Secctx | HelperInfo | Connlabels | ConnlabelsMask => return None,
        })
    }

    fn put(img: &mut [u8; SIZE], off: usize, b: &[u8]) {
        for (d, s) in img.iter_mut().skip(off).zip(b) {
            *d = *s;
        }
    }

    fn put_tuple(img: &mut [u8; SIZE], off: usize, t: &Tuple) {
        put(img, off, &t.src.bytes());
        put(img, off + T_DST, &t.dst.bytes());
        put(img, off + T_L3, &[t.l3protonum, t.protonum]);
        put(img, off + T_ZONE, &t.zone.to_ne_bytes());
        put(img, off + T_L4SRC, &t.l4src.to_ne_bytes());
        put(img, off + T_L4DST, &t.l4dst.0);
    }

    /// The object's bytes in upstream's layout; pointers and padding read
    /// as zero.
    pub fn image(ct: &Conntrack) -> [u8; SIZE] {
        let mut img = [0u8; SIZE];
        put_tuple(&mut img, ORIG, &ct.head.orig);
        for (i, w) in ct.head.set.iter().enumerate() {
            put(&mut img, SET + 4 * i, &w.to_ne_bytes());
        }
        put_tuple(&mut img, REPL, &ct.repl);
        put_tuple(&mut img, MASTER, &ct.master);
        let words = [ct.timeout, ct.mark, ct.secmark, ct.status, ct.use_, ct.id];
        for (i, w) in words.iter().enumerate() {
            put(&mut img, TIMEOUT + 4 * i, &w.to_ne_bytes());
        }
        put(&mut img, ZONE, &ct.zone.to_ne_bytes());
        put(&mut img, HELPER_NAME, &ct.helper_name);
        put(&mut img, PROTOINFO, &ct.protoinfo.0);
        for (i, c) in ct.counters.iter().enumerate() {
            put(&mut img, COUNTERS + 16 * i, &c.packets.to_ne_bytes());
            put(&mut img, COUNTERS + 16 * i + 8, &c.bytes.to_ne_bytes());
        }
        for (off, n) in [(SNAT, &ct.snat), (DNAT, &ct.dnat)] {
            put(&mut img, off, &n.min_ip.bytes());
            put(&mut img, off + N_MAX, &n.max_ip.bytes());
            put(&mut img, off + N_L4MIN, &n.l4min.to_ne_bytes());
            put(&mut img, off + N_L4MAX, &n.l4max.to_ne_bytes());
        }
        for (i, d) in [DIR_ORIG, DIR_REPL].into_iter().enumerate() {
            let s = &ct.natseq[d];
            let off = NATSEQ + 12 * i;
            put(&mut img, off, &s.correction_pos.to_ne_bytes());
            put(&mut img, off + 4, &s.offset_before.to_ne_bytes());
            put(&mut img, off + 8, &s.offset_after.to_ne_bytes());
        }
        put(&mut img, TIMESTAMP, &ct.timestamp.start.to_ne_bytes());
        put(&mut img, TIMESTAMP + 8, &ct.timestamp.stop.to_ne_bytes());
        put(&mut img, SYNPROXY, &ct.synproxy.isn.to_ne_bytes());
        put(&mut img, SYNPROXY + 4, &ct.synproxy.its.to_ne_bytes());
        put(&mut img, SYNPROXY + 8, &ct.synproxy.tsoff.to_ne_bytes());
        put(&mut img, TIMESTAMP_EVENT, &ct.timestamp_event.to_ne_bytes());
        img
    }
}

/// The attribute with C id `id`, or [`Error::InvalidArgument`] (upstream
/// rejects ids `>= ATTR_MAX`, negative ones included, with `EINVAL`).
pub fn attr_from_id(id: i32) -> Result<Attr> {
    u32::try_from(id)
        .ok()
        .and_then(Attr::from_id)
        .ok_or(Error::InvalidArgument)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::fixtures::set_ids;

    #[test]
    fn typed_getters_match_the_general_read() {
        let mut ct = Conntrack::new();
        for (i, &a) in Attr::ALL.iter().enumerate() {
            let v = 0x0102_0304u32.wrapping_mul(i as u32 + 7);
            let _ = ct.set_u32(a, v);
        }
        let mut half = ct.clone();
        for &a in Attr::ALL.iter().step_by(2) {
            half.unset(a);
        }
        for c in [&ct, &half, &Conntrack::new()] {
            for &a in Attr::ALL {
                let e = |r: Result<u64>| r.map_err(|e| e.errno());
                assert_eq!(
                    c.get_u8(a).map_err(|e| e.errno()),
                    e(c.read(a, 1)).map(|v| v as u8),
                    "{a:?}"
                );
                assert_eq!(
                    c.get_u16(a).map_err(|e| e.errno()),
                    e(c.read(a, 2)).map(|v| v as u16),
                    "{a:?}"
                );
                assert_eq!(
                    c.get_u32(a).map_err(|e| e.errno()),
                    e(c.read(a, 4)).map(|v| v as u32),
                    "{a:?}"
                );
            }
        }
    }

    #[test]
    fn typed_setters_match_set_bytes() {
        for &a in Attr::ALL {
            for v in [0u32, 1, 0x8000_0001, u32::MAX] {
                type Setter = fn(&mut Conntrack, Attr, u32) -> Result<()>;
                let typed: [Setter; 3] = [
                    |c, a, v| c.set_u8(a, v as u8),
                    |c, a, v| c.set_u16(a, v as u16),
                    |c, a, v| c.set_u32(a, v),
                ];
                let bytes: [&[u8]; 3] = [&[v as u8], &(v as u16).to_ne_bytes(), &v.to_ne_bytes()];
                for (set, b) in typed.iter().zip(bytes) {
                    let (mut x, mut y) = (Conntrack::new(), Conntrack::new());
                    let rx = set(&mut x, a, v).map_err(|e| e.errno());
                    let ry = y.set_bytes(a, b).map_err(|e| e.errno());
                    assert_eq!((rx, &x), (ry, &y), "{a:?} {v:#x} as {b:?}");
                }
            }
        }
    }

    #[test]
    fn every_fixed_attr_round_trips() {
        for &a in Attr::ALL {
            let mut ct = Conntrack::new();
            let bytes: Vec<u8> = (1..=16).collect();
            match kind(a) {
                Kind::U8 | Kind::U16 | Kind::U32 | Kind::U64 | Kind::Addr => {}
                _ => continue,
            }
            ct.set_bytes(a, &bytes).unwrap();
            let n = kind(a).fixed_len().unwrap();
            let only_marked = matches!(
                a,
                Attr::OrigCounterPackets
                    | Attr::ReplCounterPackets
                    | Attr::OrigCounterBytes
                    | Attr::ReplCounterBytes
                    | Attr::Use
                    | Attr::TimestampStart
                    | Attr::TimestampStop
            );
            if a == Attr::TimestampEvent {
                assert!(!ct.is_set(a));
                assert_eq!(ct.get_u64(a), Err(Error::NotSet));
                continue;
            }
            assert_eq!(set_ids(&ct), vec![a.id()], "{a:?}");
            let want = if only_marked {
                0
            } else {
                u64::from_ne_bytes(take(&bytes[..n.min(8)]))
            };
            let got = match n {
                1 => u64::from(ct.get_u8(a).unwrap()),
                2 => u64::from(ct.get_u16(a).unwrap()),
                4 => u64::from(ct.get_u32(a).unwrap()),
                _ => ct.get_u64(a).unwrap(),
            };
            assert_eq!(got, want, "{a:?}");
            if n == 16 {
                let Value::Addr(addr) = ct.get(a).unwrap() else {
                    panic!("{a:?} is not an address")
                };
                assert_eq!(addr.bytes().to_vec(), bytes);
            }
            ct.unset(a);
            assert!(set_ids(&ct).is_empty());
            assert_eq!(ct.get(a), Err(Error::NotSet));
            assert_eq!(ct.get_u32(a), Err(Error::NotSet));
        }
    }

    #[test]
    fn narrow_reads_take_the_first_bytes() {
        let mut ct = Conntrack::new();
        ct.set_u32(Attr::Mark, 0x1122_3344).unwrap();
        assert_eq!(ct.get_u8(Attr::Mark), Ok(0x44));
        assert_eq!(ct.get_u16(Attr::Mark), Ok(0x3344));
        // A u32 passed for a port keeps its first two bytes.
        ct.set_u32(Attr::OrigPortSrc, 0x1234_5678).unwrap();
        assert_eq!(ct.get_u16(Attr::OrigPortSrc), Ok(0x5678));
    }

    #[test]
    fn icmp_setters_fill_the_reply_tuple() {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::OrigL3Proto, AF_INET).unwrap();
        ct.set_u8(Attr::IcmpType, 8).unwrap();
        ct.set_u8(Attr::IcmpCode, 3).unwrap();
        ct.set_u16(Attr::IcmpId, 0x1234).unwrap();
        assert_eq!(ct.repl.l4dst.0, [0, 3]);
        assert_eq!(ct.repl.l4src, 0x1234);
        assert_eq!(ct.get_u16(Attr::OrigPortDst), Err(Error::NotSet));
        ct.mark_set(Attr::OrigPortDst);
        assert_eq!(ct.get_u16(Attr::OrigPortDst), Ok(0x0308));
        assert_eq!(ct.get_u16(Attr::OrigPortSrc), Err(Error::NotSet));
        assert_eq!(
            set_ids(&ct),
            vec![9, 12, 13, 14, 15] // port dst marked by hand above
        );
        // Unknown request type, or no l3 protocol: reply type 255.
        ct.set_u8(Attr::IcmpType, 3).unwrap();
        assert_eq!(ct.repl.l4dst.0[0], 255);
        ct.set_u8(Attr::OrigL3Proto, AF_INET6).unwrap();
        ct.set_u8(Attr::IcmpType, 128).unwrap();
        assert_eq!(ct.repl.l4dst.0[0], 129);
        ct.set_u8(Attr::IcmpType, 140).unwrap();
        assert_eq!(ct.repl.l4dst.0[0], 139);
        ct.set_u8(Attr::IcmpType, 8).unwrap();
        assert_eq!(ct.repl.l4dst.0[0], 255);
        ct.set_u8(Attr::OrigL3Proto, 0).unwrap();
        ct.set_u8(Attr::IcmpType, 8).unwrap();
        assert_eq!(ct.repl.l4dst.0[0], 255);
        for (req, rep) in [
            (0, 8),
            (13, 14),
            (14, 13),
            (15, 16),
            (16, 15),
            (17, 18),
            (18, 17),
        ] {
            ct.set_u8(Attr::OrigL3Proto, AF_INET).unwrap();
            ct.set_u8(Attr::IcmpType, req).unwrap();
            assert_eq!(ct.repl.l4dst.0[0], rep);
        }
    }

    #[test]
    fn shared_storage_aliases_like_upstream() {
        let mut ct = Conntrack::new();
        let v6: [u8; 16] = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        ct.set_bytes(Attr::OrigIpv6Src, &v6).unwrap();
        ct.set_u32(Attr::OrigIpv4Src, u32::from_ne_bytes([10, 0, 0, 1]))
            .unwrap();
        let Value::Addr(a) = ct.get(Attr::OrigIpv6Src).unwrap() else {
            panic!()
        };
        assert_eq!(a.bytes()[..4], [10, 0, 0, 1]);
        assert_eq!(a.bytes()[4..], v6[4..]);
        // TCP, SCTP and DCCP state are one byte.
        ct.set_u8(Attr::TcpState, 3).unwrap();
        ct.mark_set(Attr::SctpState);
        assert_eq!(ct.get_u8(Attr::SctpState), Ok(3));
        // SCTP's original vtag covers the TCP reply mask and window scales.
        ct.set_u8(Attr::TcpWscaleOrig, 7).unwrap();
        ct.mark_set(Attr::SctpVtagOrig);
        assert_eq!(ct.get_u32(Attr::SctpVtagOrig), Ok(7 << 8));
        ct.set_u64(Attr::DccpHandshakeSeq, 0x0102_0304_0506_0708)
            .unwrap();
        ct.mark_set(Attr::SctpVtagRepl);
        assert_eq!(ct.get_u32(Attr::SctpVtagRepl), Ok(0x0506_0708));
        // NAT setters fill both ends of the range.
        ct.set_u32(Attr::SnatIpv4, 0x0a0b_0c0d).unwrap();
        assert_eq!(ct.snat.max_ip.0[0], 0x0a0b_0c0d);
        ct.set_u16(Attr::DnatPort, 0x5000).unwrap();
        assert_eq!((ct.dnat.l4min, ct.dnat.l4max), (0x5000, 0x5000));
        ct.set_bytes(Attr::DnatIpv6, &v6).unwrap();
        assert_eq!(ct.dnat.max_ip.bytes(), v6);
    }

    #[test]
    fn zones_are_separate() {
        let mut ct = Conntrack::new();
        ct.set_u16(Attr::Zone, 1).unwrap();
        ct.set_u16(Attr::OrigZone, 2).unwrap();
        ct.set_u16(Attr::ReplZone, 3).unwrap();
        assert_eq!(ct.get_u16(Attr::Zone), Ok(1));
        assert_eq!(ct.get_u16(Attr::OrigZone), Ok(2));
        assert_eq!(ct.get_u16(Attr::ReplZone), Ok(3));
    }

    #[test]
    fn helper_name_is_truncated_like_snprintf() {
        let mut ct = Conntrack::new();
        ct.set_bytes(Attr::HelperName, b"abcdefghijklmnopqrstuvwxyz\0")
            .unwrap();
        assert_eq!(
            ct.get(Attr::HelperName),
            Ok(Value::Bytes(b"abcdefghijklmno\0"))
        );
        ct.set_bytes(Attr::HelperName, b"ftp\0junk").unwrap();
        assert_eq!(&ct.helper_name[..4], b"ftp\0");
        // snprintf leaves the bytes after the terminator alone.
        assert_eq!(&ct.helper_name[4..], b"efghijklmno\0");
        assert_eq!(
            ct.get_u32(Attr::HelperName),
            Ok(u32::from_ne_bytes(*b"ftp\0"))
        );
        // No terminator within the value: the value's bytes are the name.
        ct.set_u8(Attr::HelperName, b'x').unwrap();
        assert_eq!(&ct.helper_name[..2], b"x\0");
    }

    #[test]
    fn helper_info_keeps_every_byte() {
        let mut ct = Conntrack::new();
        ct.set_bytes(Attr::HelperInfo, &[1, 2, 3, 0, 5]).unwrap();
        assert_eq!(ct.get(Attr::HelperInfo), Ok(Value::Bytes(&[1, 2, 3, 0, 5])));
        assert_eq!(
            ct.get_u32(Attr::HelperInfo),
            Ok(u32::from_ne_bytes([1, 2, 3, 0]))
        );
        ct.set_bytes(Attr::HelperInfo, &[]).unwrap();
        assert_eq!(ct.get(Attr::HelperInfo), Ok(Value::Bytes(&[])));
        ct.unset(Attr::HelperInfo);
        assert!(ct.helper_info.is_some());
    }

    #[test]
    fn marked_only_attributes() {
        let mut ct = Conntrack::new();
        ct.set_bytes(Attr::Secctx, b"system_u\0").unwrap();
        assert!(ct.is_set(Attr::Secctx));
        assert_eq!(ct.get(Attr::Secctx), Ok(Value::Null));
        assert_eq!(ct.get_u32(Attr::Secctx), Ok(0));
        ct.secctx = Some(b"ctx\0".to_vec().into_boxed_slice());
        assert_eq!(ct.get(Attr::Secctx), Ok(Value::Bytes(b"ctx\0")));
        ct.counters[DIR_REPL].bytes = 99;
        ct.set_u64(Attr::ReplCounterBytes, 5).unwrap();
        assert_eq!(ct.get_u64(Attr::ReplCounterBytes), Ok(99));
        ct.set_u64(Attr::TimestampEvent, 5).unwrap();
        assert!(!ct.is_set(Attr::TimestampEvent));
        assert_eq!(ct.timestamp_event, 0);
    }

    #[test]
    fn labels_move_in_and_replace() {
        let mut ct = Conntrack::new();
        assert_eq!(
            ct.set_bytes(Attr::Connlabels, &[1]),
            Err(Error::InvalidArgument)
        );
        assert_eq!(
            ct.set_bitmask(Attr::Mark, Box::new(Bitmask::new(3))),
            Err(Error::InvalidArgument)
        );
        let mut m = Bitmask::new(40);
        m.set(33);
        ct.set_bitmask(Attr::Connlabels, Box::new(m.clone()))
            .unwrap();
        assert_eq!(ct.get(Attr::Connlabels), Ok(Value::Bitmask(&m)));
        // A C caller reading the bitmask as u32 sees its word count.
        assert_eq!(ct.get_u32(Attr::Connlabels), Ok(2));
        assert_eq!(ct.get_u64(Attr::Connlabels), Ok(2));
        let m2 = Bitmask::new(1);
        ct.set_bitmask(Attr::Connlabels, Box::new(m2.clone()))
            .unwrap();
        assert_eq!(ct.bitmask_slot(Attr::Connlabels), Some(&m2));
        assert_eq!(ct.get(Attr::ConnlabelsMask), Err(Error::NotSet));
        ct.mark_set(Attr::ConnlabelsMask);
        assert_eq!(ct.get(Attr::ConnlabelsMask), Ok(Value::Null));
    }

    #[test]
    fn ids_and_arrays() {
        assert_eq!(attr_from_id(-1), Err(Error::InvalidArgument));
        assert_eq!(attr_from_id(76), Err(Error::InvalidArgument));
        assert_eq!(attr_from_id(75), Ok(Attr::TimestampEvent));
        let mut ct = Conntrack::new();
        ct.set_u32(Attr::Mark, 1).unwrap();
        ct.set_u32(Attr::Timeout, 1).unwrap();
        assert_eq!(ct.are_set(&[]), Ok(true));
        assert_eq!(ct.are_set(&[25, 24]), Ok(true));
        assert_eq!(ct.are_set(&[25, 0, 200]), Ok(false));
        assert_eq!(ct.are_set(&[25, 200, 0]), Err(Error::InvalidArgument));
    }

    #[test]
    fn short_values_are_zero_padded() {
        let mut ct = Conntrack::new();
        ct.set_bytes(Attr::Mark, &[1]).unwrap();
        assert_eq!(ct.get_u32(Attr::Mark), Ok(1));
        ct.set_bytes(Attr::OrigIpv6Dst, &[]).unwrap();
        assert_eq!(ct.head.orig.dst, Addr::default());
    }

    #[test]
    fn wide_reads_see_the_next_fields_like_the_original() {
        // Values printed by the original library for the same calls.
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::OrigL3Proto, 2).unwrap();
        ct.set_u8(Attr::OrigL4Proto, 6).unwrap();
        ct.set_u16(Attr::OrigZone, 0x1234).unwrap();
        ct.set_u16(Attr::OrigPortDst, 0x5000).unwrap();
        ct.set_u32(Attr::SynproxyTsoff, 0xaabb_ccdd).unwrap();
        ct.set_u16(Attr::Zone, 0x0102).unwrap();
        ct.set_bytes(Attr::HelperName, b"ftp\0").unwrap();
        assert_eq!(ct.get_u32(Attr::OrigL3Proto), Ok(0x1234_0602));
        // The destination port is followed by the attribute bitmap.
        assert_eq!(ct.get_u64(Attr::OrigPortDst), Ok(0x2_8200_5000));
        assert_eq!(ct.get_u32(Attr::OrigZone), Ok(0x1234));
        assert_eq!(ct.get_u64(Attr::SynproxyTsoff), Ok(0xaabb_ccdd));
        assert_eq!(ct.get_u64(Attr::Zone), Ok(0x70_7466_0102));
        assert_eq!(layout::image(&ct).len(), layout::SIZE);
    }

    #[test]
    fn random_operations_never_panic() {
        use crate::conntrack::{compare, copy, grp::Grp};
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut cts = [Conntrack::new(), Conntrack::new(), Conntrack::new()];
        for _ in 0..20_000 {
            let r = next();
            let i = (r % 3) as usize;
            let id = ((r >> 8) % 80) as i32;
            let bytes: Vec<u8> = (0..(r >> 16) % 24).map(|_| next() as u8).collect();
            match (r >> 32) % 9 {
                0 => {
                    if let Ok(a) = attr_from_id(id) {
                        let _ = cts[i].set_bytes(a, &bytes);
                    }
                }
                1 => {
                    if let Ok(a) = attr_from_id(id) {
                        let _ = (cts[i].get_u8(a), cts[i].get_u16(a));
                        let _ = (cts[i].get_u32(a), cts[i].get_u64(a));
                        cts[i].unset(a);
                    }
                }
                2 => {
                    if let Ok(g) = Grp::from_id(id % 20) {
                        cts[i].set_grp_bytes(g, &bytes);
                        let _ = cts[i].get_grp(g);
                    }
                }
                3 => {
                    let src = cts[(i + 1) % 3].clone();
                    copy::copy(&mut cts[i], &src, (r >> 40) as u32 & 0x1f);
                }
                4 => {
                    let _ = compare::cmp_flags(&cts[i], &cts[(i + 2) % 3], (r >> 40) as u32);
                }
                5 => {
                    let _ = cts[i].set_objopt((r >> 40) as u32 % 8);
                    let _ = cts[i].get_objopt((r >> 44) as u32 % 6);
                }
                6 => {
                    if let Ok(a) = attr_from_id(id) {
                        let _ =
                            cts[i].set_bitmask(a, Box::new(Bitmask::new((r >> 40) as u32 % 200)));
                    }
                }
                7 => {
                    let ids: Vec<u32> = bytes.iter().map(|b| u32::from(*b)).collect();
                    let _ = cts[i].are_set(&ids);
                }
                _ => {
                    if let Ok(a) = attr_from_id(id) {
                        let src = cts[(i + 1) % 3].clone();
                        copy::copy_attr(&mut cts[i], &src, a);
                    }
                }
            }
        }
    }
}
