//! C-visible types and constants, one file per installed header.
//! build.rs feeds each file to cbindgen to write that header.

pub mod api;
