//! Decodes a ctnetlink expectation message into an expectation. Mirrors
//! upstream's `nfexp_nlmsg_parse` (src/expect/parse_mnl.c), including
//! where it stores the message family: the master tuple's family goes to
//! the expected tuple, the expected tuple's to the mask, the mask's to the
//! master. With all three present, as the kernel sends them, each tuple
//! ends up with the family.
#![forbid(unsafe_code)]

use super::object::{ExpAttr, Expect, EXPECTFN_MAX};
use crate::conntrack::object::Attr;
use crate::conntrack::parse::{copy_cstr, get, index, tuple, Dir, Table};
use crate::kernel::*;
use crate::netlink::attr::{Attr as Nla, Shape};
use crate::netlink::message;
use crate::{Error, Result};

fn top_shape(kind: u16) -> Option<Shape> {
    match kind {
        CTA_EXPECT_MASTER | CTA_EXPECT_TUPLE | CTA_EXPECT_MASK => Some(Shape::Nested),
        CTA_EXPECT_TIMEOUT | CTA_EXPECT_FLAGS | CTA_EXPECT_ID => Some(Shape::Len(4)),
        CTA_EXPECT_HELP_NAME => Some(Shape::String),
        CTA_EXPECT_ZONE => Some(Shape::Len(2)),
        _ => None,
    }
}

/// The first four payload bytes in network order: upstream reads
/// `CTA_EXPECT_CLASS` without checking its size; a shorter one is refused.
fn be32_prefix(a: &Nla) -> Result<u32> {
    let b = a.payload().get(..4).ok_or(Error::Malformed)?;
    Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn nat(a: &Nla, family: u8, exp: &mut Expect) -> Result<()> {
    let tb: Table<{ CTA_EXPECT_NAT_MAX as usize + 1 }> = index(a.payload(), |k| match k {
        CTA_EXPECT_NAT_TUPLE => Some(Shape::Nested),
        CTA_EXPECT_NAT_DIR => Some(Shape::Len(4)),
        _ => None,
    })?;
    exp.nat.orig.l3protonum = family;
    exp.nat.mark(Attr::OrigL3Proto.id());
    if let Some(t) = get(&tb, CTA_EXPECT_NAT_TUPLE) {
        tuple(&t, &mut exp.nat.orig, Dir::Orig, &mut exp.nat.set)?;
        exp.mark_set(ExpAttr::NatTuple);
    }
    if let Some(d) = get(&tb, CTA_EXPECT_NAT_DIR) {
        exp.nat_dir = d.be32()?;
        exp.mark_set(ExpAttr::NatDir);
    }
    Ok(())
}

/// Reads the expectation attributes in `attrs` (the bytes after `struct
/// nfgenmsg`) into `exp`; `l3num` is the message family.
///
/// A known attribute of the wrong size fails with `Malformed`, and so does
/// an expectation function name longer than upstream's 24-byte field
/// (upstream terminates the process in both cases).
pub fn payload(attrs: &[u8], l3num: u8, exp: &mut Expect) -> Result<()> {
    let tb: Table<{ CTA_EXPECT_MAX as usize + 1 }> = index(attrs, top_shape)?;

    if let Some(a) = get(&tb, CTA_EXPECT_MASTER) {
        exp.expected.orig.l3protonum = l3num;
        exp.expected.mark(Attr::OrigL3Proto.id());
        tuple(&a, &mut exp.master.orig, Dir::Orig, &mut exp.master.set)?;
        exp.mark_set(ExpAttr::Master);
    }
    if let Some(a) = get(&tb, CTA_EXPECT_TUPLE) {
        exp.mask.orig.l3protonum = l3num;
        exp.mask.mark(Attr::OrigL3Proto.id());
        tuple(&a, &mut exp.expected.orig, Dir::Orig, &mut exp.expected.set)?;
        exp.mark_set(ExpAttr::Expected);
    }
    if let Some(a) = get(&tb, CTA_EXPECT_MASK) {
        exp.master.orig.l3protonum = l3num;
        exp.master.mark(Attr::OrigL3Proto.id());
        tuple(&a, &mut exp.mask.orig, Dir::Orig, &mut exp.mask.set)?;
        exp.mark_set(ExpAttr::Mask);
    }
    if let Some(a) = get(&tb, CTA_EXPECT_TIMEOUT) {
        exp.timeout = a.be32()?;
        exp.mark_set(ExpAttr::Timeout);
    }
    if let Some(a) = get(&tb, CTA_EXPECT_ZONE) {
        exp.zone = a.be16()?;
        exp.mark_set(ExpAttr::Zone);
    }
    if let Some(a) = get(&tb, CTA_EXPECT_FLAGS) {
        exp.flags = a.be32()?;
        exp.mark_set(ExpAttr::Flags);
    }
    if let Some(a) = get(&tb, CTA_EXPECT_HELP_NAME) {
        copy_cstr(&mut exp.helper_name, a.str_bytes());
        exp.mark_set(ExpAttr::HelperName);
    }
    if let Some(a) = get(&tb, CTA_EXPECT_CLASS) {
        exp.class = be32_prefix(&a)?;
        exp.mark_set(ExpAttr::Class);
    }
    if let Some(a) = get(&tb, CTA_EXPECT_NAT) {
        nat(&a, l3num, exp)?;
    }
    if let Some(a) = get(&tb, CTA_EXPECT_FN) {
        // Upstream asserts the kernel's string fits its field.
        if a.payload().len() > EXPECTFN_MAX {
            return Err(Error::Malformed);
        }
        copy_cstr(&mut exp.expectfn, a.str_bytes());
        exp.mark_set(ExpAttr::Fn);
    }
    Ok(())
}

/// Reads a whole expectation message (nlmsghdr, nfgenmsg, attributes)
/// into `exp`. Fails with `Malformed` when the header's length is shorter
/// than the two headers or longer than `nlmsg`.
pub fn message(nlmsg: &[u8], exp: &mut Expect) -> Result<()> {
    let (_, nfg, attrs) = message::parse_nfnl(nlmsg)?;
    payload(attrs, nfg.family, exp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::tests::unhex;
    use crate::expect::build::fixtures::{exp_full, head};
    use crate::expect::build::put_attrs;
    use crate::netlink::attr::AttrWriter;

    // Whole messages (nlmsghdr, nfgenmsg, attributes): one with every
    // attribute plus an unknown type 12, family AF_INET; one with only the
    // master tuple, family AF_INET6.
    const KERNEL_MSG: &str = concat!(
        "4401000000020000010000000000000002000000340001801400018008000100010101010800020002020202",
        "1c00028005000100060000000600020004570000060003000015000034000280140001800800010001010101",
        "08000200020202021c000280050001000600000006000200000000000600030007d000003400038014000180",
        "08000100ffffffff08000200ffffffff1c0002800500010006000000060002000000000006000300ffff0000",
        "080004000000012c080005000000123408000600667470000600070000030000080008000000000508000900",
        "0000000140000a8008000100000000013400028014000180080001000303030308000200040404041c000280",
        "05000100110000000600020000050000060003000006000016000b006e61742d666f6c6c6f772d6d61737465",
        "720000000b000c00756e6b6e6f776e00",
    );
    const MASTER_ONLY: &str = concat!(
        "480000000002000001000000000000000a000000340001801400018008000100010101010800020002020202",
        "1c000280050001000600000006000200045700000600030000150000",
    );

    fn parsed(hex: &str) -> (Result<()>, Expect) {
        let mut e = Expect::new();
        let r = message(&unhex(hex), &mut e);
        (r, e)
    }

    // Checked against nfexp_nlmsg_parse of the original and its getters.
    #[test]
    fn stores_what_the_original_stores() {
        let (r, e) = parsed(KERNEL_MSG);
        assert_eq!(r, Ok(()));
        let mut want = exp_full();
        want.nat = head(AF_INET, "3.3.3.3", "4.4.4.4", IPPROTO_UDP, 5, 6);
        want.expectfn = [0; EXPECTFN_MAX];
        want.expectfn[..17].copy_from_slice(b"nat-follow-master");
        // CTA_EXPECT_ID is checked but not stored.
        assert_eq!(e.id, 0);
        assert_eq!(e, want);
    }

    #[test]
    fn family_goes_where_upstream_puts_it() {
        let (r, e) = parsed(MASTER_ONLY);
        assert_eq!(r, Ok(()));
        assert_eq!(e.set[0], 1 << ExpAttr::Master.id());
        // The master tuple is read, but its family lands in the expected
        // tuple (the original's getters show ATTR_ORIG_L3PROTO unset).
        assert!(!e.master.test(Attr::OrigL3Proto.id()));
        assert_eq!(e.master.orig.l3protonum, 0);
        assert!(e.master.test(Attr::OrigPortDst.id()));
        assert!(e.expected.test(Attr::OrigL3Proto.id()));
        assert_eq!(e.expected.orig.l3protonum, AF_INET6);
    }

    #[test]
    fn build_then_parse_gives_the_sent_attributes_back() {
        let sent = exp_full();
        let mut bytes = Vec::new();
        put_attrs(&sent, &mut bytes).unwrap();
        let mut got = Expect::new();
        payload(&bytes, AF_INET, &mut got).unwrap();
        let mut want = sent.clone();
        want.nat = Default::default();
        want.class = 0;
        want.nat_dir = 0;
        want.expectfn = [0; EXPECTFN_MAX];
        for a in [
            ExpAttr::Class,
            ExpAttr::NatTuple,
            ExpAttr::NatDir,
            ExpAttr::Fn,
        ] {
            want.mark_unset(a);
        }
        assert_eq!(got, want);
    }

    #[test]
    fn bad_input_is_refused_or_skipped() {
        let mut e = Expect::new();
        // Wrong sizes (the original exits).
        for c in [
            &[6u8, 0, 4, 0, 0, 1, 0, 0][..],
            &[4, 0, 6, 0],
            &[8, 0, 7, 0, 0, 0, 0, 1],
            // CTA_EXPECT_CLASS shorter than 4 bytes.
            &[6, 0, 9, 0, 0, 1, 0, 0],
        ] {
            assert_eq!(payload(c, AF_INET, &mut e), Err(Error::Malformed), "{c:?}");
        }
        // An expectation function longer than its field (the original
        // asserts).
        let mut v = Vec::new();
        AttrWriter::new(&mut v)
            .put_bytes(CTA_EXPECT_FN, &[b'x'; 25])
            .unwrap();
        assert_eq!(payload(&v, AF_INET, &mut e), Err(Error::Malformed));
        // Truncated framing ends the list quietly.
        assert_eq!(payload(&[8, 0, 4, 0, 0, 0], AF_INET, &mut e), Ok(()));
        assert_eq!(e, Expect::new());
        // Messages whose header does not fit.
        assert_eq!(message(&[0; 19], &mut e), Err(Error::Malformed));
        let mut m = unhex(KERNEL_MSG);
        m.pop();
        assert_eq!(message(&m, &mut e), Err(Error::Malformed));
    }

    #[test]
    fn mutated_messages_never_panic() {
        let base = unhex(KERNEL_MSG);
        let mut seed = 0x2545_f491u32;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for _ in 0..3000 {
            let mut m = base.clone();
            for _ in 0..(rnd() % 6 + 1) {
                let i = 20 + rnd() as usize % (m.len() - 20);
                m[i] = rnd() as u8;
            }
            let cut = 20 + rnd() as usize % (m.len() - 19);
            let mut e = Expect::new();
            let _ = payload(&m[20..cut], AF_INET, &mut e);
        }
    }
}
