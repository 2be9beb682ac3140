//! TEMPORARY stub until the netlink branch lands: same signature as the
//! real encoder, writes no attribute.
#![forbid(unsafe_code)]

use super::object::{Attr, Conntrack};
use crate::{Error, Result};

/// Stub of the real `put_attrs`: checks `ATTR_ORIG_L3PROTO` only.
pub fn put_attrs(ct: &Conntrack, out: &mut Vec<u8>) -> Result<()> {
    let _ = out;
    if !ct.is_set(Attr::OrigL3Proto) {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}
