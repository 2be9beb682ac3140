//! libnetfilter_conntrack, rebuilt on a Rust core.
//!
//! The core (everything but [`ffi`]) is safe Rust that speaks ctnetlink:
//! conntrack and expectation objects, their netlink encoding, and the text
//! formats of `nfct_snprintf`. The [`ffi`] module is the C ABI of
//! libnetfilter_conntrack.so.3 over that core.

pub mod error;
pub mod kernel;
pub mod labels;
pub mod netlink;
pub mod query;

pub mod conntrack;
pub mod expect;
pub mod filter;
pub mod format;

pub mod ffi;

pub use error::{Error, Result};
