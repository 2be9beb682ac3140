//! Comparing two expectations, as upstream's src/expect/compare.c does,
//! including the original-tuple comparison of the tuple heads it shares
//! with src/conntrack/compare.c.
//!
//! Each attribute is compared only when both sides have it set. When only
//! one side has it, the expectations still match unless the flags say
//! otherwise: `NFCT_CMP_MASK` fails when the first object has it,
//! `NFCT_CMP_STRICT` fails either way. The timeout is never compared.
#![forbid(unsafe_code)]

use super::attr::c_str;
use super::object::{ExpAttr, Expect};
use crate::conntrack::object::{Attr, TupleHead};
use crate::kernel::{
    IPPROTO_DCCP, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP,
    IPPROTO_UDPLITE,
};

/// `NFCT_CMP_MASK`: an attribute set only in the first object is a mismatch.
pub const CMP_MASK: u32 = 32;
/// `NFCT_CMP_STRICT`: an attribute set in only one object is a mismatch.
pub const CMP_STRICT: u32 = 64;

// IP protocol numbers (<netinet/in.h>) that select what the ports mean.

/// Outcome for an attribute set on exactly one side, `first` telling
/// whether it is the first object. `strict` comparisons fail there; the
/// lenient one (the zone) compares the stored values anyway, which
/// `equal` reports.
fn one_sided(first: bool, flags: u32, strict: bool, equal: impl FnOnce() -> bool) -> bool {
    if (flags & CMP_MASK != 0 && first) || flags & CMP_STRICT != 0 {
        !strict && equal()
    } else {
        true
    }
}

/// Upstream's per-attribute rule for tuple heads.
fn cmp_bit(
    a: &TupleHead,
    b: &TupleHead,
    attr: Attr,
    flags: u32,
    strict: bool,
    equal: impl FnOnce() -> bool,
) -> bool {
    match (a.test(attr.id()), b.test(attr.id())) {
        (true, true) => equal(),
        (false, false) => true,
        (first, _) => one_sided(first, flags, strict, equal),
    }
}

fn cmp_l4(a: &TupleHead, b: &TupleHead, flags: u32) -> bool {
    let (x, y) = (&a.orig, &b.orig);
    if x.protonum != y.protonum {
        return false;
    }
    match x.protonum {
        IPPROTO_ICMP | IPPROTO_ICMPV6 => {
            cmp_bit(a, b, Attr::IcmpId, flags, true, || x.l4src == y.l4src)
                && cmp_bit(a, b, Attr::IcmpCode, flags, true, || {
                    x.l4dst.icmp_code() == y.l4dst.icmp_code()
                })
                && cmp_bit(a, b, Attr::IcmpType, flags, true, || {
                    x.l4dst.icmp_type() == y.l4dst.icmp_type()
                })
        }
        IPPROTO_TCP | IPPROTO_UDP | IPPROTO_UDPLITE | IPPROTO_DCCP | IPPROTO_SCTP => {
            cmp_bit(a, b, Attr::OrigPortSrc, flags, true, || x.l4src == y.l4src)
                && cmp_bit(a, b, Attr::OrigPortDst, flags, true, || x.l4dst == y.l4dst)
        }
        _ => true,
    }
}

/// Whether the original tuples of two heads match under `flags`
/// (upstream's `__cmp_orig`): layer-3 and layer-4 protocol, ports or ICMP
/// fields, IPv4 and IPv6 addresses, and the original zone. An unset zone
/// counts as zero when the other side has one and the flags demand it.
pub fn cmp_orig(a: &TupleHead, b: &TupleHead, flags: u32) -> bool {
    let (x, y) = (&a.orig, &b.orig);
    let zone = |h: &TupleHead| {
        if h.test(Attr::OrigZone.id()) {
            h.orig.zone
        } else {
            0
        }
    };
    cmp_bit(a, b, Attr::OrigL3Proto, flags, true, || {
        x.l3protonum == y.l3protonum
    }) && cmp_bit(a, b, Attr::OrigL4Proto, flags, true, || cmp_l4(a, b, flags))
        && cmp_bit(a, b, Attr::OrigIpv4Src, flags, true, || {
            x.src.v4() == y.src.v4()
        })
        && cmp_bit(a, b, Attr::OrigIpv4Dst, flags, true, || {
            x.dst.v4() == y.dst.v4()
        })
        && cmp_bit(a, b, Attr::OrigIpv6Src, flags, true, || x.src == y.src)
        && cmp_bit(a, b, Attr::OrigIpv6Dst, flags, true, || x.dst == y.dst)
        && cmp_bit(a, b, Attr::OrigZone, flags, false, || zone(a) == zone(b))
}

/// Upstream's per-attribute rule for expectations: a one-sided attribute
/// never compares values.
fn cmp_attr(
    a: &Expect,
    b: &Expect,
    attr: ExpAttr,
    flags: u32,
    equal: impl FnOnce() -> bool,
) -> bool {
    match (a.is_set(attr), b.is_set(attr)) {
        (true, true) => equal(),
        (false, false) => true,
        (first, _) => one_sided(first, flags, true, equal),
    }
}

/// Whether two expectations match under `flags` (`nfexp_cmp`): master,
/// expected, mask and NAT tuples by their original tuples, then zone,
/// flags, helper name, class, NAT direction and expectation function.
pub fn cmp(a: &Expect, b: &Expect, flags: u32) -> bool {
    cmp_attr(a, b, ExpAttr::Master, flags, || {
        cmp_orig(&a.master, &b.master, flags)
    }) && cmp_attr(a, b, ExpAttr::Expected, flags, || {
        cmp_orig(&a.expected, &b.expected, flags)
    }) && cmp_attr(a, b, ExpAttr::Mask, flags, || {
        cmp_orig(&a.mask, &b.mask, flags)
    }) && cmp_attr(a, b, ExpAttr::Zone, flags, || a.zone == b.zone)
        && cmp_attr(a, b, ExpAttr::Flags, flags, || a.flags == b.flags)
        && cmp_attr(a, b, ExpAttr::HelperName, flags, || {
            c_str(&a.helper_name) == c_str(&b.helper_name)
        })
        && cmp_attr(a, b, ExpAttr::Class, flags, || a.class == b.class)
        && cmp_attr(a, b, ExpAttr::NatTuple, flags, || {
            cmp_orig(&a.nat, &b.nat, flags)
        })
        && cmp_attr(a, b, ExpAttr::NatDir, flags, || a.nat_dir == b.nat_dir)
        && cmp_attr(a, b, ExpAttr::Fn, flags, || {
            c_str(&a.expectfn) == c_str(&b.expectfn)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(src: u32, sport: u16) -> TupleHead {
        let mut h = TupleHead::default();
        h.orig.l3protonum = 2;
        h.orig.protonum = IPPROTO_TCP;
        h.orig.src.0[0] = src;
        h.orig.l4src = sport.to_be();
        for a in [
            Attr::OrigL3Proto,
            Attr::OrigL4Proto,
            Attr::OrigIpv4Src,
            Attr::OrigPortSrc,
        ] {
            h.mark(a.id());
        }
        h
    }

    #[test]
    fn empty_objects_match() {
        let (a, b) = (Expect::new(), Expect::new());
        for f in [0, CMP_MASK, CMP_STRICT, CMP_MASK | CMP_STRICT] {
            assert!(cmp(&a, &b, f));
        }
    }

    #[test]
    fn timeout_is_ignored() {
        let (mut a, mut b) = (Expect::new(), Expect::new());
        a.set_u32(ExpAttr::Timeout, 1);
        b.set_u32(ExpAttr::Timeout, 2);
        assert!(cmp(&a, &b, CMP_STRICT));
        b.unset(ExpAttr::Timeout);
        assert!(cmp(&a, &b, CMP_STRICT));
    }

    #[test]
    fn one_sided_attributes() {
        let (mut a, b) = (Expect::new(), Expect::new());
        a.set_u32(ExpAttr::Class, 3);
        assert!(cmp(&a, &b, 0));
        assert!(!cmp(&a, &b, CMP_MASK));
        assert!(cmp(&b, &a, CMP_MASK));
        assert!(!cmp(&a, &b, CMP_STRICT));
        assert!(!cmp(&b, &a, CMP_STRICT));
    }

    #[test]
    fn values_differ() {
        let (mut a, mut b) = (Expect::new(), Expect::new());
        a.set_str(ExpAttr::HelperName, b"ftp").unwrap();
        b.set_str(ExpAttr::HelperName, b"ftp").unwrap();
        assert!(cmp(&a, &b, 0));
        b.set_str(ExpAttr::HelperName, b"sip").unwrap();
        assert!(!cmp(&a, &b, 0));
        b.set_str(ExpAttr::HelperName, b"ftp").unwrap();
        a.set_u16(ExpAttr::Zone, 1);
        b.set_u16(ExpAttr::Zone, 2);
        assert!(!cmp(&a, &b, 0));
    }

    #[test]
    fn tuples_compare_by_orig() {
        let (mut a, mut b) = (Expect::new(), Expect::new());
        a.set_tuple(ExpAttr::Master, &tcp(1, 21)).unwrap();
        b.set_tuple(ExpAttr::Master, &tcp(1, 21)).unwrap();
        assert!(cmp(&a, &b, CMP_STRICT));
        b.set_tuple(ExpAttr::Master, &tcp(1, 22)).unwrap();
        assert!(!cmp(&a, &b, 0));
        b.set_tuple(ExpAttr::Master, &tcp(2, 21)).unwrap();
        assert!(!cmp(&a, &b, 0));
    }

    #[test]
    fn tuple_bits_one_sided() {
        let x = tcp(1, 21);
        let mut y = x;
        y.clear(Attr::OrigPortSrc.id());
        y.orig.l4src = 0;
        assert!(cmp_orig(&x, &y, 0));
        assert!(!cmp_orig(&x, &y, CMP_MASK));
        assert!(cmp_orig(&y, &x, CMP_MASK));
        assert!(!cmp_orig(&y, &x, CMP_STRICT));
    }

    #[test]
    fn zone_is_lenient() {
        let x = tcp(1, 21);
        let mut y = x;
        y.mark(Attr::OrigZone.id());
        // Set on one side only, with the value zero: strict still matches.
        assert!(cmp_orig(&x, &y, CMP_STRICT));
        y.orig.zone = 4;
        assert!(!cmp_orig(&x, &y, CMP_STRICT));
        assert!(cmp_orig(&x, &y, 0));
        // An unset zone counts as zero, whatever is stored.
        let mut z = x;
        z.orig.zone = 4;
        assert!(!cmp_orig(&z, &y, CMP_STRICT));
    }

    #[test]
    fn icmp_fields() {
        let mut x = TupleHead::default();
        x.orig.protonum = IPPROTO_ICMP;
        x.mark(Attr::OrigL4Proto.id());
        x.mark(Attr::IcmpType.id());
        x.orig.l4dst.0 = [8, 0];
        let mut y = x;
        assert!(cmp_orig(&x, &y, 0));
        y.orig.l4dst.0 = [0, 0];
        assert!(!cmp_orig(&x, &y, 0));
        // The code is not set on either side: its bytes do not matter.
        y.orig.l4dst.0 = [8, 3];
        assert!(cmp_orig(&x, &y, CMP_STRICT));
        // Unknown protocols compare by number only.
        x.orig.protonum = 99;
        y.orig.protonum = 99;
        y.orig.l4dst.0 = [1, 1];
        assert!(cmp_orig(&x, &y, CMP_STRICT));
    }

    /// `nfexp_cmp(a, b)`/`nfexp_cmp(b, a)` under flags 0, MASK, STRICT and
    /// MASK|STRICT, as ctests/expect/tuple.c prints them.
    fn table(a: &Expect, b: &Expect) -> [(bool, bool); 4] {
        [0, CMP_MASK, CMP_STRICT, CMP_MASK | CMP_STRICT].map(|f| (cmp(a, b, f), cmp(b, a, f)))
    }

    #[test]
    fn matches_the_original_library() {
        // Outcomes recorded from libnetfilter_conntrack 1.0.9.
        let t = (true, true);
        let f = (false, false);
        let master = tcp(1, 40000);
        let (mut a, mut b) = (Expect::new(), Expect::new());
        a.set_tuple(ExpAttr::Master, &master).unwrap();
        b.set_tuple(ExpAttr::Master, &master).unwrap();
        b.set_tuple(ExpAttr::NatTuple, &master).unwrap();
        // "nat one-sided: 1/1 1/0 0/0 0/0"
        assert_eq!(table(&a, &b), [t, (true, false), f, f]);
        b.unset(ExpAttr::NatTuple);

        // "master sport one-sided: 1/1 0/1 0/0 0/0"
        let mut m2 = master;
        m2.clear(Attr::OrigPortSrc.id());
        b.set_tuple(ExpAttr::Master, &m2).unwrap();
        assert_eq!(table(&a, &b), [t, (false, true), f, f]);

        // "master zone 0 one-sided: 1/1 1/1 1/1 1/1"
        let mut m3 = master;
        m3.mark(Attr::OrigZone.id());
        b.set_tuple(ExpAttr::Master, &m3).unwrap();
        assert_eq!(table(&a, &b), [t, t, t, t]);
        // "master zone 5 one-sided: 1/1 1/0 0/0 0/0"
        m3.orig.zone = 5;
        b.set_tuple(ExpAttr::Master, &m3).unwrap();
        assert_eq!(table(&a, &b), [t, (true, false), f, f]);
    }
}
