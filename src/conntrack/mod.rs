//! Conntrack objects: storage, attribute access, copy and comparison,
//! netlink encoding and decoding.

pub mod attr;
pub mod build;
pub mod compare;
pub mod copy;
pub mod grp;
pub mod object;
pub mod objopt;
pub mod parse;

pub use object::{Attr, Conntrack};
