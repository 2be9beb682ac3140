//! TEMPORARY stub until the netlink branch lands: same signature as the
//! real encoder, writes no attribute.
#![forbid(unsafe_code)]

use super::object::Expect;
use crate::Result;

/// Stub of the real `put_attrs`.
pub fn put_attrs(exp: &Expect, out: &mut Vec<u8>) -> Result<()> {
    let _ = (exp, out);
    Ok(())
}
