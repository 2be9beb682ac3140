//! Types and constants of `libnetfilter_conntrack.h`.

use std::ffi::c_int;

/// Opaque conntrack object.
pub struct nf_conntrack {
    _private: [u8; 0],
}

/// Opaque expectation object.
pub struct nf_expect {
    _private: [u8; 0],
}

/// Opaque bitmask object.
pub struct nfct_bitmask {
    _private: [u8; 0],
}

/// Opaque label map.
pub struct nfct_labelmap {
    _private: [u8; 0],
}

/// A conntrack attribute id as passed by C (`enum nf_conntrack_attr`).
/// Kept as a plain integer so that any value C passes is defined here;
/// the header declares the parameter with the enum type.
/// cbindgen:no-export
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct CtAttrId(pub c_int);

/// An expectation attribute id as passed by C (`enum nf_expect_attr`).
/// cbindgen:no-export
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct ExpAttrId(pub c_int);

/// An attribute group id as passed by C (`enum nf_conntrack_attr_grp`).
/// cbindgen:no-export
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct GrpId(pub c_int);

/// A message type as passed by C (`enum nf_conntrack_msg_type`).
/// cbindgen:no-export
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct MsgType(pub c_int);
