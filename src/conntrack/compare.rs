//! Comparing conntrack objects: `nfct_cmp` and `nfct_compare` (upstream
//! src/conntrack/compare.c).
//!
//! Each attribute is compared only when both objects have it. When just
//! one has it, the objects still match unless `CMP_MASK` is given and the
//! first object has it, or `CMP_STRICT` is given; then most attributes make
//! the comparison fail, but the zones and the mark are compared against
//! the missing side's 0.
#![forbid(unsafe_code)]

use super::object::{Attr, Conntrack, Tuple};
use crate::kernel::{
    IPPROTO_DCCP, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP,
    IPPROTO_UDPLITE,
};
use crate::labels::Bitmask;

/// `NFCT_CMP_ALL`: the original and reply tuples and the metadata.
pub const CMP_ALL: u32 = 0;
/// `NFCT_CMP_ORIG`: the original tuple.
pub const CMP_ORIG: u32 = 1 << 0;
/// `NFCT_CMP_REPL`: the reply tuple.
pub const CMP_REPL: u32 = 1 << 1;
/// `NFCT_CMP_TIMEOUT_EQ`.
pub const CMP_TIMEOUT_EQ: u32 = 1 << 2;
/// `NFCT_CMP_TIMEOUT_GT`.
pub const CMP_TIMEOUT_GT: u32 = 1 << 3;
/// `NFCT_CMP_TIMEOUT_GE`.
pub const CMP_TIMEOUT_GE: u32 = CMP_TIMEOUT_EQ | CMP_TIMEOUT_GT;
/// `NFCT_CMP_TIMEOUT_LT`.
pub const CMP_TIMEOUT_LT: u32 = 1 << 4;
/// `NFCT_CMP_TIMEOUT_LE`.
pub const CMP_TIMEOUT_LE: u32 = CMP_TIMEOUT_EQ | CMP_TIMEOUT_LT;
/// `NFCT_CMP_MASK`: attributes of the first object missing in the second
/// fail the comparison.
pub const CMP_MASK: u32 = 1 << 5;
/// `NFCT_CMP_STRICT`: attributes missing in either object fail it.
pub const CMP_STRICT: u32 = 1 << 6;

type Eq = fn(&Conntrack, &Conntrack, u32) -> bool;

/// Compares `attr` with `eq` when both have it; decides by the flags when
/// only one does. `strict` attributes fail then; the others are compared
/// anyway (their getters read 0 for the missing side).
fn cmp(attr: Attr, a: &Conntrack, b: &Conntrack, flags: u32, eq: Eq, strict: bool) -> bool {
    let (x, y) = (a.is_set(attr), b.is_set(attr));
    if x && y {
        eq(a, b, flags)
    } else if !x && !y {
        true
    } else if (flags & CMP_MASK != 0 && x) || flags & CMP_STRICT != 0 {
        !strict && eq(a, b, flags)
    } else {
        true
    }
}

/// The value `nfct_get_attr_u16/u32` gives: 0 when unset.
fn u16_or0(ct: &Conntrack, attr: Attr) -> u16 {
    ct.get_u16(attr).unwrap_or(0)
}
fn u32_or0(ct: &Conntrack, attr: Attr) -> u32 {
    ct.get_u32(attr).unwrap_or(0)
}

/// Ports or ICMP id/type/code of one direction, by layer-4 protocol.
fn cmp_l4(a: &Conntrack, b: &Conntrack, flags: u32, dir: usize) -> bool {
    let (ta, tb) = (a.tuple(dir), b.tuple(dir));
    if ta.protonum != tb.protonum {
        return false;
    }
    let (psrc, pdst, fsrc, fdst): (Attr, Attr, Eq, Eq) = if dir == 0 {
        (
            Attr::OrigPortSrc,
            Attr::OrigPortDst,
            |a, b, _| a.head.orig.l4src == b.head.orig.l4src,
            |a, b, _| a.head.orig.l4dst == b.head.orig.l4dst,
        )
    } else {
        (
            Attr::ReplPortSrc,
            Attr::ReplPortDst,
            |a, b, _| a.repl.l4src == b.repl.l4src,
            |a, b, _| a.repl.l4dst == b.repl.l4dst,
        )
    };
    match ta.protonum {
        IPPROTO_ICMP | IPPROTO_ICMPV6 => {
            // ICMP id, type and code live in the original tuple only.
            cmp(
                Attr::IcmpId,
                a,
                b,
                flags,
                |a, b, _| a.head.orig.l4src == b.head.orig.l4src,
                true,
            ) && cmp(
                Attr::IcmpCode,
                a,
                b,
                flags,
                |a, b, _| a.head.orig.l4dst.icmp_code() == b.head.orig.l4dst.icmp_code(),
                true,
            ) && cmp(
                Attr::IcmpType,
                a,
                b,
                flags,
                |a, b, _| a.head.orig.l4dst.icmp_type() == b.head.orig.l4dst.icmp_type(),
                true,
            )
        }
        IPPROTO_TCP | IPPROTO_UDP | IPPROTO_UDPLITE | IPPROTO_DCCP | IPPROTO_SCTP => {
            cmp(psrc, a, b, flags, fsrc, true) && cmp(pdst, a, b, flags, fdst, true)
        }
        _ => true,
    }
}

fn cmp_tuple(a: &Conntrack, b: &Conntrack, flags: u32, dir: usize) -> bool {
    use Attr::*;
    let t = |ct: &Conntrack| -> Tuple { *ct.tuple(dir) };
    let ids: [Attr; 7] = if dir == 0 {
        [
            OrigL3Proto,
            OrigL4Proto,
            OrigIpv4Src,
            OrigIpv4Dst,
            OrigIpv6Src,
            OrigIpv6Dst,
            OrigZone,
        ]
    } else {
        [
            ReplL3Proto,
            ReplL4Proto,
            ReplIpv4Src,
            ReplIpv4Dst,
            ReplIpv6Src,
            ReplIpv6Dst,
            ReplZone,
        ]
    };
    let [l3, l4, v4s, v4d, v6s, v6d, zone] = ids;
    let l3eq = |x: &Conntrack, y: &Conntrack| t(x).l3protonum == t(y).l3protonum;
    let v4s_eq = |x: &Conntrack, y: &Conntrack| t(x).src.0[0] == t(y).src.0[0];
    let v4d_eq = |x: &Conntrack, y: &Conntrack| t(x).dst.0[0] == t(y).dst.0[0];
    let v6s_eq = |x: &Conntrack, y: &Conntrack| t(x).src == t(y).src;
    let v6d_eq = |x: &Conntrack, y: &Conntrack| t(x).dst == t(y).dst;
    let one = |attr: Attr, f: &dyn Fn(&Conntrack, &Conntrack) -> bool, strict: bool| {
        let (x, y) = (a.is_set(attr), b.is_set(attr));
        if x && y {
            f(a, b)
        } else if !x && !y {
            true
        } else if (flags & CMP_MASK != 0 && x) || flags & CMP_STRICT != 0 {
            !strict && f(a, b)
        } else {
            true
        }
    };
    let l4eq = |x: &Conntrack, y: &Conntrack| cmp_l4(x, y, flags, dir);
    let zone_eq = |x: &Conntrack, y: &Conntrack| u16_or0(x, zone) == u16_or0(y, zone);
    one(l3, &l3eq, true)
        && one(l4, &l4eq, true)
        && one(v4s, &v4s_eq, true)
        && one(v4d, &v4d_eq, true)
        && one(v6s, &v6s_eq, true)
        && one(v6d, &v6d_eq, true)
        && one(zone, &zone_eq, false)
}

fn cmp_timeout(a: &Conntrack, b: &Conntrack, flags: u32) -> bool {
    if flags & (CMP_TIMEOUT_LE | CMP_TIMEOUT_GT) == 0 && a.timeout == b.timeout {
        return true;
    }
    (flags & CMP_TIMEOUT_GT != 0 && a.timeout > b.timeout)
        || (flags & CMP_TIMEOUT_LT != 0 && a.timeout < b.timeout)
        || (flags & CMP_TIMEOUT_EQ != 0 && a.timeout == b.timeout)
}

/// Label sets are equal when their common words are and the longer one
/// has no bit beyond them; a missing set equals only a missing set.
fn labels_eq(a: Option<&Bitmask>, b: Option<&Bitmask>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let n = a.words.len().min(b.words.len());
            let longer = if a.words.len() > b.words.len() { a } else { b };
            longer.words.iter().skip(n).all(|w| *w == 0)
                && a.words.iter().take(n).eq(b.words.iter().take(n))
        }
        (None, None) => true,
        _ => false,
    }
}

fn cmp_meta(a: &Conntrack, b: &Conntrack, flags: u32) -> bool {
    cmp(Attr::Id, a, b, flags, |a, b, _| a.id == b.id, true)
        && cmp(
            Attr::Mark,
            a,
            b,
            flags,
            |a, b, _| u32_or0(a, Attr::Mark) == u32_or0(b, Attr::Mark),
            false,
        )
        && cmp(Attr::Timeout, a, b, flags, cmp_timeout, true)
        && cmp(
            Attr::Status,
            a,
            b,
            flags,
            |a, b, _| a.status & b.status == a.status,
            true,
        )
        && cmp(
            Attr::TcpState,
            a,
            b,
            flags,
            |a, b, _| a.protoinfo.0[0] == b.protoinfo.0[0],
            true,
        )
        && cmp(
            Attr::SctpState,
            a,
            b,
            flags,
            |a, b, _| a.protoinfo.0[0] == b.protoinfo.0[0],
            true,
        )
        && cmp(
            Attr::DccpState,
            a,
            b,
            flags,
            |a, b, _| a.protoinfo.0[0] == b.protoinfo.0[0],
            true,
        )
        && cmp(
            Attr::Zone,
            a,
            b,
            flags,
            |a, b, _| u16_or0(a, Attr::Zone) == u16_or0(b, Attr::Zone),
            false,
        )
        && cmp(
            Attr::Secctx,
            a,
            b,
            flags,
            |a, b, _| match (&a.secctx, &b.secctx) {
                (Some(x), Some(y)) => until_nul(x) == until_nul(y),
                (None, None) => true,
                _ => false,
            },
            true,
        )
        && cmp(
            Attr::Connlabels,
            a,
            b,
            flags,
            |a, b, _| labels_eq(a.connlabels.as_deref(), b.connlabels.as_deref()),
            true,
        )
        && cmp(
            Attr::ConnlabelsMask,
            a,
            b,
            flags,
            |a, b, _| labels_eq(a.connlabels_mask.as_deref(), b.connlabels_mask.as_deref()),
            true,
        )
}

fn until_nul(s: &[u8]) -> &[u8] {
    let n = s.iter().position(|&b| b == 0).unwrap_or(s.len());
    s.get(..n).unwrap_or(s)
}

/// `nfct_cmp`: whether `a` and `b` match under `flags` (a combination of
/// the `CMP_*` constants). With `CMP_ALL` (optionally plus `CMP_MASK` and
/// `CMP_STRICT`) everything is compared: metadata (id, mark, timeout,
/// status as a subset of `b`'s, protocol states, zone, security context,
/// labels) and both tuples. Otherwise `CMP_ORIG` and `CMP_REPL` select the
/// tuples. As upstream, a timeout flag takes the comparison off the
/// `CMP_ALL` path, so metadata (and the timeout) is then not compared.
pub fn cmp_flags(a: &Conntrack, b: &Conntrack, flags: u32) -> bool {
    if flags & !(CMP_MASK | CMP_STRICT) == CMP_ALL {
        return cmp_meta(a, b, flags) && cmp_tuple(a, b, flags, 0) && cmp_tuple(a, b, flags, 1);
    }
    if flags & CMP_ORIG != 0 && !cmp_tuple(a, b, flags, 0) {
        return false;
    }
    if flags & CMP_REPL != 0 && !cmp_tuple(a, b, flags, 1) {
        return false;
    }
    true
}

/// `nfct_cmp` with `flags` covering only the original tuple, used by other
/// parts (filters, expectations) as upstream's `__cmp_orig`.
pub fn cmp_orig(a: &Conntrack, b: &Conntrack, flags: u32) -> bool {
    cmp_tuple(a, b, flags, 0)
}

/// `nfct_compare`: `nfct_cmp` with `CMP_ALL`.
pub fn compare(a: &Conntrack, b: &Conntrack) -> bool {
    cmp_flags(a, b, CMP_ALL)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(src: u32, sport: u16) -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::OrigL3Proto, 2).unwrap();
        ct.set_u8(Attr::OrigL4Proto, IPPROTO_TCP).unwrap();
        ct.set_u32(Attr::OrigIpv4Src, src).unwrap();
        ct.set_u32(Attr::OrigIpv4Dst, 0x0200_000a).unwrap();
        ct.set_u16(Attr::OrigPortSrc, sport).unwrap();
        ct.set_u16(Attr::OrigPortDst, 0x5000).unwrap();
        ct.set_u8(Attr::ReplL3Proto, 2).unwrap();
        ct.set_u8(Attr::ReplL4Proto, IPPROTO_TCP).unwrap();
        ct.set_u32(Attr::ReplIpv4Src, 0x0200_000a).unwrap();
        ct.set_u32(Attr::ReplIpv4Dst, src).unwrap();
        ct
    }

    #[test]
    fn equal_objects_match_under_every_flag() {
        let a = tcp(1, 2);
        for f in [0, 1, 2, 3, 4, 8, 12, 16, 20, 32, 64, 96, 33, 65] {
            assert!(cmp_flags(&a, &a.clone(), f), "flags {f}");
        }
        assert!(compare(&a, &a));
    }

    #[test]
    fn tuples_differ() {
        let a = tcp(1, 2);
        let b = tcp(1, 3);
        assert!(!cmp_flags(&a, &b, CMP_ALL));
        assert!(!cmp_flags(&a, &b, CMP_ORIG));
        assert!(cmp_flags(&a, &b, CMP_REPL));
        let c = tcp(5, 2);
        assert!(!cmp_flags(&a, &c, CMP_REPL));
        // Timeout flags alone select no tuple.
        assert!(cmp_flags(&a, &c, CMP_TIMEOUT_EQ));
    }

    #[test]
    fn missing_attributes() {
        let a = tcp(1, 2);
        let mut b = tcp(1, 2);
        b.unset(Attr::OrigPortSrc);
        assert!(cmp_flags(&a, &b, CMP_ALL));
        assert!(!cmp_flags(&a, &b, CMP_MASK));
        assert!(cmp_flags(&b, &a, CMP_MASK));
        assert!(!cmp_flags(&b, &a, CMP_STRICT));
        // Mark: set only in one, compared against 0 when masked/strict.
        let mut m = tcp(1, 2);
        m.set_u32(Attr::Mark, 0).unwrap();
        assert!(cmp_flags(&m, &a, CMP_MASK));
        m.set_u32(Attr::Mark, 1).unwrap();
        assert!(!cmp_flags(&m, &a, CMP_MASK));
        assert!(cmp_flags(&a, &m, CMP_MASK));
        assert!(!cmp_flags(&a, &m, CMP_STRICT));
        // Timeout, strict: missing on one side fails only with MASK/STRICT.
        let mut t = tcp(1, 2);
        t.set_u32(Attr::Timeout, 0).unwrap();
        assert!(cmp_flags(&t, &a, CMP_ALL));
        assert!(!cmp_flags(&t, &a, CMP_MASK));
    }

    #[test]
    fn timeout_flags() {
        let mut a = tcp(1, 2);
        let mut b = tcp(1, 2);
        a.set_u32(Attr::Timeout, 10).unwrap();
        b.set_u32(Attr::Timeout, 20).unwrap();
        // Only CMP_ALL (with MASK/STRICT) compares metadata, and then the
        // timeouts must be equal; any timeout flag leaves the ALL path and
        // selects no tuple, so everything matches.
        let r = |f| cmp_flags(&a, &b, f);
        assert!(!r(CMP_ALL));
        assert!(!r(CMP_MASK | CMP_STRICT));
        for f in [
            CMP_TIMEOUT_EQ,
            CMP_TIMEOUT_GT,
            CMP_TIMEOUT_LT,
            CMP_TIMEOUT_LE,
            CMP_TIMEOUT_GE,
        ] {
            assert!(r(f));
            assert!(r(f | CMP_ORIG));
        }
        b.set_u32(Attr::Timeout, 10).unwrap();
        assert!(cmp_flags(&a, &b, CMP_ALL));
        // The relational test itself, as upstream's cmp_timeout has it.
        assert!(cmp_timeout(&a, &b, CMP_TIMEOUT_GE));
        assert!(!cmp_timeout(&a, &b, CMP_TIMEOUT_GT));
        b.set_u32(Attr::Timeout, 20).unwrap();
        assert!(cmp_timeout(&a, &b, CMP_TIMEOUT_LT));
        assert!(!cmp_timeout(&a, &b, CMP_TIMEOUT_GE));
        assert!(!cmp_timeout(&a, &b, 0));
    }

    #[test]
    fn status_is_a_subset_test() {
        let mut a = tcp(1, 2);
        let mut b = tcp(1, 2);
        a.set_u32(Attr::Status, 0x2).unwrap();
        b.set_u32(Attr::Status, 0x6).unwrap();
        assert!(cmp_flags(&a, &b, CMP_ALL));
        assert!(!cmp_flags(&b, &a, CMP_ALL));
    }

    #[test]
    fn icmp_compares_id_type_code() {
        let mut a = Conntrack::new();
        a.set_u8(Attr::OrigL4Proto, IPPROTO_ICMP).unwrap();
        a.set_u8(Attr::IcmpType, 8).unwrap();
        a.set_u16(Attr::IcmpId, 1).unwrap();
        let mut b = a.clone();
        assert!(cmp_flags(&a, &b, CMP_ORIG));
        b.set_u8(Attr::IcmpType, 0).unwrap();
        assert!(!cmp_flags(&a, &b, CMP_ORIG));
        // Ports are not compared for ICMP.
        let mut c = a.clone();
        c.set_u16(Attr::OrigPortSrc, 9).unwrap();
        assert!(!cmp_flags(&a, &c, CMP_ORIG), "ICMP id shares the port");
        c.set_u16(Attr::IcmpId, 1).unwrap();
        assert!(cmp_flags(&a, &c, CMP_ORIG));
    }

    #[test]
    fn labels() {
        let mut x = Bitmask::new(31);
        let mut y = Bitmask::new(95);
        assert!(labels_eq(Some(&x), Some(&y)));
        y.set(70);
        assert!(!labels_eq(Some(&x), Some(&y)));
        y.unset(70);
        x.set(3);
        assert!(!labels_eq(Some(&x), Some(&y)));
        y.set(3);
        assert!(labels_eq(Some(&y), Some(&x)));
        assert!(!labels_eq(None, Some(&x)));
        assert!(labels_eq(None, None));
    }

    #[test]
    fn zones_compare_against_zero() {
        let a = tcp(1, 2);
        let mut b = tcp(1, 2);
        b.set_u16(Attr::OrigZone, 0).unwrap();
        assert!(cmp_flags(&a, &b, CMP_STRICT));
        b.set_u16(Attr::OrigZone, 1).unwrap();
        assert!(!cmp_flags(&a, &b, CMP_STRICT));
        assert!(cmp_flags(&a, &b, CMP_MASK));
        assert!(cmp_flags(&a, &b, CMP_ORIG));
    }

    /// Objects of ctests/ctattr/ctattr.c's cmp_obj(), by number.
    fn obj(i: u32) -> Conntrack {
        let ip = |a: u8| u32::from_ne_bytes([a, a, a, a]);
        let port = |p: u16| p.to_be();
        if i == 0 {
            return Conntrack::new();
        }
        if (20..=22).contains(&i) {
            let mut ct = Conntrack::new();
            if i != 22 {
                ct.set_u8(Attr::OrigL3Proto, 2).unwrap();
            }
            ct.set_u8(Attr::OrigL4Proto, IPPROTO_ICMP).unwrap();
            if i != 22 {
                ct.set_u8(Attr::ReplL4Proto, IPPROTO_ICMP).unwrap();
            }
            ct.set_u8(Attr::IcmpType, if i == 21 { 0 } else { 8 })
                .unwrap();
            if i != 22 {
                ct.set_u8(Attr::IcmpCode, 0).unwrap();
                ct.set_u16(Attr::IcmpId, 0x1234).unwrap();
            }
            return ct;
        }
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::OrigL3Proto, 2).unwrap();
        ct.set_u8(Attr::OrigL4Proto, IPPROTO_TCP).unwrap();
        ct.set_u32(Attr::OrigIpv4Src, ip(1)).unwrap();
        ct.set_u32(Attr::OrigIpv4Dst, ip(2)).unwrap();
        ct.set_u16(Attr::OrigPortSrc, port(1000)).unwrap();
        ct.set_u16(Attr::OrigPortDst, port(80)).unwrap();
        ct.set_u8(Attr::ReplL3Proto, 2).unwrap();
        ct.set_u8(Attr::ReplL4Proto, IPPROTO_TCP).unwrap();
        ct.set_u32(Attr::ReplIpv4Src, ip(2)).unwrap();
        ct.set_u32(Attr::ReplIpv4Dst, ip(1)).unwrap();
        ct.set_u16(Attr::ReplPortSrc, port(80)).unwrap();
        ct.set_u16(Attr::ReplPortDst, port(1000)).unwrap();
        ct.set_u32(Attr::Mark, 1).unwrap();
        ct.set_u32(Attr::Timeout, 100).unwrap();
        ct.set_u32(Attr::Status, 2).unwrap();
        ct.set_u8(Attr::TcpState, 3).unwrap();
        match i {
            6 => ct.unset(Attr::Mark),
            7 => ct.set_u32(Attr::Timeout, 200).unwrap(),
            9 => {
                ct.set_u16(Attr::Zone, 5).unwrap();
                ct.set_u16(Attr::OrigZone, 1).unwrap();
            }
            10 => ct.set_bytes(Attr::OrigIpv6Dst, &[0x66; 16]).unwrap(),
            17 => ct.unset(Attr::OrigPortSrc),
            24 => ct.set_u8(Attr::ReplL4Proto, IPPROTO_UDP).unwrap(),
            25 => ct.set_bytes(Attr::Secctx, b"x\0").unwrap(),
            _ => {}
        }
        ct
    }

    #[test]
    fn matches_the_original() {
        // Flags in the order of ctattr.c's test_cmp(); each row is what
        // libnetfilter_conntrack printed for nfct_cmp(a, b, flags[k]).
        const FLAGS: [u32; 20] = [
            0, 1, 2, 3, 32, 64, 96, 33, 65, 34, 66, 4, 8, 16, 12, 20, 40, 17, 128, 99,
        ];
        let rows: &[(u32, u32, &str)] = &[
            (0, 1, "11111001010111111110"),
            (1, 0, "11110000000111111110"),
            (1, 6, "11110001111111111111"),
            (1, 7, "01110001111111111111"),
            (1, 9, "11111001011111111110"),
            (1, 10, "00100000011111111010"),
            (1, 17, "11110000011111111110"),
            (1, 24, "01000001100111111110"),
            (1, 25, "11111001111111111111"),
            (6, 1, "11111001111111111111"),
            (9, 1, "11110000011111111110"),
            (17, 1, "11111001011111111110"),
            (20, 21, "00000000000111111010"),
            (20, 22, "11110000000111111110"),
            (22, 20, "11111001010111111110"),
            (25, 1, "11110001111111111111"),
        ];
        for &(i, j, want) in rows {
            let (a, b) = (obj(i), obj(j));
            let got: String = FLAGS
                .iter()
                .map(|f| if cmp_flags(&a, &b, *f) { '1' } else { '0' })
                .collect();
            assert_eq!(got, want, "{i},{j}");
        }
    }
}
