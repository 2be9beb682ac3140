//! Copying attributes between conntrack objects: `nfct_copy`,
//! `nfct_copy_attr` and `nfct_clone` (upstream src/conntrack/copy.c and
//! the copy functions of api.c).
//!
//! Copying an attribute copies what upstream's copier copies, which is not
//! always everything its setter wrote: an ICMP type copies only the
//! original direction's type, a NAT address or port only the low end of
//! the range. Label sets, the security context and helper info are deep
//! copies.
#![forbid(unsafe_code)]

use super::attr::store_helper_name;
use super::object::{Attr, Conntrack, DIR_ORIG, DIR_REPL};

/// `NFCT_CP_ALL`: every attribute set in the source (when no other flag).
pub const CP_ALL: u32 = 0;
/// `NFCT_CP_ORIG`: the original tuple.
pub const CP_ORIG: u32 = 1 << 0;
/// `NFCT_CP_REPL`: the reply tuple.
pub const CP_REPL: u32 = 1 << 1;
/// `NFCT_CP_META`: everything from `ATTR_TCP_STATE` on.
pub const CP_META: u32 = 1 << 2;
/// `NFCT_CP_OVERRIDE`: make the destination an exact copy.
pub const CP_OVERRIDE: u32 = 1 << 3;

/// The original-tuple attributes `NFCT_CP_ORIG` copies.
const ORIG_ATTRS: &[Attr] = &[
    Attr::OrigIpv4Src,
    Attr::OrigIpv4Dst,
    Attr::OrigIpv6Src,
    Attr::OrigIpv6Dst,
    Attr::OrigPortSrc,
    Attr::OrigPortDst,
    Attr::IcmpType,
    Attr::IcmpCode,
    Attr::IcmpId,
    Attr::OrigL3Proto,
    Attr::OrigL4Proto,
];

/// The reply-tuple attributes `NFCT_CP_REPL` copies.
const REPL_ATTRS: &[Attr] = &[
    Attr::ReplIpv4Src,
    Attr::ReplIpv4Dst,
    Attr::ReplIpv6Src,
    Attr::ReplIpv6Dst,
    Attr::ReplPortSrc,
    Attr::ReplPortDst,
    Attr::ReplL3Proto,
    Attr::ReplL4Proto,
];

/// A security context copied the way `strdup` does: up to its first NUL.
fn dup_secctx(s: &[u8]) -> Box<[u8]> {
    let n = s.iter().position(|&b| b == 0).unwrap_or(s.len());
    let mut v = Vec::with_capacity(n + 1);
    v.extend(s.iter().take(n));
    v.push(0);
    v.into_boxed_slice()
}

/// Copies the storage of `attr` from `src` to `dst` without touching the
/// marks.
fn copy_value(dst: &mut Conntrack, src: &Conntrack, attr: Attr) {
    use Attr::*;
    let (o, r, m) = (DIR_ORIG, DIR_REPL, 2);
    match attr {
        OrigIpv4Src | ReplIpv4Src | MasterIpv4Src => {
            let d = match attr {
                OrigIpv4Src => o,
                ReplIpv4Src => r,
                _ => m,
            };
            dst.tuple_mut(d).src.0[0] = src.tuple(d).src.0[0];
        }
        OrigIpv4Dst | ReplIpv4Dst | MasterIpv4Dst => {
            let d = match attr {
                OrigIpv4Dst => o,
                ReplIpv4Dst => r,
                _ => m,
            };
            dst.tuple_mut(d).dst.0[0] = src.tuple(d).dst.0[0];
        }
        OrigIpv6Src => dst.head.orig.src = src.head.orig.src,
        OrigIpv6Dst => dst.head.orig.dst = src.head.orig.dst,
        ReplIpv6Src => dst.repl.src = src.repl.src,
        ReplIpv6Dst => dst.repl.dst = src.repl.dst,
        MasterIpv6Src => dst.master.src = src.master.src,
        MasterIpv6Dst => dst.master.dst = src.master.dst,
        OrigPortSrc | IcmpId => dst.head.orig.l4src = src.head.orig.l4src,
        OrigPortDst => dst.head.orig.l4dst = src.head.orig.l4dst,
        ReplPortSrc => dst.repl.l4src = src.repl.l4src,
        ReplPortDst => dst.repl.l4dst = src.repl.l4dst,
        MasterPortSrc => dst.master.l4src = src.master.l4src,
        MasterPortDst => dst.master.l4dst = src.master.l4dst,
        IcmpType => dst.head.orig.l4dst.0[0] = src.head.orig.l4dst.0[0],
        IcmpCode => dst.head.orig.l4dst.0[1] = src.head.orig.l4dst.0[1],
        OrigL3Proto => dst.head.orig.l3protonum = src.head.orig.l3protonum,
        ReplL3Proto => dst.repl.l3protonum = src.repl.l3protonum,
        MasterL3Proto => dst.master.l3protonum = src.master.l3protonum,
        OrigL4Proto => dst.head.orig.protonum = src.head.orig.protonum,
        ReplL4Proto => dst.repl.protonum = src.repl.protonum,
        MasterL4Proto => dst.master.protonum = src.master.protonum,
        OrigZone => dst.head.orig.zone = src.head.orig.zone,
        ReplZone => dst.repl.zone = src.repl.zone,
        TcpState | SctpState | DccpState | TcpFlagsOrig | TcpMaskOrig | TcpFlagsRepl
        | TcpMaskRepl | TcpWscaleOrig | TcpWscaleRepl | DccpRole => {
            use super::object::protoinfo as pi;
            let i = match attr {
                TcpFlagsOrig => pi::TCP_FLAGS,
                TcpMaskOrig => pi::TCP_FLAGS + 1,
                TcpFlagsRepl => pi::TCP_FLAGS + 2,
                TcpMaskRepl => pi::TCP_FLAGS + 3,
                TcpWscaleOrig => pi::TCP_WSCALE,
                TcpWscaleRepl => pi::TCP_WSCALE + 1,
                DccpRole => pi::DCCP_ROLE,
                _ => pi::STATE,
            };
            dst.protoinfo.0[i] = src.protoinfo.0[i];
        }
        SctpVtagOrig | SctpVtagRepl | DccpHandshakeSeq => {
            use super::object::protoinfo as pi;
            let (a, b) = match attr {
                SctpVtagOrig => (pi::SCTP_VTAG, pi::SCTP_VTAG + 4),
                SctpVtagRepl => (pi::SCTP_VTAG + 4, pi::SCTP_VTAG + 8),
                _ => (pi::DCCP_HANDSHAKE_SEQ, pi::DCCP_HANDSHAKE_SEQ + 8),
            };
            dst.protoinfo.0[a..b].copy_from_slice(&src.protoinfo.0[a..b]);
        }
        SnatIpv4 => dst.snat.min_ip.0[0] = src.snat.min_ip.0[0],
        DnatIpv4 => dst.dnat.min_ip.0[0] = src.dnat.min_ip.0[0],
        SnatIpv6 => dst.snat.min_ip = src.snat.min_ip,
        DnatIpv6 => dst.dnat.min_ip = src.dnat.min_ip,
        SnatPort => dst.snat.l4min = src.snat.l4min,
        DnatPort => dst.dnat.l4min = src.dnat.l4min,
        Timeout => dst.timeout = src.timeout,
        Mark => dst.mark = src.mark,
        Secmark => dst.secmark = src.secmark,
        Status => dst.status = src.status,
        Use => dst.use_ = src.use_,
        Id => dst.id = src.id,
        Zone => dst.zone = src.zone,
        OrigCounterPackets => dst.counters[o].packets = src.counters[o].packets,
        OrigCounterBytes => dst.counters[o].bytes = src.counters[o].bytes,
        ReplCounterPackets => dst.counters[r].packets = src.counters[r].packets,
        ReplCounterBytes => dst.counters[r].bytes = src.counters[r].bytes,
        OrigNatSeqCorrectionPos => dst.natseq[o].correction_pos = src.natseq[o].correction_pos,
        OrigNatSeqOffsetBefore => dst.natseq[o].offset_before = src.natseq[o].offset_before,
        OrigNatSeqOffsetAfter => dst.natseq[o].offset_after = src.natseq[o].offset_after,
        ReplNatSeqCorrectionPos => dst.natseq[r].correction_pos = src.natseq[r].correction_pos,
        ReplNatSeqOffsetBefore => dst.natseq[r].offset_before = src.natseq[r].offset_before,
        ReplNatSeqOffsetAfter => dst.natseq[r].offset_after = src.natseq[r].offset_after,
        HelperName => {
            let name = src.helper_name;
            store_helper_name(&mut dst.helper_name, &name);
        }
        Secctx => dst.secctx = src.secctx.as_deref().map(dup_secctx),
        TimestampStart => dst.timestamp.start = src.timestamp.start,
        TimestampStop => dst.timestamp.stop = src.timestamp.stop,
        // Upstream keeps the destination's own helper info and labels when
        // the source has none.
        HelperInfo => {
            // Upstream copies the source's recorded length of bytes and
            // leaves the destination's recorded length as it was.
            if let Some(h) = src.helper_info_sent() {
                dst.helper_info = Some(h.into_owned().into_boxed_slice());
            }
        }
        Connlabels => {
            if let Some(l) = &src.connlabels {
                dst.connlabels = Some(l.clone());
            }
        }
        ConnlabelsMask => {
            if let Some(l) = &src.connlabels_mask {
                dst.connlabels_mask = Some(l.clone());
            }
        }
        SynproxyIsn => dst.synproxy.isn = src.synproxy.isn,
        SynproxyIts => dst.synproxy.its = src.synproxy.its,
        SynproxyTsoff => dst.synproxy.tsoff = src.synproxy.tsoff,
        // Upstream has no copier for this one and asserts; copying the
        // value is what a caller can expect.
        TimestampEvent => dst.timestamp_event = src.timestamp_event,
    }
}

/// `nfct_copy_attr`: when `attr` is set in `src`, copies its value to
/// `dst` and marks it set there; otherwise does nothing.
pub fn copy_attr(dst: &mut Conntrack, src: &Conntrack, attr: Attr) {
    if src.is_set(attr) {
        copy_value(dst, src, attr);
        dst.mark_set(attr);
    }
}

/// An exact, deep copy of `src`: what `NFCT_CP_OVERRIDE` and
/// `nfct_clone` make. The security context is copied up to its NUL.
pub fn duplicate(src: &Conntrack) -> Conntrack {
    let mut ct = src.clone();
    ct.secctx = src.secctx.as_deref().map(dup_secctx);
    ct
}

/// `nfct_copy`: copies from `src` into `dst` the attributes `flags`
/// selects. With `CP_OVERRIDE`, `dst` becomes a deep copy of `src` (its
/// own label sets, strings and helper info are dropped). With `CP_ALL`
/// (0), every attribute set in `src`. Otherwise the union of `CP_ORIG`,
/// `CP_REPL` and `CP_META`; unknown bits select nothing.
pub fn copy(dst: &mut Conntrack, src: &Conntrack, flags: u32) {
    if flags & CP_OVERRIDE != 0 {
        *dst = duplicate(src);
        return;
    }
    if flags == CP_ALL {
        for &a in Attr::ALL {
            copy_attr(dst, src, a);
        }
        return;
    }
    if flags & CP_ORIG != 0 {
        for &a in ORIG_ATTRS {
            copy_attr(dst, src, a);
        }
    }
    if flags & CP_REPL != 0 {
        for &a in REPL_ATTRS {
            copy_attr(dst, src, a);
        }
    }
    if flags & CP_META != 0 {
        for &a in Attr::ALL.iter().filter(|a| **a >= Attr::TcpState) {
            copy_attr(dst, src, a);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::fixtures::set_ids;
    use crate::labels::Bitmask;

    fn source() -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::OrigL3Proto, 2).unwrap();
        ct.set_u8(Attr::OrigL4Proto, 6).unwrap();
        ct.set_u32(Attr::OrigIpv4Src, 0x0100_000a).unwrap();
        ct.set_u16(Attr::OrigPortDst, 0x5000).unwrap();
        ct.set_u8(Attr::ReplL3Proto, 2).unwrap();
        ct.set_u32(Attr::ReplIpv4Dst, 0x0200_000a).unwrap();
        ct.set_u32(Attr::Mark, 7).unwrap();
        ct.set_u16(Attr::OrigZone, 4).unwrap();
        ct.set_u8(Attr::TcpState, 3).unwrap();
        ct.set_u32(Attr::SnatIpv4, 0x0300_000a).unwrap();
        ct.set_bytes(Attr::HelperName, b"ftp\0").unwrap();
        ct.set_bytes(Attr::HelperInfo, &[1, 2, 3]).unwrap();
        let mut l = Bitmask::new(10);
        l.set(3);
        ct.set_bitmask(Attr::Connlabels, Box::new(l)).unwrap();
        ct
    }

    fn dest() -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u32(Attr::Timeout, 100).unwrap();
        ct.set_u32(Attr::OrigIpv4Src, 0x6300_000a).unwrap();
        ct.set_bytes(Attr::HelperName, b"abcdefghijkl\0").unwrap();
        ct.set_bytes(Attr::HelperInfo, &[9]).unwrap();
        ct.set_bitmask(Attr::ConnlabelsMask, Box::new(Bitmask::new(70)))
            .unwrap();
        ct
    }

    #[test]
    fn copy_all_takes_every_set_attribute() {
        let src = source();
        let mut d = dest();
        copy(&mut d, &src, CP_ALL);
        assert_eq!(
            set_ids(&d),
            vec![0, 3, 9, 15, 16, 17, 19, 20, 24, 25, 55, 65, 66, 67, 68]
        );
        assert_eq!(d.get_u32(Attr::OrigIpv4Src), Ok(0x0100_000a));
        assert_eq!(d.get_u32(Attr::Timeout), Ok(100));
        assert_eq!(&d.helper_name[..], b"ftp\0efghijkl\0\0\0\0");
        // Upstream copies as many bytes as the source's recorded length,
        // which only the parser sets: none here.
        assert_eq!(d.helper_info.as_deref(), Some(&[][..]));
        assert_eq!(d.connlabels, src.connlabels);
        assert!(d.connlabels_mask.is_some());
        // Only the low end of the NAT range travels.
        assert_eq!(d.snat.min_ip.0[0], 0x0300_000a);
        assert_eq!(d.snat.max_ip.0[0], 0);
    }

    #[test]
    fn copy_by_part() {
        let src = source();
        let mut d = dest();
        copy(&mut d, &src, CP_ORIG);
        assert_eq!(set_ids(&d), vec![0, 9, 15, 17, 24, 55, 65, 67]);
        let mut d = dest();
        copy(&mut d, &src, CP_REPL);
        assert_eq!(set_ids(&d), vec![0, 3, 16, 24, 55, 65, 67]);
        let mut d = dest();
        copy(&mut d, &src, CP_META);
        assert_eq!(set_ids(&d), vec![0, 19, 20, 24, 25, 55, 65, 66, 67, 68]);
        let mut d = dest();
        copy(&mut d, &src, CP_ORIG | CP_REPL | CP_META);
        let mut all = dest();
        copy(&mut all, &src, CP_ALL);
        assert_eq!(d, all);
        let mut d = dest();
        copy(&mut d, &src, 1 << 4);
        assert_eq!(d, dest());
    }

    #[test]
    fn override_makes_an_exact_copy() {
        let src = source();
        for f in [CP_OVERRIDE, CP_OVERRIDE | CP_ORIG] {
            let mut d = dest();
            copy(&mut d, &src, f);
            assert_eq!(d, src);
        }
        let mut s = source();
        s.secctx = Some(b"a\0b\0".to_vec().into_boxed_slice());
        assert_eq!(duplicate(&s).secctx.as_deref(), Some(&b"a\0"[..]));
    }

    #[test]
    fn copy_attr_only_when_set() {
        let src = source();
        let mut d = Conntrack::new();
        copy_attr(&mut d, &src, Attr::Timeout);
        assert!(set_ids(&d).is_empty());
        copy_attr(&mut d, &src, Attr::Mark);
        assert_eq!(d.get_u32(Attr::Mark), Ok(7));
        // The ICMP type copier leaves the reply tuple alone.
        let mut s = Conntrack::new();
        s.set_u8(Attr::OrigL3Proto, 2).unwrap();
        s.set_u8(Attr::IcmpType, 8).unwrap();
        copy_attr(&mut d, &s, Attr::IcmpType);
        assert_eq!(d.get_u8(Attr::IcmpType), Ok(8));
        assert_eq!(d.repl.l4dst.0[0], 0);
        // Secctx: a source without one clears the destination's.
        let mut s = Conntrack::new();
        s.mark_set(Attr::Secctx);
        d.secctx = Some(b"x\0".to_vec().into_boxed_slice());
        copy_attr(&mut d, &s, Attr::Secctx);
        assert!(d.secctx.is_none());
        // Helper info: a source without one keeps the destination's.
        let mut s = Conntrack::new();
        s.mark_set(Attr::HelperInfo);
        d.helper_info = Some(vec![5].into_boxed_slice());
        copy_attr(&mut d, &s, Attr::HelperInfo);
        assert_eq!(d.helper_info.as_deref(), Some(&[5u8][..]));
    }
}
