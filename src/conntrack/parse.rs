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
use crate::netlink::attr::{Attr as Nla, Attrs, Shape};
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
    for a in Attrs::new(bytes) {
        let Ok(a) = a else { break };
        let kind = a.kind();
        let Some(slot) = tb.get_mut(usize::from(kind)) else {
            continue;
        };
        if let Some(s) = shape(kind) {
            a.check(s)?;
        }
        *slot = Some(a);
    }
    Ok(tb)
}

fn get<'a, const N: usize>(tb: &Table<'a, N>, kind: u16) -> Option<Nla<'a>> {
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

/// Reads a `CTA_TUPLE_*` nest into `t`, marking what it sets in `set`
/// (upstream `nfct_parse_tuple`). The layer-3 protocol is not in the nest;
/// callers store it.
pub fn tuple(nest: &Nla, t: &mut Tuple, dir: Dir, set: &mut [u32; SET_WORDS]) -> Result<()> {
    let tb: Table<{ CTA_TUPLE_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_TUPLE_IP | CTA_TUPLE_PROTO => Some(Shape::Nested),
        CTA_TUPLE_ZONE => Some(Shape::Len(2)),
        _ => None,
    })?;
    let bits = dir.bits();

    if let Some(ip) = get(&tb, CTA_TUPLE_IP) {
        let tb: Table<{ CTA_IP_MAX as usize + 1 }> = index(ip.payload(), |k| match k {
            CTA_IP_V4_SRC | CTA_IP_V4_DST => Some(Shape::Len(4)),
            CTA_IP_V6_SRC | CTA_IP_V6_DST => Some(Shape::Len(16)),
            _ => None,
        })?;
        let [v4src, v4dst] = bits.ipv4;
        let [v6src, v6dst] = bits.ipv6;
        if let Some(a) = get(&tb, CTA_IP_V4_SRC) {
            t.src.0[0] = a.u32()?;
            set_bit(set, v4src);
        }
        if let Some(a) = get(&tb, CTA_IP_V4_DST) {
            t.dst.0[0] = a.u32()?;
            set_bit(set, v4dst);
        }
        if let Some(a) = get(&tb, CTA_IP_V6_SRC) {
            t.src = addr6(&a)?;
            set_bit(set, v6src);
        }
        if let Some(a) = get(&tb, CTA_IP_V6_DST) {
            t.dst = addr6(&a)?;
            set_bit(set, v6dst);
        }
    }

    if let Some(proto) = get(&tb, CTA_TUPLE_PROTO) {
        let tb: Table<{ CTA_PROTO_MAX as usize + 1 }> = index(proto.payload(), |k| match k {
            CTA_PROTO_SRC_PORT | CTA_PROTO_DST_PORT | CTA_PROTO_ICMP_ID | CTA_PROTO_ICMPV6_ID => {
                Some(Shape::Len(2))
            }
            CTA_PROTO_NUM
            | CTA_PROTO_ICMP_TYPE
            | CTA_PROTO_ICMP_CODE
            | CTA_PROTO_ICMPV6_TYPE
            | CTA_PROTO_ICMPV6_CODE => Some(Shape::Len(1)),
            _ => None,
        })?;
        let [sport, dport] = bits.ports;
        if let Some(a) = get(&tb, CTA_PROTO_NUM) {
            t.protonum = a.u8()?;
            set_bit(set, bits.l4proto);
        }
        if let Some(a) = get(&tb, CTA_PROTO_SRC_PORT) {
            t.l4src = a.u16()?;
            set_bit(set, sport);
        }
        if let Some(a) = get(&tb, CTA_PROTO_DST_PORT) {
            t.l4dst.set_port(a.u16()?);
            set_bit(set, dport);
        }
        // ICMP fields share storage with the ports; ICMP and ICMPv6 set the
        // same attribute bits whatever the tuple's direction, as upstream.
        for (ty, code, id) in [
            (CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMP_ID),
            (
                CTA_PROTO_ICMPV6_TYPE,
                CTA_PROTO_ICMPV6_CODE,
                CTA_PROTO_ICMPV6_ID,
            ),
        ] {
            if let Some(a) = get(&tb, ty) {
                t.l4dst.0[0] = a.u8()?;
                set_bit(set, Attr::IcmpType);
            }
            if let Some(a) = get(&tb, code) {
                t.l4dst.0[1] = a.u8()?;
                set_bit(set, Attr::IcmpCode);
            }
            if let Some(a) = get(&tb, id) {
                t.l4src = a.u16()?;
                set_bit(set, Attr::IcmpId);
            }
        }
    }

    if let Some(a) = get(&tb, CTA_TUPLE_ZONE) {
        // Upstream stores the zone of a master tuple too, but has no
        // attribute bit for it.
        t.zone = a.be16()?;
        if let Some(z) = bits.zone {
            set_bit(set, z);
        }
    }
    Ok(())
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
    let tb: Table<{ CTA_PROTOINFO_TCP_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_PROTOINFO_TCP_STATE
        | CTA_PROTOINFO_TCP_WSCALE_ORIGINAL
        | CTA_PROTOINFO_TCP_WSCALE_REPLY => Some(Shape::Len(1)),
        CTA_PROTOINFO_TCP_FLAGS_ORIGINAL | CTA_PROTOINFO_TCP_FLAGS_REPLY => Some(Shape::Len(2)),
        _ => None,
    })?;
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
    let tb: Table<{ CTA_PROTOINFO_SCTP_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_PROTOINFO_SCTP_STATE => Some(Shape::Len(1)),
        CTA_PROTOINFO_SCTP_VTAG_ORIGINAL | CTA_PROTOINFO_SCTP_VTAG_REPLY => Some(Shape::Len(4)),
        _ => None,
    })?;
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
    let tb: Table<{ CTA_PROTOINFO_DCCP_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_PROTOINFO_DCCP_STATE | CTA_PROTOINFO_DCCP_ROLE => Some(Shape::Len(1)),
        CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ => Some(Shape::Len(8)),
        _ => None,
    })?;
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
    let tb: Table<{ CTA_PROTOINFO_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_PROTOINFO_TCP | CTA_PROTOINFO_SCTP | CTA_PROTOINFO_DCCP => Some(Shape::Nested),
        _ => None,
    })?;
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
    let tb: Table<{ CTA_COUNTERS_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_COUNTERS_PACKETS | CTA_COUNTERS_BYTES => Some(Shape::Len(8)),
        CTA_COUNTERS32_PACKETS | CTA_COUNTERS32_BYTES => Some(Shape::Len(4)),
        _ => None,
    })?;
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
    let tb: Table<{ CTA_NAT_SEQ_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_NAT_SEQ_CORRECTION_POS | CTA_NAT_SEQ_OFFSET_BEFORE | CTA_NAT_SEQ_OFFSET_AFTER => {
            Some(Shape::Len(4))
        }
        _ => None,
    })?;
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
    let tb: Table<{ CTA_HELP_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_HELP_NAME => Some(Shape::String),
        _ => None,
    })?;
    let Some(name) = get(&tb, CTA_HELP_NAME) else {
        return Ok(());
    };
    copy_cstr(&mut ct.helper_name, name.str_bytes());
    ct.mark_set(Attr::HelperName);
    if let Some(info) = get(&tb, CTA_HELP_INFO) {
        ct.helper_info = Some(info.payload().into());
        ct.mark_set(Attr::HelperInfo);
    }
    Ok(())
}

fn secctx(nest: &Nla, ct: &mut Conntrack) -> Result<()> {
    let tb: Table<{ CTA_SECCTX_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_SECCTX_NAME => Some(Shape::String),
        _ => None,
    })?;
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
    let tb: Table<{ CTA_TIMESTAMP_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_TIMESTAMP_START | CTA_TIMESTAMP_STOP => Some(Shape::Len(8)),
        _ => None,
    })?;
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
    let tb: Table<{ CTA_SYNPROXY_MAX as usize + 1 }> = index(nest.payload(), |k| match k {
        CTA_SYNPROXY_ISN | CTA_SYNPROXY_ITS | CTA_SYNPROXY_TSOFF => Some(Shape::Len(4)),
        _ => None,
    })?;
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
    let tb: Table<{ CTA_MAX as usize + 1 }> = index(attrs, top_shape)?;

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
