//! Types and constants of `libnetfilter_conntrack.h`, the main header.
//!
//! Mirrors upstream's include/libnetfilter_conntrack/libnetfilter_conntrack.h:
//! the opaque object types, the named enums that appear in function
//! signatures, the anonymous enums of option and flag values (given a tag
//! here, since cbindgen only writes named enums), the group and filter
//! structs, and the numeric macros. A Rust enum cannot give one value two
//! names, so where upstream's enum does: an alias (`ATTR_IPV4_SRC =
//! ATTR_ORIG_IPV4_SRC`) is a constant of the enum's type, which cbindgen
//! writes as `#define ATTR_IPV4_SRC ATTR_ORIG_IPV4_SRC` (C++ can still pass
//! it where the enum is expected); the bit numbers that share values with
//! the flags (`NFCT_T_NEW_BIT`) go in an enum of their own.
//!
//! The `*Id`/`MsgType`/`QueryType`/`Filter*` newtypes are what the exports
//! take for enum parameters: any integer C passes is a valid value of them,
//! and cbindgen.toml renames them to the enum types in the header.
//!
//! How the exports in src/ffi/*.rs spell upstream's parameter types, so
//! that the header declares them exactly as upstream does (checked by
//! ctests/t-abi-compile.sh against ctests/abi/prototypes.h):
//!
//! | C                                   | Rust                                  |
//! |-------------------------------------|---------------------------------------|
//! | `enum nf_conntrack_attr`            | [`CtAttrId`]                          |
//! | `const enum nf_conntrack_attr *`    | `*const CtAttrId`                     |
//! | `enum nf_conntrack_attr_grp`        | [`GrpId`]                             |
//! | `enum nf_expect_attr`               | [`ExpAttrId`]                         |
//! | `enum nf_conntrack_msg_type`        | [`MsgType`]                           |
//! | `enum nf_conntrack_query`           | [`QueryType`]                         |
//! | `enum nfct_filter_attr`             | [`FilterAttrId`]                      |
//! | `enum nfct_filter_logic`            | [`FilterLogic`]                       |
//! | `enum nfct_filter_dump_attr`        | [`FilterDumpAttrId`]                  |
//! | `struct nfct_handle *` (etc.)       | `*mut nfct_handle`, from this module  |
//! | `struct nlmsghdr *`, `nfnl_*`       | `*mut nlmsghdr`, ... from this module |
//! | `unsigned int` / `unsigned`         | `c_uint`                              |
//! | `size_t`                            | `usize`                               |
//! | `bool`                              | `bool`                                |
//! | `int (*cb)(enum nf_conntrack_msg_type, struct nf_conntrack *, void *)` | `Option<unsafe extern "C" fn(MsgType, *mut nf_conntrack, *mut c_void) -> c_int>` |
//! | `__attribute__((deprecated))`       | `#[deprecated]` on the export         |
//!
//! Types and constants the header needs belong here, not in src/ffi/*.rs:
//! cbindgen copies every `pub const` of those files into the header.

use std::ffi::{c_int, c_uint};

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

// libnfnetlink's names, used below so that the header spells the same
// expressions as upstream. Excluded from the generated header
// (cbindgen.toml), which gets them from <libnfnetlink/linux_nfnetlink.h>
// (and its compat header). The subsystem ids are `isize`, the type of an
// enum discriminant, so that `CONNTRACK = NFNL_SUBSYS_CTNETLINK` needs no
// cast (cbindgen would write it into the enum).
/// nfnetlink subsystem id of conntrack.
pub const NFNL_SUBSYS_CTNETLINK: isize = 1;
/// nfnetlink subsystem id of expectations.
pub const NFNL_SUBSYS_CTNETLINK_EXP: isize = 2;
/// Legacy event group bit: new conntracks.
pub const NF_NETLINK_CONNTRACK_NEW: c_uint = 0x1;
/// Legacy event group bit: updated conntracks.
pub const NF_NETLINK_CONNTRACK_UPDATE: c_uint = 0x2;
/// Legacy event group bit: destroyed conntracks.
pub const NF_NETLINK_CONNTRACK_DESTROY: c_uint = 0x4;

/// Subsystem ids accepted by `nfct_open`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_subsys {
    /// Conntrack table.
    CONNTRACK = NFNL_SUBSYS_CTNETLINK,
    /// Expectation table.
    EXPECT = NFNL_SUBSYS_CTNETLINK_EXP,
}

/// Every conntrack event group, for `nfct_open` subscriptions (not for dumps).
pub const NFCT_ALL_CT_GROUPS: c_uint =
    NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_UPDATE | NF_NETLINK_CONNTRACK_DESTROY;

/// Conntrack attributes; the comment on each gives the value's type.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nf_conntrack_attr {
    /// u32, network order
    ATTR_ORIG_IPV4_SRC = 0,
    /// u32, network order
    ATTR_ORIG_IPV4_DST = 1,
    /// u32, network order
    ATTR_REPL_IPV4_SRC = 2,
    /// u32, network order
    ATTR_REPL_IPV4_DST = 3,
    /// 16 bytes
    ATTR_ORIG_IPV6_SRC = 4,
    /// 16 bytes
    ATTR_ORIG_IPV6_DST = 5,
    /// 16 bytes
    ATTR_REPL_IPV6_SRC = 6,
    /// 16 bytes
    ATTR_REPL_IPV6_DST = 7,
    /// u16, network order
    ATTR_ORIG_PORT_SRC = 8,
    /// u16, network order
    ATTR_ORIG_PORT_DST = 9,
    /// u16, network order
    ATTR_REPL_PORT_SRC = 10,
    /// u16, network order
    ATTR_REPL_PORT_DST = 11,
    /// u8
    ATTR_ICMP_TYPE = 12,
    /// u8
    ATTR_ICMP_CODE = 13,
    /// u16, network order
    ATTR_ICMP_ID = 14,
    /// u8
    ATTR_ORIG_L3PROTO = 15,
    /// u8
    ATTR_REPL_L3PROTO = 16,
    /// u8
    ATTR_ORIG_L4PROTO = 17,
    /// u8
    ATTR_REPL_L4PROTO = 18,
    /// u8
    ATTR_TCP_STATE = 19,
    /// u32, network order
    ATTR_SNAT_IPV4 = 20,
    /// u32, network order
    ATTR_DNAT_IPV4 = 21,
    /// u16, network order
    ATTR_SNAT_PORT = 22,
    /// u16, network order
    ATTR_DNAT_PORT = 23,
    /// u32
    ATTR_TIMEOUT = 24,
    /// u32
    ATTR_MARK = 25,
    /// u64
    ATTR_ORIG_COUNTER_PACKETS = 26,
    /// u64
    ATTR_REPL_COUNTER_PACKETS = 27,
    /// u64
    ATTR_ORIG_COUNTER_BYTES = 28,
    /// u64
    ATTR_REPL_COUNTER_BYTES = 29,
    /// u32
    ATTR_USE = 30,
    /// u32
    ATTR_ID = 31,
    /// u32
    ATTR_STATUS = 32,
    /// u8
    ATTR_TCP_FLAGS_ORIG = 33,
    /// u8
    ATTR_TCP_FLAGS_REPL = 34,
    /// u8
    ATTR_TCP_MASK_ORIG = 35,
    /// u8
    ATTR_TCP_MASK_REPL = 36,
    /// u32, network order
    ATTR_MASTER_IPV4_SRC = 37,
    /// u32, network order
    ATTR_MASTER_IPV4_DST = 38,
    /// 16 bytes
    ATTR_MASTER_IPV6_SRC = 39,
    /// 16 bytes
    ATTR_MASTER_IPV6_DST = 40,
    /// u16, network order
    ATTR_MASTER_PORT_SRC = 41,
    /// u16, network order
    ATTR_MASTER_PORT_DST = 42,
    /// u8
    ATTR_MASTER_L3PROTO = 43,
    /// u8
    ATTR_MASTER_L4PROTO = 44,
    /// u32
    ATTR_SECMARK = 45,
    /// u32
    ATTR_ORIG_NAT_SEQ_CORRECTION_POS = 46,
    /// u32
    ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE = 47,
    /// u32
    ATTR_ORIG_NAT_SEQ_OFFSET_AFTER = 48,
    /// u32
    ATTR_REPL_NAT_SEQ_CORRECTION_POS = 49,
    /// u32
    ATTR_REPL_NAT_SEQ_OFFSET_BEFORE = 50,
    /// u32
    ATTR_REPL_NAT_SEQ_OFFSET_AFTER = 51,
    /// u8
    ATTR_SCTP_STATE = 52,
    /// u32
    ATTR_SCTP_VTAG_ORIG = 53,
    /// u32
    ATTR_SCTP_VTAG_REPL = 54,
    /// NUL-terminated string
    ATTR_HELPER_NAME = 55,
    /// u8
    ATTR_DCCP_STATE = 56,
    /// u8
    ATTR_DCCP_ROLE = 57,
    /// u64
    ATTR_DCCP_HANDSHAKE_SEQ = 58,
    /// u8
    ATTR_TCP_WSCALE_ORIG = 59,
    /// u8
    ATTR_TCP_WSCALE_REPL = 60,
    /// u16
    ATTR_ZONE = 61,
    /// NUL-terminated string
    ATTR_SECCTX = 62,
    /// u64
    ATTR_TIMESTAMP_START = 63,
    /// u64
    ATTR_TIMESTAMP_STOP = 64,
    /// bytes, length given to nfct_set_attr_l
    ATTR_HELPER_INFO = 65,
    /// struct nfct_bitmask
    ATTR_CONNLABELS = 66,
    /// struct nfct_bitmask
    ATTR_CONNLABELS_MASK = 67,
    /// u16
    ATTR_ORIG_ZONE = 68,
    /// u16
    ATTR_REPL_ZONE = 69,
    /// 16 bytes
    ATTR_SNAT_IPV6 = 70,
    /// 16 bytes
    ATTR_DNAT_IPV6 = 71,
    /// u32
    ATTR_SYNPROXY_ISN = 72,
    /// u32
    ATTR_SYNPROXY_ITS = 73,
    /// u32
    ATTR_SYNPROXY_TSOFF = 74,
    /// u64
    ATTR_TIMESTAMP_EVENT = 75,
    /// Number of attributes.
    ATTR_MAX = 76,
}

/// Alias of ATTR_ORIG_IPV4_SRC.
pub const ATTR_IPV4_SRC: nf_conntrack_attr = nf_conntrack_attr::ATTR_ORIG_IPV4_SRC;
/// Alias of ATTR_ORIG_IPV4_DST.
pub const ATTR_IPV4_DST: nf_conntrack_attr = nf_conntrack_attr::ATTR_ORIG_IPV4_DST;
/// Alias of ATTR_ORIG_IPV6_SRC.
pub const ATTR_IPV6_SRC: nf_conntrack_attr = nf_conntrack_attr::ATTR_ORIG_IPV6_SRC;
/// Alias of ATTR_ORIG_IPV6_DST.
pub const ATTR_IPV6_DST: nf_conntrack_attr = nf_conntrack_attr::ATTR_ORIG_IPV6_DST;
/// Alias of ATTR_ORIG_PORT_SRC.
pub const ATTR_PORT_SRC: nf_conntrack_attr = nf_conntrack_attr::ATTR_ORIG_PORT_SRC;
/// Alias of ATTR_ORIG_PORT_DST.
pub const ATTR_PORT_DST: nf_conntrack_attr = nf_conntrack_attr::ATTR_ORIG_PORT_DST;
/// Alias of ATTR_ORIG_L3PROTO.
pub const ATTR_L3PROTO: nf_conntrack_attr = nf_conntrack_attr::ATTR_ORIG_L3PROTO;
/// Alias of ATTR_ORIG_L4PROTO.
pub const ATTR_L4PROTO: nf_conntrack_attr = nf_conntrack_attr::ATTR_ORIG_L4PROTO;

/// Attribute groups; the comment on each names the struct it reads and writes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nf_conntrack_attr_grp {
    /// struct nfct_attr_grp_ipv4
    ATTR_GRP_ORIG_IPV4 = 0,
    /// struct nfct_attr_grp_ipv4
    ATTR_GRP_REPL_IPV4 = 1,
    /// struct nfct_attr_grp_ipv6
    ATTR_GRP_ORIG_IPV6 = 2,
    /// struct nfct_attr_grp_ipv6
    ATTR_GRP_REPL_IPV6 = 3,
    /// struct nfct_attr_grp_port
    ATTR_GRP_ORIG_PORT = 4,
    /// struct nfct_attr_grp_port
    ATTR_GRP_REPL_PORT = 5,
    /// struct nfct_attr_grp_icmp
    ATTR_GRP_ICMP = 6,
    /// struct nfct_attr_grp_ipv4
    ATTR_GRP_MASTER_IPV4 = 7,
    /// struct nfct_attr_grp_ipv6
    ATTR_GRP_MASTER_IPV6 = 8,
    /// struct nfct_attr_grp_port
    ATTR_GRP_MASTER_PORT = 9,
    /// struct nfct_attr_grp_ctrs
    ATTR_GRP_ORIG_COUNTERS = 10,
    /// struct nfct_attr_grp_ctrs
    ATTR_GRP_REPL_COUNTERS = 11,
    /// union nfct_attr_grp_addr
    ATTR_GRP_ORIG_ADDR_SRC = 12,
    /// union nfct_attr_grp_addr
    ATTR_GRP_ORIG_ADDR_DST = 13,
    /// union nfct_attr_grp_addr
    ATTR_GRP_REPL_ADDR_SRC = 14,
    /// union nfct_attr_grp_addr
    ATTR_GRP_REPL_ADDR_DST = 15,
    /// Number of groups.
    ATTR_GRP_MAX = 16,
}

/// IPv4 address pair of a tuple, network order.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_attr_grp_ipv4 {
    pub src: u32,
    pub dst: u32,
}

/// IPv6 address pair of a tuple, network order.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_attr_grp_ipv6 {
    pub src: [u32; 4],
    pub dst: [u32; 4],
}

/// Port pair of a tuple, network order.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_attr_grp_port {
    pub sport: u16,
    pub dport: u16,
}

/// ICMP id (network order), code and type.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_attr_grp_icmp {
    pub id: u16,
    pub code: u8,
    pub r#type: u8,
}

/// Packet and byte counters of one direction.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_attr_grp_ctrs {
    pub packets: u64,
    pub bytes: u64,
}

/// One address of either family, network order.
#[repr(C)]
#[derive(Clone, Copy)]
pub union nfct_attr_grp_addr {
    pub ip: u32,
    pub ip6: [u32; 4],
    pub addr: [u32; 4],
}

/// Message (event) types, as bits so that they can be combined.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nf_conntrack_msg_type {
    NFCT_T_UNKNOWN = 0,
    NFCT_T_NEW = 1 << 0,
    NFCT_T_UPDATE = 1 << 1,
    NFCT_T_DESTROY = 1 << 2,
    NFCT_T_ALL = 7,
    NFCT_T_ERROR = -2147483648,
}

/// Bit numbers of the enum nf_conntrack_msg_type values.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_msg_type_bits {
    NFCT_T_NEW_BIT = 0,
    NFCT_T_UPDATE_BIT = 1,
    NFCT_T_DESTROY_BIT = 2,
    NFCT_T_ERROR_BIT = 31,
}

/// Options of nfct_setobjopt.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_sopt {
    NFCT_SOPT_UNDO_SNAT = 0,
    NFCT_SOPT_UNDO_DNAT = 1,
    NFCT_SOPT_UNDO_SPAT = 2,
    NFCT_SOPT_UNDO_DPAT = 3,
    NFCT_SOPT_SETUP_ORIGINAL = 4,
    NFCT_SOPT_SETUP_REPLY = 5,
    __NFCT_SOPT_MAX = 6,
}

/// Highest option of nfct_setobjopt.
pub const NFCT_SOPT_MAX: c_int = nfct_sopt::__NFCT_SOPT_MAX as c_int - 1;

/// Options of nfct_getobjopt.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_gopt {
    NFCT_GOPT_IS_SNAT = 0,
    NFCT_GOPT_IS_DNAT = 1,
    NFCT_GOPT_IS_SPAT = 2,
    NFCT_GOPT_IS_DPAT = 3,
    __NFCT_GOPT_MAX = 4,
}

/// Highest option of nfct_getobjopt.
pub const NFCT_GOPT_MAX: c_int = nfct_gopt::__NFCT_GOPT_MAX as c_int - 1;

/// What a callback returns.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_cb_verdict {
    /// Failure: stop with an error.
    NFCT_CB_FAILURE = -1,
    /// Stop processing messages.
    NFCT_CB_STOP = 0,
    /// Go on with the next message.
    NFCT_CB_CONTINUE = 1,
    /// Go on; the callback keeps the object, which is not freed.
    NFCT_CB_STOLEN = 2,
}

/// Output formats of nfct_snprintf.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_output_type {
    NFCT_O_PLAIN = 0,
    NFCT_O_XML = 1,
    NFCT_O_MAX = 2,
}

/// Alias of NFCT_O_PLAIN.
pub const NFCT_O_DEFAULT: nfct_output_type = nfct_output_type::NFCT_O_PLAIN;

/// Output flags of nfct_snprintf.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_output_flags {
    NFCT_OF_SHOW_LAYER3 = 1 << 0,
    NFCT_OF_TIME = 1 << 1,
    NFCT_OF_ID = 1 << 2,
    NFCT_OF_TIMESTAMP = 1 << 3,
}

/// Bit numbers of the nfct_snprintf output flags.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_output_flags_bits {
    NFCT_OF_SHOW_LAYER3_BIT = 0,
    NFCT_OF_TIME_BIT = 1,
    NFCT_OF_ID_BIT = 2,
    NFCT_OF_TIMESTAMP_BIT = 3,
}

/// Flags of nfct_cmp.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_cmp_flags {
    NFCT_CMP_ALL = 0,
    NFCT_CMP_ORIG = 1 << 0,
    NFCT_CMP_REPL = 1 << 1,
    NFCT_CMP_TIMEOUT_EQ = 1 << 2,
    NFCT_CMP_TIMEOUT_GT = 1 << 3,
    NFCT_CMP_TIMEOUT_GE = (1 << 2) | (1 << 3),
    NFCT_CMP_TIMEOUT_LT = 1 << 4,
    NFCT_CMP_TIMEOUT_LE = (1 << 2) | (1 << 4),
    NFCT_CMP_MASK = 1 << 5,
    NFCT_CMP_STRICT = 1 << 6,
}

/// Queries of nfct_query and nfct_send.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nf_conntrack_query {
    NFCT_Q_CREATE = 0,
    NFCT_Q_UPDATE = 1,
    NFCT_Q_DESTROY = 2,
    NFCT_Q_GET = 3,
    NFCT_Q_FLUSH = 4,
    NFCT_Q_DUMP = 5,
    NFCT_Q_DUMP_RESET = 6,
    NFCT_Q_CREATE_UPDATE = 7,
    NFCT_Q_DUMP_FILTER = 8,
    NFCT_Q_DUMP_FILTER_RESET = 9,
    NFCT_Q_FLUSH_FILTER = 10,
}

/// Flags of nfct_copy.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_copy_flags {
    NFCT_CP_ALL = 0,
    NFCT_CP_ORIG = 1 << 0,
    NFCT_CP_REPL = 1 << 1,
    NFCT_CP_META = 1 << 2,
    NFCT_CP_OVERRIDE = 1 << 3,
}

/// Protocol and state for NFCT_FILTER_L4PROTO_STATE.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_filter_proto {
    pub proto: u16,
    pub state: u16,
}

/// IPv4 address and mask (host order) for the event filter.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_filter_ipv4 {
    pub addr: u32,
    pub mask: u32,
}

/// IPv6 address and mask for the event filter.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_filter_ipv6 {
    pub addr: [u32; 4],
    pub mask: [u32; 4],
}

/// Event filter attributes; the comment on each gives the value's type.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_filter_attr {
    /// u32
    NFCT_FILTER_L4PROTO = 0,
    /// struct nfct_filter_proto
    NFCT_FILTER_L4PROTO_STATE = 1,
    /// struct nfct_filter_ipv4
    NFCT_FILTER_SRC_IPV4 = 2,
    /// struct nfct_filter_ipv4
    NFCT_FILTER_DST_IPV4 = 3,
    /// struct nfct_filter_ipv6
    NFCT_FILTER_SRC_IPV6 = 4,
    /// struct nfct_filter_ipv6
    NFCT_FILTER_DST_IPV6 = 5,
    /// struct nfct_filter_dump_mark
    NFCT_FILTER_MARK = 6,
    /// u16
    NFCT_FILTER_ZONE = 7,
    /// Number of attributes.
    NFCT_FILTER_MAX = 8,
}

/// Whether an event filter attribute accepts or rejects what it matches.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_filter_logic {
    NFCT_FILTER_LOGIC_POSITIVE = 0,
    NFCT_FILTER_LOGIC_NEGATIVE = 1,
    NFCT_FILTER_LOGIC_MAX = 2,
}

/// Value and mask of a mark (or status) to match.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_filter_dump_mark {
    pub val: u32,
    pub mask: u32,
}

/// Dump filter attributes; the comment on each gives the value's type.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_filter_dump_attr {
    /// struct nfct_filter_dump_mark
    NFCT_FILTER_DUMP_MARK = 0,
    /// u8
    NFCT_FILTER_DUMP_L3NUM = 1,
    /// struct nfct_filter_dump_mark
    NFCT_FILTER_DUMP_STATUS = 2,
    /// u16
    NFCT_FILTER_DUMP_ZONE = 3,
    /// struct nf_conntrack
    NFCT_FILTER_DUMP_TUPLE = 4,
    /// Number of attributes.
    NFCT_FILTER_DUMP_MAX = 5,
}

/// Expectation attributes; the comment on each gives the value's type.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nf_expect_attr {
    /// struct nf_conntrack
    ATTR_EXP_MASTER = 0,
    /// struct nf_conntrack
    ATTR_EXP_EXPECTED = 1,
    /// struct nf_conntrack
    ATTR_EXP_MASK = 2,
    /// u32
    ATTR_EXP_TIMEOUT = 3,
    /// u16
    ATTR_EXP_ZONE = 4,
    /// u32
    ATTR_EXP_FLAGS = 5,
    /// NUL-terminated string
    ATTR_EXP_HELPER_NAME = 6,
    /// u32
    ATTR_EXP_CLASS = 7,
    /// struct nf_conntrack
    ATTR_EXP_NAT_TUPLE = 8,
    /// u8
    ATTR_EXP_NAT_DIR = 9,
    /// NUL-terminated string
    ATTR_EXP_FN = 10,
    /// Number of attributes.
    ATTR_EXP_MAX = 11,
}

// The kernel's <linux/netfilter/nf_conntrack_tcp.h> defines the same four
// macros, and programs such as netsniff-ng's flowtop include it next to
// this header: a redefinition is silent only if spelled with the same
// tokens (`0x01`), which cbindgen cannot write (it prints 1). So these are
// excluded in cbindgen.toml and build.rs writes the lines verbatim.
/// TCP flag: the sender advertised window scaling.
pub const IP_CT_TCP_FLAG_WINDOW_SCALE: c_int = 0x01;
/// TCP flag: the sender permitted SACK.
pub const IP_CT_TCP_FLAG_SACK_PERM: c_int = 0x02;
/// TCP flag: this sender sent the first FIN.
pub const IP_CT_TCP_FLAG_CLOSE_INIT: c_int = 0x04;
/// TCP flag: liberal window checking.
pub const IP_CT_TCP_FLAG_BE_LIBERAL: c_int = 0x08;

/// Original direction (obsolete; kept for old programs).
pub const NFCT_DIR_ORIGINAL: c_int = 0;
/// Reply direction (obsolete; kept for old programs).
pub const NFCT_DIR_REPLY: c_int = 1;
/// Number of directions (obsolete; kept for old programs).
pub const NFCT_DIR_MAX: c_int = NFCT_DIR_REPLY + 1;

/// Longest helper name the kernel accepts, with its NUL.
pub const NFCT_HELPER_NAME_MAX: c_int = 16;

// The layouts C sees, as upstream's header gives them on every platform
// (these structs have no padding).
const _: () = {
    use std::mem::{align_of, size_of};
    assert!(size_of::<nfct_attr_grp_ipv4>() == 8 && align_of::<nfct_attr_grp_ipv4>() == 4);
    assert!(size_of::<nfct_attr_grp_ipv6>() == 32 && align_of::<nfct_attr_grp_ipv6>() == 4);
    assert!(size_of::<nfct_attr_grp_port>() == 4 && align_of::<nfct_attr_grp_port>() == 2);
    assert!(size_of::<nfct_attr_grp_icmp>() == 4 && align_of::<nfct_attr_grp_icmp>() == 2);
    assert!(size_of::<nfct_attr_grp_ctrs>() == 16 && align_of::<nfct_attr_grp_ctrs>() == 8);
    assert!(size_of::<nfct_attr_grp_addr>() == 16 && align_of::<nfct_attr_grp_addr>() == 4);
    assert!(size_of::<nfct_filter_proto>() == 4 && align_of::<nfct_filter_proto>() == 2);
    assert!(size_of::<nfct_filter_ipv4>() == 8 && align_of::<nfct_filter_ipv4>() == 4);
    assert!(size_of::<nfct_filter_ipv6>() == 32 && align_of::<nfct_filter_ipv6>() == 4);
    assert!(size_of::<nfct_filter_dump_mark>() == 8 && align_of::<nfct_filter_dump_mark>() == 4);
    assert!(size_of::<nf_conntrack_msg_type>() == size_of::<c_int>());
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::offset_of;

    #[test]
    fn member_offsets_match_upstream() {
        assert_eq!(offset_of!(nfct_attr_grp_ipv6, dst), 16);
        assert_eq!(offset_of!(nfct_attr_grp_port, dport), 2);
        assert_eq!(offset_of!(nfct_attr_grp_icmp, code), 2);
        assert_eq!(offset_of!(nfct_attr_grp_icmp, r#type), 3);
        assert_eq!(offset_of!(nfct_attr_grp_ctrs, bytes), 8);
        assert_eq!(offset_of!(nfct_filter_proto, state), 2);
        assert_eq!(offset_of!(nfct_filter_ipv4, mask), 4);
        assert_eq!(offset_of!(nfct_filter_ipv6, mask), 16);
        assert_eq!(offset_of!(nfct_filter_dump_mark, mask), 4);
    }

    #[test]
    fn enum_values_match_upstream() {
        assert_eq!(nf_conntrack_attr::ATTR_MAX as c_int, 76);
        assert_eq!(ATTR_L4PROTO as c_int, 17);
        assert_eq!(nf_conntrack_attr_grp::ATTR_GRP_MAX as c_int, 16);
        assert_eq!(nf_expect_attr::ATTR_EXP_MAX as c_int, 11);
        assert_eq!(
            nf_conntrack_msg_type::NFCT_T_ERROR as c_int,
            1 << nfct_msg_type_bits::NFCT_T_ERROR_BIT as c_int
        );
        assert_eq!(nf_conntrack_msg_type::NFCT_T_ALL as c_int, 7);
        assert_eq!(nfct_cmp_flags::NFCT_CMP_TIMEOUT_LE as c_int, 20);
        assert_eq!(nf_conntrack_query::NFCT_Q_FLUSH_FILTER as c_int, 10);
        assert_eq!(nfct_filter_dump_attr::NFCT_FILTER_DUMP_MAX as c_int, 5);
        assert_eq!((NFCT_SOPT_MAX, NFCT_GOPT_MAX, NFCT_DIR_MAX), (5, 3, 2));
        assert_eq!(NFCT_ALL_CT_GROUPS, 7);
    }

    #[test]
    fn subsystems_match_the_kernel_numbers() {
        use crate::kernel;
        assert_eq!(nfct_subsys::CONNTRACK as u8, kernel::NFNL_SUBSYS_CTNETLINK);
        assert_eq!(nfct_subsys::EXPECT as u8, kernel::NFNL_SUBSYS_CTNETLINK_EXP);
        assert_eq!(
            NFCT_ALL_CT_GROUPS,
            kernel::NF_NETLINK_CONNTRACK_NEW
                | kernel::NF_NETLINK_CONNTRACK_UPDATE
                | kernel::NF_NETLINK_CONNTRACK_DESTROY
        );
    }
}
