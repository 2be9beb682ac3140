//! Expectation objects: storage, attribute access, comparison, netlink
//! encoding and decoding.

pub mod attr;
pub mod build;
pub mod compare;
pub mod object;
pub mod parse;

pub use object::{ExpAttr, Expect};
