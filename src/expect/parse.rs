//! Decodes a ctnetlink expectation message into an expectation. Mirrors
//! upstream's `nfexp_nlmsg_parse` (src/expect/parse_mnl.c), including
//! where it stores the message family: the master tuple's family goes to
//! the expected tuple, the expected tuple's to the mask, the mask's to the
//! master. With all three present, as the kernel sends them, each tuple
//! ends up with the family.
#![forbid(unsafe_code)]

use super::object::{ExpAttr, Expect, EXPECTFN_MAX};
use crate::conntrack::object::Attr;
use crate::conntrack::parse::{copy_cstr, index, tuple, Dir, Table};
use crate::kernel::*;
use crate::netlink::attr::{Attr as Nla, Shape};
use crate::netlink::message;
use crate::{Error, Result};

fn get<'a, const N: usize>(tb: &Table<'a, N>, kind: u16) -> Option<Nla<'a>> {
    tb.get(usize::from(kind)).copied().flatten()
}

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
