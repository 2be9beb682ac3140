//! Netlink framing: message headers and attribute TLVs.

pub mod attr;
pub mod message;
pub mod socket;
