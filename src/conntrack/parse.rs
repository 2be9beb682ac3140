//! Decodes ctnetlink conntrack attributes into a conntrack object. Mirrors
//! upstream's `nfct_payload_parse` and `nfct_nlmsg_parse`
//! (src/conntrack/parse_mnl.c): the same attributes set to the same values.
//!
//! Like libmnl, a level of attributes is first indexed by type (the last
//! of duplicates wins, types above the kernel's maximum are skipped, the
//! walk stops quietly where the framing breaks), then applied in
//! upstream's fixed order. The payload size of each known attribute is
//! checked as upstream checks it; where upstream then terminates the
//! process ("ctnetlink kernel ABI is broken"), we return `Malformed`.
#![forbid(unsafe_code)]

use super::object::{protoinfo, Addr, Attr, Conntrack, Tuple, DIR_ORIG, DIR_REPL, SET_WORDS};
use crate::kernel::*;
use crate::labels::Bitmask;
use crate::netlink::attr::{align, header as hdr, Attr as Nla, Shape, HDRLEN, TYPE_MASK};
use crate::netlink::message;
use crate::Result;

/// Attributes of one level, indexed by type.
pub(crate) type Table<'a, const N: usize> = [Option<Nla<'a>>; N];

/// Indexes the attributes in `bytes` by type, checking each known type's
/// size with `shape`. Types that do not fit the table are skipped; the walk
/// ends without error at the first attribute whose framing is broken, as
/// libmnl's `mnl_attr_parse*` does.
pub(crate) fn index<'a, const N: usize>(
    bytes: &'a [u8],
    shape: impl Fn(u16) -> Option<Shape>,
) -> Result<Table<'a, N>> {
    let mut tb: Table<'a, N> = [None; N];
    index_into(bytes, shape, &mut tb)?;
    Ok(tb)
}

/// [`index`] into a table of the caller's (all `None`), in one walk.
#[inline(always)]
pub(crate) fn index_into<'a, const N: usize>(
    bytes: &'a [u8],
    shape: impl Fn(u16) -> Option<Shape>,
    tb: &mut Table<'a, N>,
) -> Result<()> {
    walk(bytes, |kind, p| {
        let Some(slot) = tb.get_mut(usize::from(kind)) else {
            return Ok(());
        };
        let a = Nla::new(kind, p);
        if let Some(s) = shape(kind) {
            a.check(s)?;
        }
        *slot = Some(a);
        Ok(())
    })
}

/// The attribute of type `kind` in `tb`, if the message had one.
pub(crate) fn get<'a, const N: usize>(tb: &Table<'a, N>, kind: u16) -> Option<Nla<'a>> {
    tb.get(usize::from(kind)).copied().flatten()
}

fn set_bit(set: &mut [u32; SET_WORDS], a: Attr) {
    let id = a.id() as usize;
    if let Some(w) = set.get_mut(id / 32) {
        *w |= 1 << (id % 32);
    }
}

/// Which tuple a `CTA_TUPLE_*` nest fills; picks the attribute bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Orig,
    Repl,
    Master,
}

struct DirBits {
    ipv4: [Attr; 2],
    ipv6: [Attr; 2],
    l4proto: Attr,
    ports: [Attr; 2],
    zone: Option<Attr>,
}

impl Dir {
    fn bits(self) -> DirBits {
        match self {
            Dir::Orig => DirBits {
                ipv4: [Attr::OrigIpv4Src, Attr::OrigIpv4Dst],
                ipv6: [Attr::OrigIpv6Src, Attr::OrigIpv6Dst],
                l4proto: Attr::OrigL4Proto,
                ports: [Attr::OrigPortSrc, Attr::OrigPortDst],
                zone: Some(Attr::OrigZone),
            },
            Dir::Repl => DirBits {
                ipv4: [Attr::ReplIpv4Src, Attr::ReplIpv4Dst],
                ipv6: [Attr::ReplIpv6Src, Attr::ReplIpv6Dst],
                l4proto: Attr::ReplL4Proto,
                ports: [Attr::ReplPortSrc, Attr::ReplPortDst],
                zone: Some(Attr::ReplZone),
            },
            Dir::Master => DirBits {
                ipv4: [Attr::MasterIpv4Src, Attr::MasterIpv4Dst],
                ipv6: [Attr::MasterIpv6Src, Attr::MasterIpv6Dst],
                l4proto: Attr::MasterL4Proto,
                ports: [Attr::MasterPortSrc, Attr::MasterPortDst],
                zone: None,
            },
        }
    }
}

/// Walks the attributes in `bytes` once, handing each one's type
/// (without flags) and payload to `f`; ends without error at the first
/// attribute whose framing is broken, as libmnl's loops do. An error of
/// `f` ends the walk with that error.
#[inline(always)]
fn walk<'a>(bytes: &'a [u8], mut f: impl FnMut(u16, &'a [u8]) -> Result<()>) -> Result<()> {
    let mut rest = bytes;
    while let [l0, l1, t0, t1, ..] = *rest {
        let len = usize::from(u16::from_ne_bytes([l0, l1]));
        // None for a length below the header or beyond what is left.
        let Some(payload) = rest.get(HDRLEN..len) else {
            break;
        };
        f(u16::from_ne_bytes([t0, t1]) & TYPE_MASK, payload)?;
        rest = rest.get(align(len)..).unwrap_or_default();
    }
    Ok(())
}

/// Keeps `p` as the (last) attribute of its type after checking its
/// size as `index` does.
#[inline(always)]
fn keep<'a>(slot: &mut Option<Nla<'a>>, p: &'a [u8], shape: Shape) -> Result<()> {
    let a = Nla::new(0, p);
    a.check(shape)?;
    *slot = Some(a);
    Ok(())
}

/// Reads a `CTA_TUPLE_*` nest into `t`, marking what it sets in `set`
/// (upstream `nfct_parse_tuple`). The layer-3 protocol is not in the nest;
/// callers store it.
///
/// Each level is walked once: the known attributes are kept (the last of
/// duplicates, sizes checked before anything of the level is stored),
/// then stored in upstream's fixed order, as with `index`.
pub fn tuple(nest: &Nla, t: &mut Tuple, dir: Dir, set: &mut [u32; SET_WORDS]) -> Result<()> {
    let bits = dir.bits();
    if tuple_canonical(nest.payload(), t, &bits, set) {
        return Ok(());
    }
    let (mut ip, mut proto, mut zone) = (None, None, None);
    walk(nest.payload(), |k, p| match k {
        CTA_TUPLE_IP => keep(&mut ip, p, Shape::Nested),
        CTA_TUPLE_PROTO => keep(&mut proto, p, Shape::Nested),
        CTA_TUPLE_ZONE => keep(&mut zone, p, Shape::Len(2)),
        _ => Ok(()),
    })?;

    if let Some(ip) = ip {
        let (mut v4src, mut v4dst, mut v6src, mut v6dst) = (None, None, None, None);
        walk(ip.payload(), |k, p| match k {
            CTA_IP_V4_SRC => keep(&mut v4src, p, Shape::Len(4)),
            CTA_IP_V4_DST => keep(&mut v4dst, p, Shape::Len(4)),
            CTA_IP_V6_SRC => keep(&mut v6src, p, Shape::Len(16)),
            CTA_IP_V6_DST => keep(&mut v6dst, p, Shape::Len(16)),
            _ => Ok(()),
        })?;
        let [b4src, b4dst] = bits.ipv4;
        let [b6src, b6dst] = bits.ipv6;
        if let Some(a) = v4src {
            t.src.0[0] = a.u32()?;
            set_bit(set, b4src);
        }
        if let Some(a) = v4dst {
            t.dst.0[0] = a.u32()?;
            set_bit(set, b4dst);
        }
        if let Some(a) = v6src {
            t.src = addr6(&a)?;
            set_bit(set, b6src);
        }
        if let Some(a) = v6dst {
            t.dst = addr6(&a)?;
            set_bit(set, b6dst);
        }
    }

    if let Some(proto) = proto {
        let mut num = None;
        let (mut sport, mut dport) = (None, None);
        // ICMP, then ICMPv6: type, code, id.
        let mut icmp: [[Option<Nla>; 3]; 2] = [[None; 3]; 2];
        walk(proto.payload(), |k, p| {
            let [v4, v6] = &mut icmp;
            match k {
                CTA_PROTO_NUM => keep(&mut num, p, Shape::Len(1)),
                CTA_PROTO_SRC_PORT => keep(&mut sport, p, Shape::Len(2)),
                CTA_PROTO_DST_PORT => keep(&mut dport, p, Shape::Len(2)),
                CTA_PROTO_ICMP_TYPE => keep(&mut v4[0], p, Shape::Len(1)),
                CTA_PROTO_ICMP_CODE => keep(&mut v4[1], p, Shape::Len(1)),
                CTA_PROTO_ICMP_ID => keep(&mut v4[2], p, Shape::Len(2)),
                CTA_PROTO_ICMPV6_TYPE => keep(&mut v6[0], p, Shape::Len(1)),
                CTA_PROTO_ICMPV6_CODE => keep(&mut v6[1], p, Shape::Len(1)),
                CTA_PROTO_ICMPV6_ID => keep(&mut v6[2], p, Shape::Len(2)),
                _ => Ok(()),
            }
        })?;
        let [bsport, bdport] = bits.ports;
        if let Some(a) = num {
            t.protonum = a.u8()?;
            set_bit(set, bits.l4proto);
        }
        if let Some(a) = sport {
            t.l4src = a.u16()?;
            set_bit(set, bsport);
        }
        if let Some(a) = dport {
            t.l4dst.set_port(a.u16()?);
            set_bit(set, bdport);
        }
        // ICMP fields share storage with the ports; ICMP and ICMPv6 set the
        // same attribute bits whatever the tuple's direction, as upstream.
        for [ty, code, id] in icmp {
            if let Some(a) = ty {
                t.l4dst.0[0] = a.u8()?;
                set_bit(set, Attr::IcmpType);
            }
            if let Some(a) = code {
                t.l4dst.0[1] = a.u8()?;
                set_bit(set, Attr::IcmpCode);
            }
            if let Some(a) = id {
                t.l4src = a.u16()?;
                set_bit(set, Attr::IcmpId);
            }
        }
    }

    if let Some(a) = zone {
        // Upstream stores the zone of a master tuple too, but has no
        // attribute bit for it.
        t.zone = a.be16()?;
        if let Some(z) = bits.zone {
            set_bit(set, z);
        }
    }
    Ok(())
}

pub(super) const NESTED_IP4: [u8; 4] = hdr(4 + 8 + 8, CTA_TUPLE_IP | NLA_F_NESTED);
pub(super) const NESTED_IP6: [u8; 4] = hdr(4 + 20 + 20, CTA_TUPLE_IP | NLA_F_NESTED);
pub(super) const V4_SRC: [u8; 4] = hdr(8, CTA_IP_V4_SRC);
pub(super) const V4_DST: [u8; 4] = hdr(8, CTA_IP_V4_DST);
pub(super) const V6_SRC: [u8; 4] = hdr(20, CTA_IP_V6_SRC);
pub(super) const V6_DST: [u8; 4] = hdr(20, CTA_IP_V6_DST);
pub(super) const NESTED_PROTO: [u8; 4] = hdr(4 + 8 + 8 + 8, CTA_TUPLE_PROTO | NLA_F_NESTED);
pub(super) const PROTO_NUM: [u8; 4] = hdr(5, CTA_PROTO_NUM);
pub(super) const SRC_PORT: [u8; 4] = hdr(6, CTA_PROTO_SRC_PORT);
pub(super) const DST_PORT: [u8; 4] = hdr(6, CTA_PROTO_DST_PORT);
pub(super) const TUPLE_ZONE: [u8; 4] = hdr(6, CTA_TUPLE_ZONE);

/// The four bytes at `o` of a fixed array (constant offsets: no checks
/// left after inlining).
#[inline(always)]
fn quad<const N: usize>(a: &[u8; N], o: usize) -> [u8; 4] {
    [a[o], a[o + 1], a[o + 2], a[o + 3]]
}

/// A tuple nest's payload in the layout the kernel (and
/// [`super::build`]) writes for a tuple with ports: an IP nest holding
/// the IPv4 or IPv6 source then destination, a protocol nest holding
/// number, source port and destination port, and optionally the zone;
/// each attribute once, flagged and padded as the kernel does. Stores
/// exactly what the general walk of [`tuple`] stores for those bytes and
/// returns true; for any other layout returns false having changed
/// nothing, and [`tuple`] walks the nest in general.
#[inline(always)]
fn tuple_canonical(p: &[u8], t: &mut Tuple, bits: &DirBits, set: &mut [u32; SET_WORDS]) -> bool {
    enum Ip {
        V4(u32, u32),
        V6([u8; 16], [u8; 16]),
    }
    let (ip, rest) = match p.split_first_chunk::<20>() {
        Some((ip, rest)) if quad(ip, 0) == NESTED_IP4 => {
            if quad(ip, 4) != V4_SRC || quad(ip, 12) != V4_DST {
                return false;
            }
            let (s, d) = (quad(ip, 8), quad(ip, 16));
            (Ip::V4(u32::from_ne_bytes(s), u32::from_ne_bytes(d)), rest)
        }
        _ => match p.split_first_chunk::<44>() {
            Some((ip, rest)) if quad(ip, 0) == NESTED_IP6 => {
                if quad(ip, 4) != V6_SRC || quad(ip, 24) != V6_DST {
                    return false;
                }
                let (mut s, mut d) = ([0u8; 16], [0u8; 16]);
                s.copy_from_slice(&ip[8..24]);
                d.copy_from_slice(&ip[28..44]);
                (Ip::V6(s, d), rest)
            }
            _ => return false,
        },
    };
    let Some((pr, rest)) = rest.split_first_chunk::<28>() else {
        return false;
    };
    if quad(pr, 0) != NESTED_PROTO
        || quad(pr, 4) != PROTO_NUM
        || quad(pr, 12) != SRC_PORT
        || quad(pr, 20) != DST_PORT
    {
        return false;
    }
    let zone = match *rest {
        [] => None,
        [h0, h1, h2, h3, z0, z1, _, _] if [h0, h1, h2, h3] == TUPLE_ZONE => {
            Some(u16::from_be_bytes([z0, z1]))
        }
        _ => return false,
    };
    match ip {
        // IPv4 writes the first word only, as the general walk does.
        Ip::V4(s, d) => {
            t.src.0[0] = s;
            t.dst.0[0] = d;
            set_bit(set, bits.ipv4[0]);
            set_bit(set, bits.ipv4[1]);
        }
        Ip::V6(s, d) => {
            t.src = Addr::from_bytes(s);
            t.dst = Addr::from_bytes(d);
            set_bit(set, bits.ipv6[0]);
            set_bit(set, bits.ipv6[1]);
        }
    }
    t.protonum = pr[8];
    set_bit(set, bits.l4proto);
    t.l4src = u16::from_ne_bytes([pr[16], pr[17]]);
    set_bit(set, bits.ports[0]);
    t.l4dst.set_port(u16::from_ne_bytes([pr[24], pr[25]]));
    set_bit(set, bits.ports[1]);
    if let Some(z) = zone {
        t.zone = z;
        if let Some(b) = bits.zone {
            set_bit(set, b);
        }
    }
    true
}

fn addr6(a: &Nla) -> Result<Addr> {
    let b: [u8; 16] = a
        .payload()
        .try_into()
        .map_err(|_| crate::Error::Malformed)?;
    Ok(Addr::from_bytes(b))
}

/// Copies a string attribute into a fixed NUL-terminated field the way
/// `snprintf(dst, size, "%s", src)` does: at most `size - 1` bytes, then a
/// NUL; the rest of the field keeps its old bytes.
pub(crate) fn copy_cstr(dst: &mut [u8], src: &[u8]) {
    let n = src.len().min(dst.len().saturating_sub(1));
    if let (Some(d), Some(s)) = (dst.get_mut(..n), src.get(..n)) {
        d.copy_from_slice(s);
    }
    if let Some(nul) = dst.get_mut(n) {
        *nul = 0;
    }
}

fn protoinfo_tcp(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    let mut tb: Table<{ CTA_PROTOINFO_TCP_MAX as usize + 1 }> =
        [None; CTA_PROTOINFO_TCP_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_PROTOINFO_TCP_STATE
            | CTA_PROTOINFO_TCP_WSCALE_ORIGINAL
            | CTA_PROTOINFO_TCP_WSCALE_REPLY => Some(Shape::Len(1)),
            CTA_PROTOINFO_TCP_FLAGS_ORIGINAL | CTA_PROTOINFO_TCP_FLAGS_REPLY => Some(Shape::Len(2)),
            _ => None,
        },
        &mut tb,
    )?;
    let p = &mut ct.protoinfo.0;
    if let Some(a) = get(&tb, CTA_PROTOINFO_TCP_STATE) {
        p[protoinfo::STATE] = a.u8()?;
        ct.head.mark(Attr::TcpState.id());
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL) {
        p[protoinfo::TCP_WSCALE] = a.u8()?;
        ct.head.mark(Attr::TcpWscaleOrig.id());
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_TCP_WSCALE_REPLY) {
        p[protoinfo::TCP_WSCALE + 1] = a.u8()?;
        ct.head.mark(Attr::TcpWscaleRepl.id());
    }
    let f = protoinfo::TCP_FLAGS;
    if let Some(a) = get(&tb, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL) {
        p[f..f + 2].copy_from_slice(&a.u16()?.to_ne_bytes());
        ct.head.mark(Attr::TcpFlagsOrig.id());
        ct.head.mark(Attr::TcpMaskOrig.id());
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_TCP_FLAGS_REPLY) {
        p[f + 2..f + 4].copy_from_slice(&a.u16()?.to_ne_bytes());
        ct.head.mark(Attr::TcpFlagsRepl.id());
        ct.head.mark(Attr::TcpMaskRepl.id());
    }
    Ok(())
}

fn protoinfo_sctp(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    let mut tb: Table<{ CTA_PROTOINFO_SCTP_MAX as usize + 1 }> =
        [None; CTA_PROTOINFO_SCTP_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_PROTOINFO_SCTP_STATE => Some(Shape::Len(1)),
            CTA_PROTOINFO_SCTP_VTAG_ORIGINAL | CTA_PROTOINFO_SCTP_VTAG_REPLY => Some(Shape::Len(4)),
            _ => None,
        },
        &mut tb,
    )?;
    if let Some(a) = get(&tb, CTA_PROTOINFO_SCTP_STATE) {
        ct.protoinfo.0[protoinfo::STATE] = a.u8()?;
        ct.mark_set(Attr::SctpState);
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL) {
        ct.protoinfo.set_u32_at(protoinfo::SCTP_VTAG, a.be32()?);
        ct.mark_set(Attr::SctpVtagOrig);
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_SCTP_VTAG_REPLY) {
        ct.protoinfo.set_u32_at(protoinfo::SCTP_VTAG + 4, a.be32()?);
        ct.mark_set(Attr::SctpVtagRepl);
    }
    Ok(())
}

fn protoinfo_dccp(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    let mut tb: Table<{ CTA_PROTOINFO_DCCP_MAX as usize + 1 }> =
        [None; CTA_PROTOINFO_DCCP_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_PROTOINFO_DCCP_STATE | CTA_PROTOINFO_DCCP_ROLE => Some(Shape::Len(1)),
            CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ => Some(Shape::Len(8)),
            _ => None,
        },
        &mut tb,
    )?;
    if let Some(a) = get(&tb, CTA_PROTOINFO_DCCP_STATE) {
        ct.protoinfo.0[protoinfo::STATE] = a.u8()?;
        ct.mark_set(Attr::DccpState);
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_DCCP_ROLE) {
        ct.protoinfo.0[protoinfo::DCCP_ROLE] = a.u8()?;
        ct.mark_set(Attr::DccpRole);
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ) {
        ct.protoinfo
            .set_u64_at(protoinfo::DCCP_HANDSHAKE_SEQ, a.be64()?);
        ct.mark_set(Attr::DccpHandshakeSeq);
    }
    Ok(())
}

fn protoinfo(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    // Upstream's table here is indexed with the TCP maximum but sized for
    // CTA_PROTOINFO_MAX; types above CTA_PROTOINFO_MAX are ignored.
    let mut tb: Table<{ CTA_PROTOINFO_MAX as usize + 1 }> = [None; CTA_PROTOINFO_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_PROTOINFO_TCP | CTA_PROTOINFO_SCTP | CTA_PROTOINFO_DCCP => Some(Shape::Nested),
            _ => None,
        },
        &mut tb,
    )?;
    if let Some(a) = get(&tb, CTA_PROTOINFO_TCP) {
        protoinfo_tcp(&a, ct)?;
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_SCTP) {
        protoinfo_sctp(&a, ct)?;
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO_DCCP) {
        protoinfo_dccp(&a, ct)?;
    }
    Ok(())
}

fn counters(nest: &Nla, ct: &mut Conntrack, dir: usize) -> Result<()> {
    let mut tb: Table<{ CTA_COUNTERS_MAX as usize + 1 }> = [None; CTA_COUNTERS_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_COUNTERS_PACKETS | CTA_COUNTERS_BYTES => Some(Shape::Len(8)),
            CTA_COUNTERS32_PACKETS | CTA_COUNTERS32_BYTES => Some(Shape::Len(4)),
            _ => None,
        },
        &mut tb,
    )?;
    let (pkts_bit, bytes_bit) = if dir == DIR_ORIG {
        (Attr::OrigCounterPackets, Attr::OrigCounterBytes)
    } else {
        (Attr::ReplCounterPackets, Attr::ReplCounterBytes)
    };
    let c = &mut ct.counters[dir];
    let (p32, p64) = (
        get(&tb, CTA_COUNTERS32_PACKETS),
        get(&tb, CTA_COUNTERS_PACKETS),
    );
    if p32.is_some() || p64.is_some() {
        if let Some(a) = p32 {
            c.packets = u64::from(a.be32()?);
        }
        if let Some(a) = p64 {
            c.packets = a.be64()?;
        }
        ct.head.mark(pkts_bit.id());
    }
    let c = &mut ct.counters[dir];
    let (b32, b64) = (get(&tb, CTA_COUNTERS32_BYTES), get(&tb, CTA_COUNTERS_BYTES));
    if b32.is_some() || b64.is_some() {
        if let Some(a) = b32 {
            c.bytes = u64::from(a.be32()?);
        }
        if let Some(a) = b64 {
            c.bytes = a.be64()?;
        }
        ct.head.mark(bytes_bit.id());
    }
    Ok(())
}

fn nat_seq(nest: &Nla, ct: &mut Conntrack, dir: usize) -> Result<()> {
    let mut tb: Table<{ CTA_NAT_SEQ_MAX as usize + 1 }> = [None; CTA_NAT_SEQ_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_NAT_SEQ_CORRECTION_POS | CTA_NAT_SEQ_OFFSET_BEFORE | CTA_NAT_SEQ_OFFSET_AFTER => {
                Some(Shape::Len(4))
            }
            _ => None,
        },
        &mut tb,
    )?;
    let bits = if dir == DIR_ORIG {
        [
            Attr::OrigNatSeqCorrectionPos,
            Attr::OrigNatSeqOffsetBefore,
            Attr::OrigNatSeqOffsetAfter,
        ]
    } else {
        [
            Attr::ReplNatSeqCorrectionPos,
            Attr::ReplNatSeqOffsetBefore,
            Attr::ReplNatSeqOffsetAfter,
        ]
    };
    if let Some(a) = get(&tb, CTA_NAT_SEQ_CORRECTION_POS) {
        ct.natseq[dir].correction_pos = a.be32()?;
        ct.mark_set(bits[0]);
    }
    if let Some(a) = get(&tb, CTA_NAT_SEQ_OFFSET_BEFORE) {
        ct.natseq[dir].offset_before = a.be32()?;
        ct.mark_set(bits[1]);
    }
    if let Some(a) = get(&tb, CTA_NAT_SEQ_OFFSET_AFTER) {
        ct.natseq[dir].offset_after = a.be32()?;
        ct.mark_set(bits[2]);
    }
    Ok(())
}

fn helper(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    let mut tb: Table<{ CTA_HELP_MAX as usize + 1 }> = [None; CTA_HELP_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_HELP_NAME => Some(Shape::String),
            _ => None,
        },
        &mut tb,
    )?;
    let Some(name) = get(&tb, CTA_HELP_NAME) else {
        return Ok(());
    };
    copy_cstr(&mut ct.helper_name, name.str_bytes());
    ct.mark_set(Attr::HelperName);
    if let Some(info) = get(&tb, CTA_HELP_INFO) {
        ct.helper_info = Some(info.payload().into());
        ct.helper_info_len = info.payload().len();
        ct.mark_set(Attr::HelperInfo);
    }
    Ok(())
}

fn secctx(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    let mut tb: Table<{ CTA_SECCTX_MAX as usize + 1 }> = [None; CTA_SECCTX_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_SECCTX_NAME => Some(Shape::String),
            _ => None,
        },
        &mut tb,
    )?;
    if let Some(name) = get(&tb, CTA_SECCTX_NAME) {
        let s = name.str_bytes();
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s);
        v.push(0);
        ct.secctx = Some(v.into_boxed_slice());
        ct.mark_set(Attr::Secctx);
    }
    Ok(())
}

fn timestamp(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    let mut tb: Table<{ CTA_TIMESTAMP_MAX as usize + 1 }> = [None; CTA_TIMESTAMP_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_TIMESTAMP_START | CTA_TIMESTAMP_STOP => Some(Shape::Len(8)),
            _ => None,
        },
        &mut tb,
    )?;
    if let Some(a) = get(&tb, CTA_TIMESTAMP_START) {
        ct.timestamp.start = a.be64()?;
        ct.mark_set(Attr::TimestampStart);
    }
    if let Some(a) = get(&tb, CTA_TIMESTAMP_STOP) {
        ct.timestamp.stop = a.be64()?;
        ct.mark_set(Attr::TimestampStop);
    }
    Ok(())
}

/// `CTA_LABELS`: a bitmask sized to the payload, which upstream does not
/// length-check; an empty payload changes nothing.
fn labels(a: &Nla, ct: &mut Conntrack) {
    let p = a.payload();
    if p.is_empty() {
        return;
    }
    // The payload is at most 65531 bytes, so the bit count fits in u32.
    let mut mask = Bitmask::new((p.len() * 8 - 1) as u32);
    for (w, chunk) in mask.words.iter_mut().zip(p.chunks(4)) {
        let mut b = [0u8; 4];
        b[..chunk.len()].copy_from_slice(chunk);
        *w = u32::from_ne_bytes(b);
    }
    ct.connlabels = Some(Box::new(mask));
    ct.mark_set(Attr::Connlabels);
}

fn synproxy(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    let mut tb: Table<{ CTA_SYNPROXY_MAX as usize + 1 }> = [None; CTA_SYNPROXY_MAX as usize + 1];
    index_into(
        nest.payload(),
        |k| match k {
            CTA_SYNPROXY_ISN | CTA_SYNPROXY_ITS | CTA_SYNPROXY_TSOFF => Some(Shape::Len(4)),
            _ => None,
        },
        &mut tb,
    )?;
    if let Some(a) = get(&tb, CTA_SYNPROXY_ISN) {
        ct.synproxy.isn = a.be32()?;
        ct.mark_set(Attr::SynproxyIsn);
    }
    if let Some(a) = get(&tb, CTA_SYNPROXY_ITS) {
        ct.synproxy.its = a.be32()?;
        ct.mark_set(Attr::SynproxyIts);
    }
    if let Some(a) = get(&tb, CTA_SYNPROXY_TSOFF) {
        ct.synproxy.tsoff = a.be32()?;
        ct.mark_set(Attr::SynproxyTsoff);
    }
    Ok(())
}

fn top_shape(kind: u16) -> Option<Shape> {
    match kind {
        CTA_TUPLE_ORIG
        | CTA_TUPLE_REPLY
        | CTA_TUPLE_MASTER
        | CTA_NAT_SEQ_ADJ_ORIG
        | CTA_NAT_SEQ_ADJ_REPLY
        | CTA_PROTOINFO
        | CTA_COUNTERS_ORIG
        | CTA_COUNTERS_REPLY
        | CTA_HELP
        | CTA_SECCTX
        | CTA_TIMESTAMP => Some(Shape::Nested),
        CTA_STATUS | CTA_TIMEOUT | CTA_MARK | CTA_SECMARK | CTA_USE | CTA_ID => Some(Shape::Len(4)),
        CTA_ZONE => Some(Shape::Len(2)),
        CTA_TIMESTAMP_EVENT => Some(Shape::Len(8)),
        _ => None,
    }
}

/// Reads the conntrack attributes in `attrs` (the bytes after `struct
/// nfgenmsg`) into `ct`; `l3num` is the message's family, stored as the
/// layer-3 protocol of each tuple present.
///
/// Attributes absent from the message leave `ct` as it was. A known
/// attribute of the wrong size fails with `Malformed` (upstream exits the
/// process); `ct` may then be partly updated.
pub fn payload(attrs: &[u8], l3num: u8, ct: &mut Conntrack) -> Result<()> {
    let mut tb: Table<{ CTA_MAX as usize + 1 }> = [None; CTA_MAX as usize + 1];
    index_into(attrs, top_shape, &mut tb)?;

    for (kind, dir) in [
        (CTA_TUPLE_ORIG, Dir::Orig),
        (CTA_TUPLE_REPLY, Dir::Repl),
        (CTA_TUPLE_MASTER, Dir::Master),
    ] {
        if let Some(a) = get(&tb, kind) {
            let (t, l3bit) = match dir {
                Dir::Orig => (&mut ct.head.orig, Attr::OrigL3Proto),
                Dir::Repl => (&mut ct.repl, Attr::ReplL3Proto),
                Dir::Master => (&mut ct.master, Attr::MasterL3Proto),
            };
            t.l3protonum = l3num;
            set_bit(&mut ct.head.set, l3bit);
            tuple(&a, t, dir, &mut ct.head.set)?;
        }
    }

    if let Some(a) = get(&tb, CTA_NAT_SEQ_ADJ_ORIG) {
        nat_seq(&a, ct, DIR_ORIG)?;
    }
    if let Some(a) = get(&tb, CTA_NAT_SEQ_ADJ_REPLY) {
        nat_seq(&a, ct, DIR_REPL)?;
    }
    if let Some(a) = get(&tb, CTA_STATUS) {
        ct.status = a.be32()?;
        ct.mark_set(Attr::Status);
    }
    if let Some(a) = get(&tb, CTA_PROTOINFO) {
        protoinfo(&a, ct)?;
    }
    if let Some(a) = get(&tb, CTA_TIMEOUT) {
        ct.timeout = a.be32()?;
        ct.mark_set(Attr::Timeout);
    }
    if let Some(a) = get(&tb, CTA_MARK) {
        ct.mark = a.be32()?;
        ct.mark_set(Attr::Mark);
    }
    if let Some(a) = get(&tb, CTA_SECMARK) {
        ct.secmark = a.be32()?;
        ct.mark_set(Attr::Secmark);
    }
    if let Some(a) = get(&tb, CTA_COUNTERS_ORIG) {
        counters(&a, ct, DIR_ORIG)?;
    }
    if let Some(a) = get(&tb, CTA_COUNTERS_REPLY) {
        counters(&a, ct, DIR_REPL)?;
    }
    if let Some(a) = get(&tb, CTA_USE) {
        ct.use_ = a.be32()?;
        ct.mark_set(Attr::Use);
    }
    if let Some(a) = get(&tb, CTA_ID) {
        ct.id = a.be32()?;
        ct.mark_set(Attr::Id);
    }
    if let Some(a) = get(&tb, CTA_HELP) {
        helper(&a, ct)?;
    }
    if let Some(a) = get(&tb, CTA_ZONE) {
        ct.zone = a.be16()?;
        ct.mark_set(Attr::Zone);
    }
    if let Some(a) = get(&tb, CTA_SECCTX) {
        secctx(&a, ct)?;
    }
    if let Some(a) = get(&tb, CTA_TIMESTAMP) {
        timestamp(&a, ct)?;
    }
    if let Some(a) = get(&tb, CTA_LABELS) {
        labels(&a, ct);
    }
    // CTA_LABELS_MASK is never sent by the kernel; upstream ignores it.
    if let Some(a) = get(&tb, CTA_SYNPROXY) {
        synproxy(&a, ct)?;
    }
    if let Some(a) = get(&tb, CTA_TIMESTAMP_EVENT) {
        ct.timestamp_event = a.be64()?;
        ct.mark_set(Attr::TimestampEvent);
    }
    Ok(())
}

/// Reads a whole conntrack message (nlmsghdr, nfgenmsg, attributes) into
/// `ct`. Fails with `Malformed` when the header's length is shorter than
/// the two headers or longer than `nlmsg`; the message type is not checked,
/// as upstream does not.
pub fn message(nlmsg: &[u8], ct: &mut Conntrack) -> Result<()> {
    let (_, nfg, attrs) = message::parse_nfnl(nlmsg)?;
    payload(attrs, nfg.family, ct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::fixtures::*;
    use crate::conntrack::build::put_attrs;
    use crate::conntrack::build::tests::unhex;
    use crate::netlink::attr::AttrWriter;
    use crate::netlink::message::{finish, start, Header, NfGenMsg};
    use crate::Error;

    /// A message as the kernel might send it, with every attribute the
    /// parser knows plus unknown ones (type 28 and 0, a TCP protoinfo type
    /// above the maximum), duplicates resolved by position, 64- and 32-bit
    /// counters, and a deprecated CTA_NAT_SRC that is ignored.
    const KERNEL_MSG: &str = concat!(
        "3c00018014000180080001000a010101080002000a0202021c00028005000100060000000600020080e80000",
        "0600030001bb000006000300000500003400028014000180080001000a020202080002000a0101011c000280",
        "05000100060000000600020001bb00000600030080e800003c000e8014000180080001000909090908000200",
        "080808081c00028005000100110000000600020000010000060003000002000006000300004d000008000300",
        "0000018e38000480340001800500010003000000050002000700000005000300090000000600040023330000",
        "06000500224400000500060063000000080007000006977f0800080000000042240009800c00010000000000",
        "0000000a0c00020000000000000005dc080003000000000714000a8008000300000000050800040000000258",
        "08000b000000000208000c00abcdef010c000680080001000101010118000580080001006674700009000200",
        "010203040500000006001200001000002c0013802500010073797374656d5f753a6f626a6563745f723a756e",
        "6c6162656c65645f743a7330000000001c0014800c00010017979cfe362a00000c00020017979cfe71c4ca00",
        "0d00160001000080ff000000100000000c001700ffffffffffffffff1c001880080001000000000b08000200",
        "0000001608000300000000210c001b0000000000075bcd150b001c00756e6b6e6f776e00040000001c000f80",
        "08000100000003e808000200000007d00800030000000bb80c0010800800010000000fa0",
    );

    fn parsed(hex: &str, l3: u8) -> (Result<()>, Conntrack) {
        let mut ct = Conntrack::new();
        let r = payload(&unhex(hex), l3, &mut ct);
        (r, ct)
    }

    // Expected values: what nfct_payload_parse of the original stores for
    // KERNEL_MSG, read back with its getters (libnetfilter_conntrack
    // 1.0.9, which lacks ATTR_TIMESTAMP_EVENT; that one follows 1.1.1's
    // source).
    #[test]
    fn stores_what_the_original_stores() {
        let (r, ct) = parsed(KERNEL_MSG, AF_INET);
        assert_eq!(r, Ok(()));
        assert_eq!(
            set_ids(&ct),
            [
                0, 1, 2, 3, 8, 9, 10, 11, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 29, 30, 31, 32,
                33, 34, 35, 36, 37, 38, 41, 42, 43, 44, 46, 47, 48, 49, 55, 59, 60, 61, 62, 63, 64,
                65, 66, 68, 72, 73, 74, 75
            ]
        );
        let o = &ct.head.orig;
        assert_eq!((o.src.v4(), o.dst.v4()), (v4("10.1.1.1"), v4("10.2.2.2")));
        assert_eq!((o.l3protonum, o.protonum), (AF_INET, IPPROTO_TCP));
        assert_eq!((o.l4src, o.l4dst.port()), (port(33000), port(443)));
        assert_eq!(o.zone, 5);
        let r = &ct.repl;
        assert_eq!((r.src.v4(), r.dst.v4()), (v4("10.2.2.2"), v4("10.1.1.1")));
        assert_eq!((r.l4src, r.l4dst.port()), (port(443), port(33000)));
        assert_eq!((r.l3protonum, r.protonum), (AF_INET, IPPROTO_TCP));
        let m = &ct.master;
        assert_eq!((m.src.v4(), m.dst.v4()), (v4("9.9.9.9"), v4("8.8.8.8")));
        assert_eq!((m.l3protonum, m.protonum), (AF_INET, IPPROTO_UDP));
        assert_eq!((m.l4src, m.l4dst.port()), (port(1), port(2)));
        // The master's zone is stored but has no attribute bit.
        assert_eq!(m.zone, 77);
        assert_eq!(ct.status, 0x18e);
        assert_eq!(ct.timeout, 431999);
        assert_eq!(ct.mark, 0x42);
        assert_eq!(ct.use_, 2);
        assert_eq!(ct.id, 0xabcdef01);
        assert_eq!(ct.zone, 0x10);
        assert_eq!(ct.protoinfo.0[..7], [3, 0x23, 0x33, 0x22, 0x44, 7, 9]);
        assert_eq!((ct.counters[0].packets, ct.counters[0].bytes), (10, 1500));
        assert_eq!((ct.counters[1].packets, ct.counters[1].bytes), (5, 600));
        assert_eq!(
            ct.natseq[0],
            crate::conntrack::object::NatSeq {
                correction_pos: 1000,
                offset_before: 2000,
                offset_after: 3000
            }
        );
        assert_eq!(ct.natseq[1].correction_pos, 4000);
        assert_eq!(&ct.helper_name[..4], b"ftp\0");
        assert_eq!(ct.helper_info.as_deref(), Some(&[1u8, 2, 3, 4, 5][..]));
        assert_eq!(
            ct.secctx.as_deref(),
            Some(&b"system_u:object_r:unlabeled_t:s0\0"[..])
        );
        assert_eq!(ct.timestamp.start, 1_700_000_000_000_000_000);
        assert_eq!(ct.timestamp.stop, 1_700_000_001_000_000_000);
        let labels = ct.connlabels.as_deref().unwrap();
        assert_eq!(labels.maxbit(), 95);
        let bits: Vec<u32> = (0..=95).filter(|&b| labels.test(b)).collect();
        assert_eq!(bits, [0, 31, 32, 33, 34, 35, 36, 37, 38, 39, 68]);
        assert!(ct.connlabels_mask.is_none());
        assert_eq!(
            (ct.synproxy.isn, ct.synproxy.its, ct.synproxy.tsoff),
            (11, 22, 33)
        );
        assert_eq!(ct.timestamp_event, 123456789);
        // CTA_NAT_SRC is not parsed.
        assert_eq!(ct.snat, Default::default());
    }

    /// What parsing the built fixture gives back: the fixture without what
    /// the builder does not send (NAT, label mask, incomplete sequence
    /// adjustment), with the confirmed bit the builder adds and the
    /// tuple attributes every sent tuple carries.
    fn expected_back(ct: &Conntrack) -> Conntrack {
        let mut ct = ct.clone();
        if ct.is_set(Attr::Status) {
            ct.status |= IPS_CONFIRMED;
        }
        for a in [
            Attr::SnatIpv4,
            Attr::SnatIpv6,
            Attr::SnatPort,
            Attr::DnatIpv4,
            Attr::DnatIpv6,
            Attr::DnatPort,
            Attr::ConnlabelsMask,
            Attr::ReplNatSeqCorrectionPos,
            Attr::ReplNatSeqOffsetBefore,
        ] {
            ct.mark_unset(a);
        }
        ct.snat = Default::default();
        ct.dnat = Default::default();
        ct.connlabels_mask = None;
        ct.natseq[1] = Default::default();
        ct
    }

    #[test]
    fn build_then_parse_gives_the_object_back() {
        let mut sctp = sctp();
        sctp.mark_set(Attr::OrigIpv4Src);
        sctp.mark_set(Attr::OrigIpv4Dst);
        let mut dccp = dccp();
        for a in [
            Attr::OrigIpv4Src,
            Attr::OrigIpv4Dst,
            Attr::OrigPortSrc,
            Attr::OrigPortDst,
        ] {
            dccp.mark_set(a);
        }
        for ct in [tcp4_full(), udp6_master_nat(), sctp, dccp] {
            let mut bytes = Vec::new();
            put_attrs(&ct, &mut bytes).unwrap();
            let mut got = Conntrack::new();
            payload(&bytes, ct.head.orig.l3protonum, &mut got).unwrap();
            assert_eq!(got, expected_back(&ct));
        }
    }

    /// The kernel's tuple layout is read by `tuple_canonical`; the same
    /// bytes with the IP nests not flagged as nested take the general
    /// walk. Both must store the same, over an object already holding
    /// other values.
    #[test]
    fn canonical_tuples_parse_as_the_general_walk() {
        for ct in [tcp4_full(), udp6_master_nat()] {
            let mut bytes = Vec::new();
            put_attrs(&ct, &mut bytes).unwrap();
            let mut general = bytes.clone();
            let mut cleared = 0;
            for at in 0..general.len().saturating_sub(3) {
                let q = [
                    general[at],
                    general[at + 1],
                    general[at + 2],
                    general[at + 3],
                ];
                let plain = match q {
                    NESTED_IP4 => hdr(20, CTA_TUPLE_IP),
                    NESTED_IP6 => hdr(44, CTA_TUPLE_IP),
                    _ => continue,
                };
                if at % 4 == 0 {
                    general[at..at + 4].copy_from_slice(&plain);
                    cleared += 1;
                }
            }
            assert!(cleared >= 2, "{cleared}");
            for before in [Conntrack::new(), udp6_master_nat(), tcp4_full()] {
                let (mut fast, mut slow) = (before.clone(), before.clone());
                payload(&bytes, ct.head.orig.l3protonum, &mut fast).unwrap();
                payload(&general, ct.head.orig.l3protonum, &mut slow).unwrap();
                assert_eq!(fast, slow);
            }
        }
    }

    #[test]
    fn whole_message_is_parsed_with_its_family() {
        let want = tcp4_full();
        let mut buf = Vec::new();
        let h = Header::new(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW, 0, 1, 0);
        let at = start(
            &mut buf,
            &h,
            &NfGenMsg {
                family: AF_INET,
                ..Default::default()
            },
        );
        put_attrs(&want, &mut buf).unwrap();
        finish(&mut buf, at).unwrap();
        let mut got = Conntrack::new();
        message(&buf, &mut got).unwrap();
        assert_eq!(got.head.orig, want.head.orig);
        assert_eq!(got.repl, want.repl);
        assert_eq!(got.mark, 0xdeadbeef);

        // Headers that do not fit are refused before anything is read.
        let mut short = buf[..NFNL_HDR].to_vec();
        short[0] = 19;
        assert_eq!(message(&short, &mut got), Err(Error::Malformed));
        let mut long = buf.clone();
        long[0] = long[0].wrapping_add(4);
        assert_eq!(message(&long, &mut got), Err(Error::Malformed));
        assert_eq!(message(&buf[..10], &mut got), Err(Error::Malformed));
    }

    const NFNL_HDR: usize = crate::netlink::message::NFNL_HDRLEN;

    /// Shared storage and duplicates: ICMP type and code after a
    /// destination port, an unknown tuple attribute, two IP nests, two
    /// marks, NLA_F_NET_BYTEORDER on status and zone, empty protoinfo,
    /// helper and secctx nests, a one-byte label set, 32-bit counters.
    const QUIRKS_MSG: &str = concat!(
        "4400018024000280050005000300000006000300123400000500010001000000050006000900000008000900",
        "7a7a7a7a14000180080001000707070708000500010203040800080000000001080008000000000208000340",
        "0000001206001240007700000400048004000580040013800500160081000000140009800800030000000009",
        "080004000000000a",
    );

    // Checked against the original's nfct_payload_parse and getters.
    #[test]
    fn quirks_resolve_as_in_the_original() {
        let (r, ct) = parsed(QUIRKS_MSG, AF_INET);
        assert_eq!(r, Ok(()));
        assert_eq!(set_ids(&ct), [0, 9, 12, 13, 15, 17, 25, 26, 28, 32, 61, 66]);
        assert_eq!(ct.head.orig.src.v4(), v4("7.7.7.7"));
        // Port 0x1234, then type 3 and code 9 over its two bytes.
        assert_eq!(ct.head.orig.l4dst.0, [3, 9]);
        assert_eq!(ct.mark, 2);
        assert_eq!(ct.status, 0x12);
        assert_eq!(ct.zone, 0x77);
        assert_eq!((ct.counters[0].packets, ct.counters[0].bytes), (9, 10));
        let labels = ct.connlabels.as_deref().unwrap();
        assert_eq!((labels.maxbit(), labels.words[0]), (31, 0x81));
    }

    #[test]
    fn broken_framing_ends_the_list_quietly() {
        // As libmnl: a truncated attribute ends the walk, what came before
        // is kept, and the call succeeds (checked against the original).
        let hex = &KERNEL_MSG[..300];
        let (r, ct) = parsed(hex, AF_INET);
        assert_eq!(r, Ok(()));
        assert_eq!(set_ids(&ct), [0, 1, 2, 3, 8, 9, 10, 11, 15, 16, 17, 18, 68]);
        // A child claiming more than its nest holds is dropped.
        let (r, ct) = parsed("0c00018008000180ff000100", AF_INET);
        assert_eq!(r, Ok(()));
        assert_eq!(set_ids(&ct), [15]);
        let (r, ct) = parsed("0c000180080002800500010006000000", AF_INET6);
        assert_eq!(r, Ok(()));
        assert_eq!(set_ids(&ct), [15]);
        assert_eq!(ct.head.orig.l3protonum, AF_INET6);
    }

    #[test]
    fn wrong_sizes_are_refused() {
        // Where the original reports "ctnetlink kernel ABI is broken" and
        // exits, we fail with Malformed.
        let cases: &[&[u8]] = &[
            // CTA_STATUS of 2 bytes.
            &[6, 0, 3, 0, 0, 1, 0, 0],
            // CTA_ZONE of 4 bytes.
            &[8, 0, 18, 0, 0, 1, 0, 0],
            // CTA_TUPLE_ORIG of 2 bytes.
            &[6, 0, 1, 0x80, 0, 1, 0, 0],
            // CTA_TUPLE_ORIG { CTA_TUPLE_IP { CTA_IP_V4_SRC of 3 bytes } }.
            &[16, 0, 1, 0x80, 12, 0, 1, 0x80, 7, 0, 1, 0, 1, 2, 3, 0],
            // CTA_PROTOINFO { TCP { FLAGS_ORIGINAL of 1 byte } }.
            &[16, 0, 4, 0x80, 12, 0, 1, 0x80, 5, 0, 4, 0, 1, 0, 0, 0],
            // CTA_HELP { CTA_HELP_NAME empty }.
            &[8, 0, 5, 0x80, 4, 0, 1, 0],
            // CTA_COUNTERS_ORIG { PACKETS of 4 bytes }.
            &[12, 0, 9, 0x80, 8, 0, 1, 0, 0, 0, 0, 1],
        ];
        for c in cases {
            let mut ct = Conntrack::new();
            assert_eq!(payload(c, AF_INET, &mut ct), Err(Error::Malformed), "{c:?}");
        }
    }

    #[test]
    fn labels_and_strings_replace_what_was_there() {
        let mut ct = tcp4_full();
        let mut v = Vec::new();
        let mut w = AttrWriter::new(&mut v);
        w.put_bytes(CTA_LABELS, &[0, 0, 0, 0, 2, 0, 0, 0]).unwrap();
        let n = w.nest_start(CTA_HELP).unwrap();
        // Longer than the field: cut to 15 bytes like snprintf.
        w.put_bytes(CTA_HELP_NAME, b"0123456789abcdefXYZ").unwrap();
        w.nest_end(n).unwrap();
        let n = w.nest_start(CTA_SECCTX).unwrap();
        // No NUL in the payload: the string ends with it.
        w.put_bytes(CTA_SECCTX_NAME, b"ctx").unwrap();
        w.nest_end(n).unwrap();
        payload(&v, AF_INET, &mut ct).unwrap();
        let labels = ct.connlabels.as_deref().unwrap();
        assert_eq!(labels.words, [0, 2]);
        assert_eq!(&ct.helper_name, b"0123456789abcde\0");
        assert_eq!(ct.secctx.as_deref(), Some(&b"ctx\0"[..]));
        // The mask parsed from nowhere: left as it was.
        assert!(ct.connlabels_mask.is_some());
        // An empty label attribute changes nothing.
        payload(&[4, 0, 22, 0], AF_INET, &mut ct).unwrap();
        assert_eq!(ct.connlabels.as_deref().unwrap().words, [0, 2]);
        // Of duplicates, the last counts.
        payload(
            &[8, 0, 8, 0, 0, 0, 0, 1, 8, 0, 8, 0, 0, 0, 0, 2],
            AF_INET,
            &mut ct,
        )
        .unwrap();
        assert_eq!(ct.mark, 2);
    }

    #[test]
    fn mutated_messages_never_panic() {
        let base = unhex(KERNEL_MSG);
        let mut seed = 0x9e37_79b9u32;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for _ in 0..3000 {
            let mut m = base.clone();
            for _ in 0..(rnd() % 6 + 1) {
                let i = rnd() as usize % m.len();
                m[i] = rnd() as u8;
            }
            let cut = rnd() as usize % (m.len() + 1);
            let mut ct = Conntrack::new();
            let _ = payload(&m[..cut], AF_INET6, &mut ct);
        }
    }
}
