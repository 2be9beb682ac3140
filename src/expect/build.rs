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
        w.put_strz(CTA_EXPECT_HELP_NAME, &exp.helper_name)?;
    }
    Ok(())
}
