//! C-visible types and constants, one file per installed header.
//! build.rs feeds each file to cbindgen to write that header: api.rs (with
//! the exports of src/ffi/*.rs) makes libnetfilter_conntrack.h, the others
//! the header named in their first line.

pub mod api;
pub mod common;
pub mod dccp;
pub mod icmp;
pub mod ipv4;
pub mod ipv6;
pub mod nfnetlink_conntrack;
pub mod sctp;
pub mod tcp;
pub mod udp;
