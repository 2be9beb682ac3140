//! The C ABI of libnetfilter_conntrack.so.3. Only this module touches C
//! pointers: each export checks its pointers, calls the core and converts
//! the result (return value plus `errno`), as upstream documents it.
//!
//! `abi/` holds the C-visible type and constant definitions from which
//! cbindgen writes the installed headers.
#![allow(non_camel_case_types)]

pub mod abi;
pub mod boundary;

pub mod conntrack;
pub mod expect;
pub mod filter;
pub mod handle;
pub mod labels;
pub mod nlmsg;
pub mod snprintf;
