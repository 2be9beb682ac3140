//! Encodes an expectation as ctnetlink attributes, the payload after
//! `struct nfgenmsg`. Mirrors upstream's `nfexp_nlmsg_build`
//! (src/expect/build_mnl.c), which sends the tuples, timeout, flags, zone
//! and helper name; class, NAT and expectation function are not sent.
#![forbid(unsafe_code)]

use super::object::{ExpAttr, Expect};
use crate::conntrack::build::put_tuple;
use crate::kernel::*;
use crate::netlink::attr::AttrWriter;
use crate::{Error, Result};

/// Appends the attributes of `exp` to `out`. A tuple whose layer-3
/// protocol is neither IPv4 nor IPv6 is left out, as upstream does; the
/// only failure is running out of space in a bounded writer.
pub fn put_attrs(exp: &Expect, out: &mut Vec<u8>) -> Result<()> {
    put(exp, &mut AttrWriter::new(out))
}

/// [`put_attrs`] through a writer.
pub fn put(exp: &Expect, w: &mut AttrWriter) -> Result<()> {
    for (attr, head, ty) in [
        (ExpAttr::Expected, &exp.expected, CTA_EXPECT_TUPLE),
        (ExpAttr::Master, &exp.master, CTA_EXPECT_MASTER),
        (ExpAttr::Mask, &exp.mask, CTA_EXPECT_MASK),
    ] {
        if exp.is_set(attr) {
            match put_tuple(w, &head.orig, ty) {
                Ok(()) | Err(Error::InvalidArgument) => {}
                Err(e) => return Err(e),
            }
        }
    }
    if exp.is_set(ExpAttr::Timeout) {
        w.put_be32(CTA_EXPECT_TIMEOUT, exp.timeout)?;
    }
    if exp.is_set(ExpAttr::Flags) {
        w.put_be32(CTA_EXPECT_FLAGS, exp.flags)?;
    }
    if exp.is_set(ExpAttr::Zone) {
        w.put_be16(CTA_EXPECT_ZONE, exp.zone)?;
    }
    if exp.is_set(ExpAttr::HelperName) {
        w.put_str(CTA_EXPECT_HELP_NAME, &exp.helper_name)?;
    }
    Ok(())
}

/// Expectations set up as the original's setters leave them.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::super::object::{ExpAttr, Expect};
    use crate::conntrack::build::fixtures::{port, v4};
    use crate::conntrack::object::{Attr, TupleHead};
    use crate::kernel::*;

    /// A tuple head as `nfexp_set_attr` copies it from a conntrack object
    /// with these original-tuple attributes set.
    pub fn head(l3: u8, src: &str, dst: &str, l4: u8, sp: u16, dp: u16) -> TupleHead {
        let mut h = TupleHead::default();
        h.orig.l3protonum = l3;
        h.orig.src.0[0] = v4(src);
        h.orig.dst.0[0] = v4(dst);
        h.orig.protonum = l4;
        h.orig.l4src = port(sp);
        h.orig.l4dst.set_port(port(dp));
        for a in [
            Attr::OrigL3Proto,
            Attr::OrigIpv4Src,
            Attr::OrigIpv4Dst,
            Attr::OrigL4Proto,
            Attr::OrigPortSrc,
            Attr::OrigPortDst,
        ] {
            h.mark(a.id());
        }
        h
    }

    pub fn exp_full() -> Expect {
        let mut e = Expect::new();
        e.master = head(AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 1111, 21);
        e.expected = head(AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 0, 2000);
        e.mask = head(
            AF_INET,
            "255.255.255.255",
            "255.255.255.255",
            IPPROTO_TCP,
            0,
            0xffff,
        );
        e.nat = head(AF_INET, "3.3.3.3", "4.4.4.4", IPPROTO_TCP, 5, 6);
        e.timeout = 300;
        e.zone = 3;
        e.flags = 5;
        e.helper_name[..3].copy_from_slice(b"ftp");
        e.class = 1;
        e.nat_dir = 1;
        e.expectfn[..4].copy_from_slice(b"myfn");
        for a in ExpAttr::ALL {
            e.mark_set(*a);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::conntrack::build::tests::unhex;
    use crate::conntrack::object::{Attr, TupleHead};

    // Bytes nfexp_nlmsg_build of libnetfilter_conntrack 1.0.9 appends
    // after the nfgenmsg (x86_64, zeroed buffer).
    const EXP_FULL: &str = concat!(
        "3400028014000180080001000101010108000200020202021c00028005000100060000000600020000000000",
        "0600030007d000003400018014000180080001000101010108000200020202021c0002800500010006000000",
        "06000200045700000600030000150000340003801400018008000100ffffffff08000200ffffffff1c000280",
        "0500010006000000060002000000000006000300ffff0000080004000000012c080008000000000506000700",
        "000300000800060066747000",
    );
    const EXP_TIMEOUT: &str = "0800040000000001";
    const EXP_BAD_TUPLE: &str = concat!(
        "3400018014000180080001000101010108000200020202021c00028005000100060000000600020004570000",
        "0600030000150000",
    );

    fn build(e: &Expect) -> Vec<u8> {
        let mut v = Vec::new();
        put_attrs(e, &mut v).unwrap();
        v
    }

    #[cfg(target_endian = "little")]
    #[test]
    fn matches_the_original_byte_for_byte() {
        assert_eq!(build(&exp_full()), unhex(EXP_FULL));

        let mut e = Expect::new();
        e.timeout = 1;
        e.mark_set(ExpAttr::Timeout);
        assert_eq!(build(&e), unhex(EXP_TIMEOUT));

        // An expected tuple without a layer-3 protocol is left out.
        let mut e = Expect::new();
        let mut bad = TupleHead::default();
        bad.orig.protonum = IPPROTO_UDP;
        bad.mark(Attr::OrigL4Proto.id());
        e.expected = bad;
        e.master = exp_full().master;
        e.mark_set(ExpAttr::Expected);
        e.mark_set(ExpAttr::Master);
        assert_eq!(build(&e), unhex(EXP_BAD_TUPLE));
    }

    #[test]
    fn empty_expectation_sends_nothing() {
        assert!(build(&Expect::new()).is_empty());
    }
}
