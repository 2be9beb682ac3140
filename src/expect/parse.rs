//! TEMPORARY stub until the netlink branch lands: same signatures as the
//! real parser, reads nothing.
#![forbid(unsafe_code)]

use super::object::Expect;
use crate::Result;

/// Stub of the real `payload`.
pub fn payload(attrs: &[u8], l3num: u8, exp: &mut Expect) -> Result<()> {
    let _ = (attrs, l3num, exp);
    Ok(())
}

/// Stub of the real `message`.
pub fn message(nlmsg: &[u8], exp: &mut Expect) -> Result<()> {
    let _ = (nlmsg, exp);
    Ok(())
}
