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

/// A query type as passed by C (`enum nf_conntrack_query`).
/// cbindgen:no-export
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct QueryType(pub c_int);

/// An event filter attribute id as passed by C (`enum nfct_filter_attr`).
/// cbindgen:no-export
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct FilterAttrId(pub c_int);

/// An event filter logic as passed by C (`enum nfct_filter_logic`).
/// cbindgen:no-export
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct FilterLogic(pub c_int);

/// A dump filter attribute id as passed by C (`enum nfct_filter_dump_attr`).
/// cbindgen:no-export
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct FilterDumpAttrId(pub c_int);

/// Opaque handle of a ctnetlink socket (`struct nfct_handle`).
pub struct nfct_handle {
    _private: [u8; 0],
}

/// Opaque event filter (`struct nfct_filter`).
pub struct nfct_filter {
    _private: [u8; 0],
}

/// Opaque dump filter (`struct nfct_filter_dump`).
pub struct nfct_filter_dump {
    _private: [u8; 0],
}

/// libnfnetlink's handle (`struct nfnl_handle`), declared by
/// <libnfnetlink/libnfnetlink.h>; never emitted by cbindgen.
pub struct nfnl_handle {
    _private: [u8; 0],
}

/// libnfnetlink's subsystem handle (`struct nfnl_subsys_handle`), declared
/// by <libnfnetlink/libnfnetlink.h>; never emitted by cbindgen.
pub struct nfnl_subsys_handle {
    _private: [u8; 0],
}

/// The netlink message header (`struct nlmsghdr` of <linux/netlink.h>,
/// reached through the libnfnetlink headers); never emitted by cbindgen.
/// Code that reads its fields casts to its own `#[repr(C)]` mirror.
pub struct nlmsghdr {
    _private: [u8; 0],
}
